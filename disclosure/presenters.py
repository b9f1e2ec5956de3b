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
