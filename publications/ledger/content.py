"""The public content of one version of a disclosure, as the ledger hashes it.

A ledger entry's ``content_sha256`` is ``sha256_hex(canonical_json(document))``
where ``document`` is ``public_content(page)``: the fields the public sees, the
SHA-256 of each attached file, and the dataset's row count and hashes (never its
rows: the rows are pinned by ``public_sha256``, which anyone can recompute from
the public CSV). ``GET /api/v1/ledger/entries/<seq>/`` serves the document, so a
journalist can check it against the entry and the CSV against the document.

Document, schema ``sunshine-disclosure-content/v1`` (keys sorted when hashed)::

    schema, disclosure_id, kind, title, issuer_id, admission_year, summary,
    body (the stored rich text), tags (sorted names), window_opens_at,
    window_closes_at (UTC "…Z" text or null), change_note,
    and per kind: list_type (candidate list); dataset {id, kind, row_count,
    public_sha256, content_sha256} or null (dataset pages); attachments
    [{document_id, sha256}] in order (policy); notice_type, target_id, reason (notice);
    and, only for a candidate list that rests on lower lists (逐级公示), basis [{disclosure_id,
    version, content_sha256, dataset_public_sha256}] in order, as pinned when each was chosen
    (absent otherwise, so the documents of lists without a basis are unchanged).

Issuer names and document titles are left out on purpose: they live outside the
page's revisions and may be renamed without changing what was disclosed.
"""

from collections.abc import Callable

from disclosure.models import Dataset, DisclosurePage, NoticePage, PolicyPage
from publications.ledger.canonical import canonical_json, sha256_hex, utc_timestamp

CONTENT_SCHEMA = "sunshine-disclosure-content/v1"

DatasetSummary = Callable[[int], dict]


def stored_dataset_summary(dataset_id: int) -> dict:
    """The dataset part of the document from the ``Dataset`` row as stored."""
    dataset = Dataset.objects.get(pk=dataset_id)
    return {
        "id": dataset.pk,
        "kind": dataset.kind,
        "row_count": dataset.row_count,
        "public_sha256": dataset.public_sha256,
        "content_sha256": dataset.content_sha256,
    }


def public_content(
    page: DisclosurePage, *, dataset_summary: DatasetSummary = stored_dataset_summary
) -> dict:
    """The document of ``page`` (a specific page: live, or ``revision.as_object()``)."""
    document: dict[str, object] = {
        "schema": CONTENT_SCHEMA,
        "disclosure_id": page.pk,
        "kind": str(page.kind),
        "title": page.title,
        "issuer_id": page.issuer_id,
        "admission_year": page.admission_year,
        "summary": page.summary,
        "body": str(page.body or ""),
        "tags": sorted(tag.name for tag in page.tags.all()),
        "window_opens_at": _timestamp(page.window_opens_at),
        "window_closes_at": _timestamp(page.window_closes_at),
        "change_note": page.change_note,
    }
    if hasattr(page, "list_type"):
        document["list_type"] = page.list_type
    if page.dataset_kind is not None:
        dataset_id = getattr(page, "dataset_id", None)
        document["dataset"] = None if dataset_id is None else dataset_summary(dataset_id)
    if hasattr(page, "basis_lists"):
        basis = [
            {
                "disclosure_id": row.basis_id,
                "version": row.basis_version,
                "content_sha256": row.basis_content_sha256 or None,
                "dataset_public_sha256": row.dataset_sha256 or None,
            }
            for row in sorted(page.basis_lists.all(), key=lambda r: (r.sort_order or 0, r.pk or 0))
            if row.basis_id is not None
        ]
        if basis:
            document["basis"] = basis
    if isinstance(page, PolicyPage):
        attachments = sorted(page.attachments.all(), key=lambda a: (a.sort_order or 0, a.pk or 0))
        document["attachments"] = [
            {"document_id": a.document_id, "sha256": a.sha256} for a in attachments
        ]
    if isinstance(page, NoticePage):
        document["notice_type"] = page.notice_type
        document["target_id"] = page.target_id
        document["reason"] = page.reason
    return document


def content_sha256(document: dict) -> str:
    return sha256_hex(canonical_json(document))


def page_content_sha256(page: DisclosurePage) -> str:
    """The content hash of ``page`` as it stands (stored dataset hashes)."""
    return content_sha256(public_content(page))


def _timestamp(moment) -> str | None:
    return None if moment is None else utc_timestamp(moment)
