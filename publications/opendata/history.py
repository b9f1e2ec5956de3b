"""Versions of disclosures, from the ledger: what the feed's items and the API's `versions` are.

A disclosure's history is its ledger entries of these events, oldest first:
`published` (a new disclosure, version 1), `corrected` (a new version, with its change note),
`withdrawn` (with the withdrawal notice's reason), `window_changed`, `retention_taken_down`.
Only the ledger says a version was public: drafts, scheduled and unapproved revisions never
have an entry, so they never appear here.

A content entry's document (`publications.ledger.content.public_content` of the revision it
records) is immutable, so it is cached under the entry's seq and hash.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from wagtail.models import Revision

from disclosure.models import DisclosurePage
from publications.ledger.canonical import utc_timestamp
from publications.ledger.content import public_content
from publications.ledger.models import CONTENT_EVENTS, LedgerEntry, LedgerEvent
from publications.rules.windows import WindowStatus
from publications.windows.pages import page_window

ITEM_EVENTS = (
    LedgerEvent.PUBLISHED,
    LedgerEvent.CORRECTED,
    LedgerEvent.WITHDRAWN,
    LedgerEvent.WINDOW_CHANGED,
    LedgerEvent.RETENTION_TAKEN_DOWN,
)
CHANGES = {
    LedgerEvent.PUBLISHED: "new",
    LedgerEvent.CORRECTED: "correction",
    LedgerEvent.WITHDRAWN: "withdrawal",
    LedgerEvent.WINDOW_CHANGED: "window_change",
    LedgerEvent.RETENTION_TAKEN_DOWN: "retention_end",
}
CHANGE_LABELS = {
    "new": "新发布",
    "correction": "更正",
    "withdrawal": "撤回",
    "window_change": "公示期变更",
    "retention_end": "保留期满撤下",
}
RETENTION_REASON = "公示保留期满，个人信息已撤下，仅保留记录。"
DOCUMENT_TIMEOUT = 7 * 24 * 3600


def rfc3339(moment: datetime | None) -> str | None:
    return None if moment is None else utc_timestamp(moment)


def entry_document(entry: LedgerEntry) -> dict | None:
    """The content document of a published/corrected entry (the revision it recorded)."""
    if not isinstance(entry.detail, dict):
        return None
    is_window_change = entry.event == LedgerEvent.WINDOW_CHANGED and entry.content_sha256
    if entry.event not in CONTENT_EVENTS and not is_window_change:
        return None
    key = f"opendata:document:{entry.seq}:{entry.entry_hash}"
    document = cache.get(key)
    if document is not None:
        return document
    revision_id = entry.detail.get("revision_id")
    revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
    if revision is None or revision.object_id != str(entry.disclosure_id):
        return None
    document = public_content(revision.as_object())
    cache.set(key, document, DOCUMENT_TIMEOUT)
    return document


@dataclass(frozen=True)
class Version:
    """One item of a disclosure's public history."""

    entry: LedgerEntry
    document: dict | None  # the content of the version this item concerns
    version_sha256: str | None  # that version's content hash, as its ledger entry recorded

    @property
    def change(self) -> str:
        return CHANGES[LedgerEvent(self.entry.event)]

    @property
    def is_content(self) -> bool:
        return self.entry.event in CONTENT_EVENTS

    @property
    def detail(self) -> dict:
        return self.entry.detail if isinstance(self.entry.detail, dict) else {}

    @property
    def title(self) -> str:
        return (self.document or {}).get("title") or self.detail.get("title", "")

    @property
    def content_sha256(self) -> str | None:
        """This version's content hash: the entry's own, or (for a withdrawal, window change or
        take-down) that of the version it concerns."""
        return self.entry.content_sha256 or self.version_sha256 or None

    @property
    def change_note(self) -> str:
        if self.entry.event != LedgerEvent.CORRECTED:
            return ""
        return self.detail.get("change_note") or (self.document or {}).get("change_note", "")

    @property
    def reason(self) -> str | None:
        event = self.entry.event
        if event == LedgerEvent.CORRECTED:
            return self.change_note or None
        if event in (LedgerEvent.WITHDRAWN, LedgerEvent.WINDOW_CHANGED):
            return self.detail.get("reason") or self.detail.get("change_note") or None
        if event == LedgerEvent.RETENTION_TAKEN_DOWN:
            return RETENTION_REASON
        if (self.document or {}).get("kind") == "notice":
            return (self.document or {}).get("reason") or None
        return None

    @property
    def window_opens_at(self) -> str | None:
        return (self.document or {}).get("window_opens_at")

    @property
    def window_closes_at(self) -> str | None:
        return (self.document or {}).get("window_closes_at")


def versions_of(entries: list[LedgerEntry]) -> list[Version]:
    """Versions for `entries` (any disclosures, any order kept), each with its document."""
    wanted = {
        (e.disclosure_id, e.version)
        for e in entries
        if e.event not in CONTENT_EVENTS and e.disclosure_id and e.version
    }
    content_entries: dict[tuple[int, int], LedgerEntry] = {}
    if wanted:
        rows = LedgerEntry.objects.filter(
            disclosure_id__in={d for d, _ in wanted}, event__in=CONTENT_EVENTS
        ).order_by("seq")
        for row in rows:
            content_entries[(row.disclosure_id, row.version)] = row
    versions = []
    for entry in entries:
        source = entry
        own_document = entry.event == LedgerEvent.WINDOW_CHANGED and entry.content_sha256
        if entry.event not in CONTENT_EVENTS and not own_document:
            source = content_entries.get((entry.disclosure_id, entry.version))
        versions.append(
            Version(
                entry,
                entry_document(source) if source else None,
                source.content_sha256 if source else None,
            )
        )
    return versions


def history(disclosure_id: int) -> list[Version]:
    entries = list(
        LedgerEntry.objects.filter(disclosure_id=disclosure_id, event__in=ITEM_EVENTS).order_by(
            "seq"
        )
    )
    return versions_of(entries)


def public_status(page: DisclosurePage | None, now: datetime) -> str:
    """scheduled | open | closed | withdrawn | retired (a page no longer live: withdrawn)."""
    if page is None or not page.live:
        return WindowStatus.WITHDRAWN.value
    return page_window(page, now).status.value


def is_shown(status: str) -> bool:
    return status in (WindowStatus.OPEN.value, WindowStatus.CLOSED.value)
