"""What the public pages show of a dataset: filtered, paginated rows and summaries.

Public rows never carry exam numbers or ID numbers, not even masked.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Sum

from .models.entries import AdmissionResult, CandidateEntry, QuotaEntry

ROWS_PER_PAGE = 50
MAX_FILTER_LENGTH = 64

CANDIDATE_COLUMNS = (
    ("serial", "序号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("school", "所在中学"),
    ("category", "照顾类别"),
    ("qualification", "资格条件"),
    ("test_item", "测试项目"),
    ("test_score", "测试成绩"),
    ("pass_standard", "合格标准"),
    ("institution", "拟录高校"),
    ("major", "拟录专业"),
    ("bonus_points", "加分分值"),
    ("remarks", "备注"),
)
QUOTA_COLUMNS = (
    ("institution_code", "院校代码"),
    ("institution", "院校名称"),
    ("major_code", "专业代码"),
    ("major", "专业名称"),
    ("track", "科类"),
    ("batch", "批次"),
    ("places", "计划数"),
    ("years", "学制"),
    ("tuition", "学费（元/年）"),
    ("remarks", "备注"),
)
ALWAYS_SHOWN = {
    "serial",
    "name",
    "school",
    "category",
    "institution_code",
    "institution",
    "major",
    "track",
    "batch",
    "places",
}


def _clean_filter(value: str | None) -> str:
    return (value or "").strip()[:MAX_FILTER_LENGTH]


def _query_prefix(**filters) -> str:
    """Filters to carry into pagination links (escaped by the template)."""
    present = {k: v for k, v in filters.items() if v}
    return urlencode(present) + "&" if present else ""


def _present_columns(rows, columns):
    """Optional columns that are empty in every row are left out of the table."""
    shown = []
    for field, label in columns:
        if field in ALWAYS_SHOWN or rows.exclude(**{field: ""}).exists():
            shown.append((field, label))
    return shown


def candidate_list_context(dataset, params) -> dict:
    if dataset is None:
        return {"rows": None}
    rows = CandidateEntry.objects.filter(dataset=dataset)
    school = _clean_filter(params.get("school"))
    category = _clean_filter(params.get("category"))
    filtered = rows
    if school:
        filtered = filtered.filter(school=school)
    if category:
        filtered = filtered.filter(category=category)
    columns = _present_columns(rows, CANDIDATE_COLUMNS)
    page = Paginator(
        filtered.order_by("position").values("position", *(f for f, _ in columns)),
        ROWS_PER_PAGE,
    ).get_page(params.get("page"))
    return {
        "rows": page,
        "columns": columns,
        "table_rows": [
            {"position": row["position"], "cells": [row[f] for f, _ in columns]} for row in page
        ],
        "filters": {"school": school, "category": category},
        "filter_query": _query_prefix(school=school, category=category),
        "schools": rows.order_by("school").values_list("school", flat=True).distinct(),
        "categories": rows.order_by("category").values_list("category", flat=True).distinct(),
        "summary": list(
            rows.values("category").annotate(count=Count("id")).order_by("-count", "category")
        ),
        "total": dataset.row_count,
        "filtered_total": page.paginator.count,
    }


def quota_plan_context(dataset, params) -> dict:
    if dataset is None:
        return {"rows": None}
    rows = QuotaEntry.objects.filter(dataset=dataset)
    columns = _present_columns(rows, QUOTA_COLUMNS)
    page = Paginator(
        rows.order_by("position").values(*(f for f, _ in columns)), ROWS_PER_PAGE * 2
    ).get_page(params.get("page"))
    by_institution = list(
        rows.values("institution_code", "institution")
        .annotate(places=Sum("places"))
        .order_by("-places", "institution_code")
    )
    by_track = list(rows.values("track").annotate(places=Sum("places")).order_by("track"))
    total = rows.aggregate(total=Sum("places"))["total"] or 0
    largest = max((item["places"] for item in by_institution), default=0) or 1
    for item in by_institution:
        item["percent"] = round(item["places"] * 100 / largest)
    return {
        "rows": page,
        "columns": columns,
        "row_cells": [[row[f] for f, _ in columns] for row in page],
        "by_institution": by_institution,
        "by_track": by_track,
        "total_places": total,
    }


def admission_results_context(dataset) -> dict:
    """Aggregates only: admission results are personal and never listed."""
    if dataset is None:
        return {"counts": None}
    rows = AdmissionResult.objects.filter(dataset=dataset)
    return {
        "counts": {
            "total": dataset.row_count,
            "by_batch": list(rows.values("batch").annotate(count=Count("id")).order_by("batch")),
            "by_institution": list(
                rows.values("institution_code", "institution")
                .annotate(count=Count("id"))
                .order_by("-count", "institution_code")
            ),
        }
    }


PREVIEW_ROWS = 20
PREVIEW_COLUMNS = {
    "candidate_list": (
        ("serial", "序号"),
        ("name", "姓名"),
        ("gender", "性别"),
        ("exam_number_masked", "考生号（遮蔽）"),
        ("id_number_masked", "身份证号（遮蔽）"),
        ("school", "所在中学"),
        ("category", "照顾类别"),
        ("bonus_points", "加分分值"),
    ),
    "quota_plan": QUOTA_COLUMNS,
    "admission_results": (
        ("exam_number_masked", "考生号（遮蔽）"),
        ("name", "姓名"),
        ("batch", "批次"),
        ("track", "科类"),
        ("institution", "院校名称"),
        ("major", "专业名称"),
    ),
}
PREVIEW_GROUPS = {
    "candidate_list": ("category", "照顾类别"),
    "quota_plan": ("institution", "院校"),
    "admission_results": ("institution", "院校"),
}


def dataset_preview(dataset) -> dict:
    """For editors in the admin: the first rows (identifiers masked) and counts by group."""
    columns = PREVIEW_COLUMNS[dataset.kind]
    group_field, group_label = PREVIEW_GROUPS[dataset.kind]
    rows = dataset.entries
    return {
        "headers": [label for _, label in columns],
        "rows": [
            [row[f] for f, _ in columns]
            for row in rows.values(*(f for f, _ in columns))[:PREVIEW_ROWS]
        ],
        "group_label": group_label,
        "groups": [
            {"label": item[group_field], "count": item["count"]}
            for item in rows.order_by()
            .values(group_field)
            .annotate(count=Count("id"))
            .order_by("-count", group_field)[:50]
        ],
    }


# --- level-by-level disclosure (逐级公示) ----------------------------------------------------

CHAIN_DEPTH = 6  # 校 → 县 → 市 → 省 and a little room; the rules forbid cycles anyway
CHANGES_SHOWN = 500
SHOWN_ROW_FIELDS = ("name", "school", "category", "bonus_points")


def _chain_node(row, depth: int, seen: set[int]) -> dict:
    from .models.chain import is_published

    basis = row.basis
    seen = seen | {basis.pk}
    return {
        "page": basis,
        "issuer": basis.issuer,
        "shown": is_published(basis),
        "pinned_version": row.basis_version,
        "pinned_sha256": row.basis_content_sha256,
        "dataset_sha256": row.dataset_sha256,
        # The lower list was corrected after this list rested on it.
        "corrected_since": row.basis_dataset_id is not None
        and basis.dataset_id != row.basis_dataset_id,
        "lower": _lower_nodes(basis, depth + 1, seen),
    }


def _lower_nodes(page, depth: int = 0, seen: set[int] | None = None) -> list[dict]:
    from .models.chain import ListBasis

    if depth >= CHAIN_DEPTH:
        return []
    seen = seen or {page.pk}
    rows = (
        ListBasis.objects.filter(page_id=page.pk)
        .select_related("basis__issuer")
        .order_by("sort_order", "pk")
    )
    return [_chain_node(row, depth, seen) for row in rows if row.basis_id not in seen]


def _higher_nodes(page, depth: int = 0, seen: set[int] | None = None) -> list[dict]:
    """Published lists that rest on `page`, and the lists that rest on those."""
    from .models.chain import ListBasis, is_published

    if depth >= CHAIN_DEPTH:
        return []
    seen = (seen or set()) | {page.pk}
    rows = (
        ListBasis.objects.filter(basis_id=page.pk)
        .select_related("page__issuer")
        .order_by("page__issuer__level", "page_id")
    )
    nodes, done = [], set()
    for row in rows:
        higher = row.page
        if higher.pk in seen or higher.pk in done or not is_published(higher):
            continue
        done.add(higher.pk)
        nodes.append(
            {
                "page": higher,
                "issuer": higher.issuer,
                "higher": _higher_nodes(higher, depth + 1, seen | done),
            }
        )
    return nodes


def _rows_of(dataset_id: int, source: int | None = None):
    from .chain import Row

    fields = ("exam_number_hmac", "id_number_hmac", *SHOWN_ROW_FIELDS)
    for values in (
        CandidateEntry.objects.filter(dataset_id=dataset_id).order_by("position").values(*fields)
    ):
        yield Row(
            exam_hmac=values["exam_number_hmac"],
            id_hmac=values["id_number_hmac"],
            name=values["name"],
            school=values["school"],
            shown={f: values[f] for f in SHOWN_ROW_FIELDS},
            source=source,
        )


def row_changes(page) -> dict | None:
    """Rows added or removed between the pinned lower datasets and this list's dataset.

    Datasets are immutable, so the result is cached by their ids. Only what the public list
    shows leaves here (name, school, category, bonus points), never an identifier; rows
    removed from a lower list that has since been taken down are counted, not named.
    """
    from django.core.cache import cache

    from .chain import compare_rows
    from .models.chain import ListBasis, is_published

    if page.dataset_id is None:
        return None
    bases = [
        row
        for row in ListBasis.objects.filter(page_id=page.pk)
        .select_related("basis")
        .order_by("sort_order", "pk")
        if row.basis_dataset_id is not None
    ]
    if not bases:
        return None
    key = "chain-changes:v1:{}:{}".format(
        page.dataset_id, "-".join(f"{r.basis_id}.{r.basis_dataset_id}" for r in bases)
    )
    computed = cache.get(key)
    if computed is None:
        lower = [row for b in bases for row in _rows_of(b.basis_dataset_id, source=b.basis_id)]
        changes = compare_rows(list(_rows_of(page.dataset_id)), lower)
        computed = {
            "added": [r.shown for r in changes.added],
            "removed": [{**r.shown, "source": r.source} for r in changes.removed],
            "kept": changes.kept,
        }
        cache.set(key, computed, 24 * 3600)
    titles = {b.basis_id: b.basis for b in bases}
    public = {pk for pk, basis in titles.items() if is_published(basis)}
    removed_shown = [
        {**r, "source_page": titles[r["source"]]}
        for r in computed["removed"]
        if r["source"] in public
    ]
    return {
        "added": computed["added"][:CHANGES_SHOWN],
        "added_total": len(computed["added"]),
        "removed": removed_shown[:CHANGES_SHOWN],
        "removed_total": len(computed["removed"]),
        "removed_hidden": len(computed["removed"]) - len(removed_shown),
        "kept": computed["kept"],
        "limit": CHANGES_SHOWN,
    }


def chain_context(page) -> dict:
    """The chain of a candidate list for its public page: the lower lists it rests on (with
    what it pinned of them), the higher lists resting on it, and the rows that changed."""
    lower = _lower_nodes(page)
    higher = _higher_nodes(page)
    if not lower and not higher:
        return {"chain": None}
    return {"chain": {"lower": lower, "higher": higher, "changes": row_changes(page)}}
