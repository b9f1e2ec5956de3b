"""What is indexed: published disclosures, and the rows of candidate lists.

Two kinds of index document, both carrying the public interval of their disclosure:

- `disclosure`: title, summary and body text, issuer, kind, year, level, window;
- `entry`: one row of a candidate list on notice: name, school and category only (the public
  columns the rules name for a lookup; gender, scores and identifiers are not indexed).

Admission results are never indexed: their rows are found by exact exam number and name only
(`search.lookup`). Only the admission-results page itself (its title and summary) is.
"""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import unescape

from django.utils.html import strip_tags

from disclosure.models import CandidateEntry, DisclosurePage

from .visibility import PublicInterval, is_indexable, public_interval

DISCLOSURE = "disclosure"
ENTRY = "entry"


@dataclass
class IndexDocument:
    doc_id: str
    doc_type: str
    page_id: int
    kind: str
    title: str
    text: str
    url: str
    issuer_id: int
    issuer_name: str
    level: str
    year: int
    opens_at: datetime
    closes_at: datetime
    visible_from: datetime
    visible_until: datetime
    name: str = ""
    school: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def plain_text(html: str) -> str:
    return " ".join(unescape(strip_tags(html or "")).split())


def disclosure_document(page, interval: PublicInterval) -> IndexDocument:
    issuer = page.issuer
    tags = [tag.name for tag in page.tags.all()]
    text = " ".join(
        part for part in (page.summary, plain_text(page.body), issuer.name, " ".join(tags)) if part
    )
    return IndexDocument(
        doc_id=f"d-{page.pk}",
        doc_type=DISCLOSURE,
        page_id=page.pk,
        kind=page.kind,
        title=page.title,
        text=text,
        url=page.url or "",
        issuer_id=issuer.pk,
        issuer_name=issuer.name,
        level=issuer.level,
        year=page.admission_year,
        opens_at=interval.starts_at,
        closes_at=interval.closes_at,
        visible_from=interval.starts_at,
        visible_until=interval.ends_at,
        tags=tags,
    )


def entry_documents(page, base: IndexDocument) -> Iterator[IndexDocument]:
    """The rows of a candidate list; nothing for any other kind (admission results above all)."""
    if page.kind != "candidate_list" or not getattr(page, "dataset_id", None):
        return
    rows = (
        CandidateEntry.objects.filter(dataset_id=page.dataset_id)
        .order_by("position")
        .values_list("position", "name", "school", "category")
        .iterator(chunk_size=2000)
    )
    for position, name, school, category in rows:
        yield IndexDocument(
            **{
                **base.as_dict(),
                "doc_id": f"e-{page.pk}-{position}",
                "doc_type": ENTRY,
                "text": " ".join((name, school, category)),
                "name": name,
                "school": school,
                "category": category,
                "tags": [],
            }
        )


def documents_for_page(page, now: datetime) -> list[IndexDocument]:
    """Everything to index for `page` at `now`; empty if it must not be found."""
    page = page.specific
    if not isinstance(page, DisclosurePage) or not is_indexable(page, now):
        return []
    interval = public_interval(page)
    base = disclosure_document(page, interval)
    return [base, *entry_documents(page, base)]


def indexable_pages():
    """Candidates for a rebuild: live disclosures (each is checked again by is_indexable)."""
    return DisclosurePage.objects.live().specific().select_related("issuer").order_by("pk")
