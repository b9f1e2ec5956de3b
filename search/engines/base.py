"""The one search interface. Engines: `database` (embedded, default) and `elastic`.

Every engine stores `IndexDocument`s (search/documents.py) and answers a `SearchQuery` at an
explicit `now`: it must return only documents whose public interval contains `now`, whatever
is still in its index. Results are ordered by relevance (ties: newest window first, then page
and document id) or, with sort="newest", by window opening, newest first.
"""

import html
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from django.utils.safestring import SafeString, mark_safe

from .. import tokens
from ..documents import DISCLOSURE, ENTRY, IndexDocument

TARGETS = (DISCLOSURE, ENTRY)
SORTS = ("relevance", "newest")
STATUSES = ("open", "closed")
SNIPPET_LENGTH = 90
# Private-use characters mark highlights inside engine output, so the text can be escaped
# first and the marks turned into <mark> after: no engine-produced HTML reaches the page.
MARK_START, MARK_END = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    target: str = DISCLOSURE
    kind: str = ""
    year: int | None = None
    issuer_id: int | None = None
    level: str = ""
    status: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class Hit:
    doc_id: str
    doc_type: str
    page_id: int
    kind: str
    title: str
    url: str
    issuer_name: str
    level: str
    year: int
    opens_at: datetime
    closes_at: datetime
    snippet: SafeString
    title_html: SafeString
    name: str = ""
    school: str = ""
    category: str = ""

    @property
    def kind_label(self) -> str:
        from disclosure.models import DisclosureKind

        return DisclosureKind(self.kind).label if self.kind in DisclosureKind.values else self.kind


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.query.per_page))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1

    @property
    def page_ids(self) -> list[int]:
        return [hit.page_id for hit in self.hits]


Progress = Callable[[int], None]


class SearchEngine(ABC):
    name: str

    @abstractmethod
    def replace_page(self, page_id: int, documents: list[IndexDocument]) -> None:
        """Make `documents` the whole indexed content of page `page_id` (empty: remove it)."""

    def remove_page(self, page_id: int) -> None:
        self.replace_page(page_id, [])

    @abstractmethod
    def rebuild(self, documents: Iterable[IndexDocument], progress: Progress | None = None) -> int:
        """Index everything anew; the old index serves until the new one is complete."""

    @abstractmethod
    def prune(self, now: datetime) -> int:
        """Remove documents whose public interval has ended; returns how many."""

    @abstractmethod
    def search(self, query: SearchQuery, now: datetime) -> SearchResults:
        """Documents matching `query` and public at `now` (see the module docstring)."""

    @abstractmethod
    def count(self) -> int:
        """Documents held, public or not (for operators and tests)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove everything (tests, and before a rebuild from scratch)."""


def marked_to_html(marked: str) -> SafeString:
    """Escape engine text, then turn its private-use highlight marks into <mark> tags."""
    escaped = html.escape(marked, quote=True)
    return mark_safe(  # noqa: S308 - every character of engine text was escaped above
        escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


def highlight_pattern(text: str) -> re.Pattern | None:
    """What to highlight for a query: its runs whole, else their bigrams and words."""
    parts = set()
    for run in tokens.runs(text):
        parts.add(run)
        parts.update(tokens.query_tokens(run))
    if not parts:
        return None
    ordered = sorted(parts, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in ordered), re.IGNORECASE)


def mark(text: str, pattern: re.Pattern | None, length: int | None = None) -> str:
    """`text` with matches wrapped in marks; cut to about `length` around the first match."""
    if length is not None and len(text) > length:
        match = pattern.search(text) if pattern else None
        start = 0 if match is None else max(0, match.start() - length // 3)
        end = start + length
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    if pattern is None:
        return text
    return pattern.sub(lambda m: MARK_START + m.group(0) + MARK_END, text)


def snippet_html(text: str, query_text: str, length: int = SNIPPET_LENGTH) -> SafeString:
    return marked_to_html(mark(text, highlight_pattern(query_text), length))
