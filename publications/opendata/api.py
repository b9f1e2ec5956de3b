"""`/api/v1/disclosures/…` and `/api/v1/tombstones/`: plain Django views returning JSON.

Which disclosures: those the ledger recorded as published (a `published` entry exists), as
their live page now stands. Statuses are those of `publications.windows.pages.page_window`:
`scheduled | open | closed | withdrawn` are listed; `retired` (retention ended) leaves the list
and is served as a tombstone (410 from the disclosure's routes, a row in `/api/v1/tombstones/`).
Content (summary, rows, attachments) is given only while the disclosure is open or closed.

Cursor pagination with no cap: disclosures are ordered by the seq of their first `published`
ledger entry, which never changes and is unique, and new disclosures get larger ones; so a walk
with `cursor` sees every disclosure exactly once, even while others are corrected or published.
"""

import io
from datetime import UTC, datetime

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime

from disclosure.models import DisclosureKind, DisclosurePage, Issuer, ListBasis
from disclosure.models.chain import is_published
from disclosure.models.issuers import issuer_subtree_ids
from publications.ledger.datasets import COLUMNS, public_rows, write_public_csv
from publications.ledger.models import CONTENT_EVENTS, LedgerEntry, LedgerEvent
from publications.rules.windows import WindowStatus

from .conditional import with_issuer_tree
from .history import ITEM_EVENTS, Version, history, is_shown, public_status, rfc3339
from .http import ApiError, int_param, open_data_view
from .links import page_url, public_url

LISTED_STATUSES = ("scheduled", "open", "closed", "withdrawn")
LIST_KINDS = ("candidate_list", "quota_plan")  # admission results are never listed
DEFAULT_LIMIT, MAX_LIMIT = 100, 500
MAX_PAGE_ID = 2**31 - 1
TAKE_DOWN_EVENTS = (LedgerEvent.WITHDRAWN, LedgerEvent.RETENTION_TAKEN_DOWN)


def absolute(request, name: str, **kwargs) -> str:
    return public_url(reverse(f"opendata:{name}", kwargs=kwargs or None))


def ledger_entry_url(request, seq: int) -> str:
    return public_url(reverse("ledger_api:entry", kwargs={"seq": seq}))


def data_urls(request, pk: int, kind: str) -> dict:
    if kind not in LIST_KINDS:
        return {"data_url": None, "csv_url": None}
    return {
        "data_url": absolute(request, "entries_json", pk=pk),
        "csv_url": absolute(request, "entries_csv", pk=pk),
    }


def _entry_subquery(events, field: str, newest: bool = True):
    rows = LedgerEntry.objects.filter(disclosure_id=OuterRef("pk"), event__in=events)
    return Subquery(rows.order_by("-seq" if newest else "seq").values(field)[:1])


def recorded_disclosures():
    """Disclosure pages with a `published` ledger entry, annotated from the ledger."""
    return (
        DisclosurePage.objects.annotate(
            first_seq=_entry_subquery([LedgerEvent.PUBLISHED], "seq", newest=False),
            last_seq=_entry_subquery(ITEM_EVENTS, "seq"),
            updated_at=_entry_subquery(ITEM_EVENTS, "at"),
            version_number=_entry_subquery(CONTENT_EVENTS, "version"),
            version_sha256=_entry_subquery(CONTENT_EVENTS, "content_sha256"),
        )
        .filter(first_seq__isnull=False)
        .select_related("issuer")
    )


def kind_of(page) -> str:
    return str(page.specific_class.kind) if page.specific_class else ""


def issuer_json(issuer: Issuer) -> dict:
    return {"id": issuer.pk, "name": issuer.name, "level": issuer.level}


def summary_json(request, page, status: str) -> dict:
    """A disclosure as listed (also the head of its detail)."""
    kind = kind_of(page)
    return {
        "id": page.pk,
        "kind": kind,
        "title": page.title,
        "issuer": issuer_json(page.issuer),
        "admission_year": page.admission_year,
        "status": status,
        "window_opens_at": rfc3339(page.window_opens_at),
        "window_closes_at": rfc3339(page.window_closes_at),
        "withdrawn_at": rfc3339(page.withdrawn_at),
        "version": page.version_number,
        "content_sha256": page.version_sha256 or None,
        "first_published_at": rfc3339(page.first_published_at),
        "updated_at": rfc3339(page.updated_at),
        "ledger_seq": page.last_seq,
        "url": page_url(page) if page.live and is_shown(status) else None,
        "api_url": absolute(request, "disclosure", pk=page.pk),
        **data_urls(request, page.pk, kind),
    }


def _parse_moment(raw: str) -> datetime:
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is not None:
            moment = datetime(day.year, day.month, day.day)
    if moment is None:
        raise ValueError(raw)
    # In UTC: PostgreSQL refuses offsets past ±15:59 that RFC 3339 syntax allows.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _filters(request) -> dict:
    params = request.GET
    kind = params.get("kind", "")
    if kind and kind not in DisclosureKind.values:
        raise ApiError(
            400, f"kind must be one of {', '.join(DisclosureKind.values)}", "参数 kind 不正确"
        )
    status = params.get("status", "")
    if status and status not in LISTED_STATUSES:
        raise ApiError(
            400, f"status must be one of {', '.join(LISTED_STATUSES)}", "参数 status 不正确"
        )
    updated_since = None
    if params.get("updated_since"):
        try:
            updated_since = _parse_moment(params["updated_since"])
        except (ValueError, OverflowError):
            raise ApiError(
                400,
                "updated_since must be an RFC 3339 date-time, e.g. 2026-06-01T00:00:00Z",
                "参数 updated_since 应为 RFC 3339 时间，如 2026-06-01T00:00:00Z",
            ) from None
    return {
        "kind": kind,
        "status": status,
        "year": int_param(request, "year", None, minimum=2000, maximum=2100),
        "issuer": params.get("issuer", "").strip()[:100],
        "include_below": _include_below(request),
        "updated_since": updated_since,
        "cursor": int_param(request, "cursor", 0),
        "limit": int_param(request, "limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT),
    }


def _issuer_filter(raw: str, include_below: bool):
    """`issuer=` is an id or an exact name; with the issuers below it unless told otherwise."""
    if raw.isascii() and raw.isdigit() and len(raw) < 10:
        root = int(raw)
    else:
        root = Issuer.objects.filter(name=raw).values_list("pk", flat=True).first()
        if root is None:
            return {"issuer_id__in": []}
    return {"issuer_id__in": issuer_subtree_ids(root) if include_below else [root]}


def _include_below(request) -> bool:
    raw = request.GET.get("include_below", "true")
    if raw not in ("true", "false"):
        raise ApiError(
            400, "include_below must be true or false", "参数 include_below 应为 true 或 false"
        )
    return raw == "true"


@open_data_view(validator=with_issuer_tree)
def disclosures(request, *, now):
    """`GET /api/v1/disclosures/?kind&status&year&issuer&include_below&updated_since&cursor&limit`.

    `issuer` (an id or an exact name) includes the disclosures of every issuer below it,
    directly or transitively; `include_below=false` keeps to that one issuer."""
    f = _filters(request)
    pages = recorded_disclosures().filter(first_seq__gt=f["cursor"]).order_by("first_seq")
    if f["kind"]:
        from disclosure.models.pages import PAGE_MODELS_BY_KIND

        model = PAGE_MODELS_BY_KIND[f["kind"]]
        pages = pages.filter(content_type__model=model._meta.model_name).filter(
            content_type__app_label=model._meta.app_label
        )
    if f["year"] is not None:
        pages = pages.filter(admission_year=f["year"])
    if f["issuer"]:
        pages = pages.filter(**_issuer_filter(f["issuer"], f["include_below"]))
    if f["updated_since"] is not None:
        pages = pages.filter(updated_at__gt=f["updated_since"])
    if f["status"] == WindowStatus.WITHDRAWN:
        pages = pages.exclude(live=True, withdrawn_at__isnull=True)
    elif f["status"]:
        pages = pages.filter(live=True, withdrawn_at__isnull=True)
    items, last_key, more = [], None, False
    for page in pages.iterator(chunk_size=500):
        status = public_status(page, now)
        if status == WindowStatus.RETIRED or (f["status"] and status != f["status"]):
            continue
        if len(items) == f["limit"]:
            more = True
            break
        items.append(summary_json(request, page, status))
        last_key = page.first_seq
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = str(last_key)
        next_url = public_url(f"{request.path}?{query.urlencode()}")
    return {"disclosures": items, "next": next_url, "ledger_url": ledger_url(request)}


def ledger_url(request) -> str:
    return public_url(reverse("ledger_api:entries"))


def _recorded_page(pk: int):
    page = recorded_disclosures().filter(pk=pk).first() if 0 < pk <= MAX_PAGE_ID else None
    if page is None:
        raise ApiError(404, f"no published disclosure {pk}", f"没有编号为 {pk} 的已发布公示")
    return page


def version_json(request, version: Version) -> dict:
    entry = version.entry
    return {
        "version": entry.version,
        "change": version.change,
        "event": entry.event,
        "at": rfc3339(entry.at),
        "title": version.title,
        "change_note": version.change_note or None,
        "reason": version.reason,
        "window_opens_at": version.window_opens_at,
        "window_closes_at": version.window_closes_at,
        "content_sha256": version.content_sha256,
        "ledger_seq": entry.seq,
        "ledger_url": ledger_entry_url(request, entry.seq),
    }


def tombstone_json(request, page, versions: list[Version], status: str) -> dict:
    """What stays of a disclosure taken down: what it was, when, its hash, why it came down."""
    contents = [v for v in versions if v.is_content]
    downs = [v for v in versions if v.entry.event in TAKE_DOWN_EVENTS]
    last, down = (contents[-1] if contents else None), (downs[-1] if downs else None)
    return {
        "disclosure_id": page.pk,
        "kind": kind_of(page),
        "title": last.title if last else page.title,
        "issuer": issuer_json(page.issuer),
        "admission_year": page.admission_year,
        "status": status,
        "first_published_at": rfc3339(page.first_published_at),
        "taken_down_at": rfc3339(down.entry.at) if down else rfc3339(page.withdrawn_at),
        "reason": down.reason if down else None,
        "version": last.entry.version if last else None,
        "content_sha256": last.content_sha256 if last else None,
        "ledger_seq": down.entry.seq if down else None,
        "ledger_url": ledger_entry_url(request, down.entry.seq) if down else None,
    }


def _gone(request, page, versions, status) -> ApiError:
    return ApiError(
        410,
        "this disclosure was taken down; its tombstone remains",
        "此公示已撤下，仅保留记录。",
        tombstone=tombstone_json(request, page, versions, status),
    )


@open_data_view
def disclosure(request, pk: int, *, now):
    """`GET /api/v1/disclosures/<id>/`: the disclosure, its live content, all its versions."""
    page = _recorded_page(pk)
    status = public_status(page, now)
    versions = history(page.pk)
    if status == WindowStatus.RETIRED:
        raise _gone(request, page, versions, status)
    data = summary_json(request, page, status)
    specific = page.specific
    shown = is_shown(status) and page.live
    data.update(
        summary=specific.summary if shown else None,
        list_type=getattr(specific, "list_type", None),
        dataset=_dataset_json(specific) if shown else None,
        attachments=_attachments_json(request, specific) if shown else [],
        withdrawal=_withdrawal_json(request, versions) if status == "withdrawn" else None,
        versions=[version_json(request, v) for v in versions],
    )
    if kind_of(page) == DisclosureKind.CANDIDATE_LIST:
        data.update(_chain_json(request, specific, shown))
    return data


def _chain_json(request, page, shown: bool) -> dict:
    """逐级公示: the lower lists this list rests on, with the version and hashes it pinned,
    and the published lists resting on it. Row changes are counted only (names on the page)."""
    from disclosure.presenters import row_changes

    basis = [
        {
            "disclosure_id": row.basis_id,
            "title": row.basis.title,
            "issuer": issuer_json(row.basis.issuer),
            "version": row.basis_version,
            "content_sha256": row.basis_content_sha256 or None,
            "dataset_public_sha256": row.dataset_sha256 or None,
            "api_url": absolute(request, "disclosure", pk=row.basis_id),
        }
        for row in ListBasis.objects.filter(page_id=page.pk)
        .select_related("basis__issuer")
        .order_by("sort_order", "pk")
    ]
    higher = {}
    for row in ListBasis.objects.filter(basis_id=page.pk).select_related("page__issuer"):
        if is_published(row.page) and row.page_id not in higher:
            higher[row.page_id] = {
                "disclosure_id": row.page_id,
                "title": row.page.title,
                "issuer": issuer_json(row.page.issuer),
                "api_url": absolute(request, "disclosure", pk=row.page_id),
            }
    changes = row_changes(page) if shown and basis else None
    return {
        "basis": basis,
        "passed_up_to": list(higher.values()),
        "row_changes": None
        if changes is None
        else {
            "added": changes["added_total"],
            "removed": changes["removed_total"],
            "kept": changes["kept"],
        },
    }


@open_data_view(validator=lambda request, now: with_issuer_tree(request, now, always=True))
def issuers(request, *, now):
    """`GET /api/v1/issuers/`: the whole issuer tree (省 → 市 → 县 → 校, 高校), by id."""
    items = []
    for issuer in Issuer.objects.order_by("pk"):
        items.append(
            {
                "id": issuer.pk,
                "name": issuer.name,
                "level": issuer.level,
                "level_label": issuer.get_level_display(),
                "parent_id": issuer.parent_id,
                "region_code": issuer.region_code or None,
                "url": request.build_absolute_uri(reverse("issuer", kwargs={"pk": issuer.pk})),
                "disclosures_url": f"{absolute(request, 'disclosures')}?issuer={issuer.pk}",
            }
        )
    return {"issuers": items}


def _dataset_json(page) -> dict | None:
    dataset = getattr(page, "dataset", None)
    if dataset is None or page.kind not in LIST_KINDS:
        return None
    return {
        "id": dataset.pk,
        "kind": dataset.kind,
        "row_count": dataset.row_count,
        "public_sha256": dataset.public_sha256,
    }


def _attachments_json(request, page) -> list[dict]:
    from .feed import policy_attachments

    return policy_attachments(request, page)


def _withdrawal_json(request, versions) -> dict | None:
    downs = [v for v in versions if v.entry.event == LedgerEvent.WITHDRAWN]
    if not downs:
        return None
    down = downs[-1]
    return {
        "at": rfc3339(down.entry.at),
        "reason": down.reason,
        "notice_id": down.detail.get("notice_id"),
        "ledger_seq": down.entry.seq,
    }


def _live_rows(request, pk: int, now):
    """(page, dataset) of a list shown now, or the ApiError to answer instead."""
    page = _recorded_page(pk)
    status = public_status(page, now)
    kind = kind_of(page)
    if kind == DisclosureKind.ADMISSION_RESULTS:
        raise ApiError(
            404,
            "admission results are never listed; look one up at /api/v1/lookup/admission",
            "录取结果不公开列出，请通过 /api/v1/lookup/admission 查询本人结果。",
        )
    if kind not in LIST_KINDS:
        raise ApiError(404, "this disclosure has no rows", "此公示没有名单数据")
    if status in (WindowStatus.WITHDRAWN, WindowStatus.RETIRED) or not page.live:
        raise _gone(request, page, history(page.pk), status)
    if not is_shown(status):
        raise ApiError(404, "this disclosure is not on notice yet", "此公示尚未开始公示")
    specific = page.specific
    if specific.dataset is None:
        raise ApiError(404, "this disclosure has no rows", "此公示没有名单数据")
    return page, specific.dataset


@open_data_view
def entries_json(request, pk: int, *, now):
    """`GET /api/v1/disclosures/<id>/entries.json`: the live version's rows, masked."""
    page, dataset = _live_rows(request, pk, now)
    columns = COLUMNS[dataset.kind]
    return {
        "disclosure_id": page.pk,
        "version": page.version_number,
        "content_sha256": page.version_sha256 or None,
        "dataset": _dataset_json(page.specific),
        "columns": [{"key": key, "header": header} for key, header, _ in columns],
        "rows": list(public_rows(dataset)),
        "csv_url": absolute(request, "entries_csv", pk=page.pk),
    }


@open_data_view
def entries_csv(request, pk: int, *, now):
    """`GET /api/v1/disclosures/<id>/entries.csv`: the public CSV (docs/verify.md)."""
    page, dataset = _live_rows(request, pk, now)
    stream = io.StringIO(newline="")
    write_public_csv(dataset, stream)
    response = HttpResponse(
        stream.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    filename = f"disclosure-{page.pk}-v{page.version_number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@open_data_view
def tombstones(request, *, now):
    """`GET /api/v1/tombstones/?cursor&limit`: one per take-down (withdrawal, end of retention),
    in ledger order; `cursor` is the seq of the last one seen."""
    cursor = int_param(request, "cursor", 0)
    limit = int_param(request, "limit", DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    downs = list(
        LedgerEntry.objects.filter(seq__gt=cursor, event__in=TAKE_DOWN_EVENTS)
        .exclude(disclosure_id=None)
        .order_by("seq")[: limit + 1]
    )
    more, downs = len(downs) > limit, downs[:limit]
    pages = {
        p.pk: p for p in recorded_disclosures().filter(pk__in={d.disclosure_id for d in downs})
    }
    items = []
    for down in downs:
        page = pages.get(down.disclosure_id)
        if page is None:
            continue
        versions = [v for v in history(page.pk) if v.entry.seq <= down.seq]
        status = "withdrawn" if down.event == LedgerEvent.WITHDRAWN else "retired"
        items.append(tombstone_json(request, page, versions, status))
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = str(downs[-1].seq)
        next_url = public_url(f"{request.path}?{query.urlencode()}")
    return {"tombstones": items, "next": next_url}
