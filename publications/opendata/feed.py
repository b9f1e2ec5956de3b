"""`/feed.json`: JSON Feed 1.1 (https://jsonfeed.org/version/1.1), one item per ledger entry
that changes what the public sees: a new disclosure, a correction, a withdrawal, a window
change, a take-down at the end of retention.

- `id` is a tag URI naming the disclosure, its version, the change and the ledger seq: stable,
  and never reused, because seqs are not.
- Newest first, `limit` items a page (default 50); `next_url` carries `before=<seq of the last
  item>`, so a walk never repeats an item and never skips one, even while new ones arrive.
- `content_html` is built from escaped text only (titles, summaries and rich text reduced to
  text); `content_text` says the same in plain text.
- Content is shown only while the disclosure is open or closed. An item of a disclosure since
  withdrawn or taken down says so (with the reason and the hash) instead of its content; a
  withdrawal item carries the reason, never the rows. Attachments (the rows as CSV/JSON, a
  policy's documents) only on items of the live version of a disclosure shown now.
"""

import html
import io
import mimetypes
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils.html import format_html, format_html_join, strip_tags

from disclosure.models import DisclosureKind, Issuer
from publications.ledger.datasets import write_public_csv
from publications.ledger.models import LedgerEntry

from .api import LIST_KINDS, absolute, data_urls, kind_of, recorded_disclosures
from .history import (
    CHANGE_LABELS,
    ITEM_EVENTS,
    Version,
    is_shown,
    public_status,
    rfc3339,
    versions_of,
)
from .http import int_param, json_response, open_data_view
from .links import page_url, public_base_url, public_url

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
FEED_TYPE = "application/feed+json"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
TAG_DATE = "2026"
STATUS_LABELS = {
    "scheduled": "尚未公示",
    "withdrawn": "已撤下",
    "retired": "公示保留期满，已撤下",
}
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|ul|ol|div)>|<br\s*/?>", re.IGNORECASE)


def tag_authority() -> str:
    configured = getattr(settings, "OPENDATA_TAG_AUTHORITY", "")
    return configured or urlsplit(public_base_url()).hostname or "localhost"


def item_id(entry: LedgerEntry, change: str) -> str:
    return (
        f"tag:{tag_authority()},{TAG_DATE}:disclosure/{entry.disclosure_id}"
        f"/v{entry.version or 0}/{change}/{entry.seq}"
    )


def rich_text_to_text(value: str) -> str:
    """Stored rich text as plain paragraphs (tags dropped, entities decoded)."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", value or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def csv_size(dataset) -> int:
    """Bytes of the public CSV of an (immutable) dataset, computed once."""
    key = f"opendata:csvsize:{dataset.pk}:{dataset.public_sha256}"
    size = cache.get(key)
    if size is None:
        stream = io.StringIO(newline="")
        write_public_csv(dataset, stream)
        size = len(stream.getvalue().encode("utf-8"))
        cache.set(key, size, None)
    return size


def policy_attachments(request, page) -> list[dict]:
    """A policy's documents as JSON Feed attachments (url, mime_type, size_in_bytes, sha256)."""
    if not hasattr(page, "attachments"):
        return []
    found = []
    for attachment in page.attachments.select_related("document").order_by("sort_order", "pk"):
        document = attachment.document
        mime = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
        found.append(
            {
                "url": public_url(document.url),
                "mime_type": mime,
                "title": document.title,
                "size_in_bytes": document.get_file_size() or 0,
                "sha256": attachment.sha256,
            }
        )
    return found


def data_attachments(request, page) -> list[dict]:
    dataset = getattr(page, "dataset", None)
    if dataset is None or page.kind not in LIST_KINDS:
        return []
    return [
        {
            "url": absolute(request, "entries_csv", pk=page.pk),
            "mime_type": "text/csv",
            "title": f"{page.title}（CSV，{dataset.row_count}行）",
            "size_in_bytes": csv_size(dataset),
        }
    ]


def _content(version: Version, page, status: str, url: str | None) -> tuple[str, str]:
    """(content_html, content_text) of an item: escaped text only."""
    change = version.change
    label = CHANGE_LABELS[change]
    reason = version.reason
    lines: list[tuple[str, str]] = [("strong", f"{label}：{version.title}")]
    shown = page is not None and page.live and is_shown(status)
    if change in ("withdrawal", "retention_end"):
        lines.append(("p", f"理由：{reason or '（未说明）'}"))
    elif not shown:
        lines.append(("p", f"此公示{STATUS_LABELS.get(status, '已不再公开')}，内容不再提供。"))
        if reason:
            lines.append(("p", f"{'更正说明' if change == 'correction' else '理由'}：{reason}"))
    else:
        document = version.document or {}
        if change == "correction" and reason:
            lines.append(("p", f"更正说明：{reason}"))
        elif change == "window_change" and reason:
            lines.append(("p", f"理由：{reason}"))
        if document.get("summary"):
            lines.append(("p", document["summary"]))
        opens, closes = version.window_opens_at, version.window_closes_at
        if opens or closes:
            lines.append(("p", f"公示期：{opens or '—'} 至 {closes or '—'}（UTC）"))
        dataset = document.get("dataset")
        if dataset:
            lines.append(
                (
                    "p",
                    f"名单共{dataset['row_count']}行，公开内容哈希（SHA-256）："
                    f"{dataset['public_sha256']}",
                )
            )
        for paragraph in rich_text_to_text(document.get("body", "")).splitlines():
            lines.append(("p", paragraph))
    if version.content_sha256:
        lines.append(("p", f"版本内容哈希（SHA-256）：{version.content_sha256}"))
    lines.append(("p", f"台账序号：{version.entry.seq}"))
    content_html = format_html_join("", "<{0}>{1}</{0}>", ((tag, text) for tag, text in lines))
    if url:
        content_html += format_html('<p><a href="{}">{}</a></p>', url, "查看公示")
    content_text = "\n".join(text for _tag, text in lines) + (f"\n{url}" if url else "")
    return str(content_html), content_text


def item_json(request, version: Version, page, status: str, now) -> dict:
    entry = version.entry
    change = version.change
    document = version.document or {}
    kind = document.get("kind") or (kind_of(page) if page is not None else "")
    kind = kind or version.detail.get("kind", "")
    issuer: Issuer | None = page.issuer if page is not None else None
    shown = page is not None and page.live and is_shown(status)
    url = page_url(page) if page is not None and page.live else None
    content_html, content_text = _content(version, page, status, url)
    date_modified = entry.at
    if not shown and page is not None:
        down = page.withdrawn_at or page.retired_at
        if down is not None and down > date_modified:
            date_modified = down
    current = shown and entry.version == page.version_number
    attachments = []
    if current:
        specific = page.specific
        attachments = data_attachments(request, specific) + policy_attachments(request, specific)
    label = CHANGE_LABELS[change]
    item = {
        "id": item_id(entry, change),
        "url": url,
        "title": f"【{label}】{version.title}",
        "content_html": content_html,
        "content_text": content_text,
        "summary": (document.get("summary") or None) if shown else None,
        "date_published": rfc3339(entry.at),
        "date_modified": rfc3339(date_modified),
        "authors": [{"name": issuer.name}] if issuer else [],
        "tags": [DisclosureKind(kind).label if kind in DisclosureKind.values else kind, label],
        "language": "zh-CN",
        "_sunshine": {
            "disclosure_id": entry.disclosure_id,
            "kind": kind,
            "issuer": issuer.name if issuer else None,
            "level": issuer.level if issuer else None,
            "version": entry.version,
            "change": change,
            "reason": version.reason,
            "window_opens_at": version.window_opens_at,
            "window_closes_at": version.window_closes_at,
            "content_sha256": version.content_sha256,
            "ledger_seq": entry.seq,
            "data_url": data_urls(request, entry.disclosure_id, kind)["data_url"],
        },
    }
    if attachments:
        item["attachments"] = attachments
    if not item["summary"]:
        del item["summary"]
    if not item["url"]:
        del item["url"]
    return item


@open_data_view
def feed(request, *, now):
    """`GET /feed.json?before=<seq>&limit=<n>`."""
    before = int_param(request, "before", None, minimum=1)
    limit = int_param(request, "limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    entries = LedgerEntry.objects.filter(event__in=ITEM_EVENTS).exclude(disclosure_id=None)
    if before is not None:
        entries = entries.filter(seq__lt=before)
    page_entries = list(entries.order_by("-seq")[: limit + 1])
    more, page_entries = len(page_entries) > limit, page_entries[:limit]
    pages = {
        p.pk: p
        for p in recorded_disclosures().filter(pk__in={e.disclosure_id for e in page_entries})
    }
    statuses = {pk: public_status(p, now) for pk, p in pages.items()}
    items = [
        item_json(
            request,
            version,
            pages.get(version.entry.disclosure_id),
            statuses.get(version.entry.disclosure_id, "withdrawn"),
            now,
        )
        for version in versions_of(page_entries)
    ]
    feed_url = absolute(request, "feed")
    document = {
        "version": JSON_FEED_VERSION,
        "title": f"{settings.WAGTAIL_SITE_NAME}：公示、更正与撤回",
        "home_page_url": public_url("/"),
        "feed_url": feed_url,
        "description": (
            "每次发布、更正、撤回、公示期变更和保留期满撤下各为一条，附内容哈希与台账序号。"
        ),
        "language": "zh-CN",
        "authors": [{"name": settings.WAGTAIL_SITE_NAME}],
        "items": items,
    }
    if more:
        query = request.GET.copy()
        query["before"] = str(page_entries[-1].seq)
        document["next_url"] = f"{feed_url}?{query.urlencode()}"
    return json_response(document, content_type=f"{FEED_TYPE}; charset=utf-8")
