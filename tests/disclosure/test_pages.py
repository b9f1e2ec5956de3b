"""Public pages of disclosures: accessible tables, filters, summaries; results never listed."""

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import (
    AdmissionResultsPage,
    CandidateListPage,
    CandidateListType,
    NoticePage,
    NoticeType,
    QuotaPlanPage,
)
from tests.factories import add_disclosure, disclosure_index, import_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_page():
    dataset = import_sample("candidate_list_utf8.csv", "candidate_list")
    return add_disclosure(
        CandidateListPage,
        title="2025年加分照顾考生名单公示",
        list_type=CandidateListType.BONUS,
        dataset=dataset,
    )


def test_a_candidate_list_is_an_accessible_table_without_exam_or_id_numbers(client, candidate_page):
    html = client.get(candidate_page.url).content.decode()
    assert '<th scope="col">姓名</th>' in html
    assert "<caption>" in html
    assert "廖鑫" in html
    assert "25410021000001" not in html
    assert "410302200706135831" not in html
    assert "考生号" not in html and "身份证号" not in html


def test_a_candidate_list_is_paginated(client, candidate_page):
    first = client.get(candidate_page.url).content.decode()
    assert "第 1 / 2 页" in first
    second = client.get(candidate_page.url, {"page": 2}).content.decode()
    assert "杨俊" in second  # row 60
    assert "杨俊" not in first


def test_a_candidate_list_filters_by_school_and_category(client, candidate_page):
    html = client.get(
        candidate_page.url, {"school": "洛阳市第四高级中学", "category": "见义勇为人员"}
    ).content.decode()
    table = html[html.index('id="list-heading"') :]
    assert "廖鑫" in table
    assert "卢丽" not in table  # another school
    assert "筛选结果" in html


def test_a_candidate_list_summarises_by_category(client, candidate_page):
    response = client.get(candidate_page.url)
    summary = {item["category"]: item["count"] for item in response.context["summary"]}
    assert sum(summary.values()) == 60
    assert "见义勇为人员" in summary


def test_filter_values_are_escaped(client, candidate_page):
    html = client.get(candidate_page.url, {"school": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_quota_plan_shows_totals_by_institution_and_track_and_a_chart_with_its_table(client):
    dataset = import_sample("quota_plan.csv", "quota_plan")
    page = add_disclosure(QuotaPlanPage, title="2025年招生计划", dataset=dataset)
    response = client.get(page.url)
    html = response.content.decode()
    total = sum(e.places for e in dataset.entries)
    assert f"计划总数：{total} 人" in html
    assert sum(i["places"] for i in response.context["by_institution"]) == total
    assert sum(i["places"] for i in response.context["by_track"]) == total
    assert "<figure" in html and "各院校计划数" in html  # chart with its data table


def test_admission_results_are_never_listed_only_counted(client):
    dataset = import_sample("admission_results_1000.csv", "admission_results")
    page = add_disclosure(AdmissionResultsPage, title="2025年录取结果", dataset=dataset)
    html = client.get(page.url).content.decode()
    assert "录取人数：1000 人" in html
    assert "周娜" not in html  # a name from the file
    assert "25410052000000" not in html


def test_a_page_refuses_a_dataset_of_another_kind():
    dataset = import_sample("quota_plan.csv", "quota_plan")
    page = CandidateListPage(
        title="x", slug="x", list_type="bonus", admission_year=2025, dataset=dataset
    )
    page.issuer = add_disclosure(QuotaPlanPage, title="q").issuer
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    assert "数据集类型不符" in str(caught.value)


def test_a_correction_or_withdrawal_notice_needs_its_target_and_a_public_reason():
    target = add_disclosure(QuotaPlanPage, title="计划")
    notice = NoticePage(
        title="撤回",
        slug="w",
        notice_type=NoticeType.WITHDRAWAL,
        admission_year=2025,
        issuer=target.issuer,
    )
    with pytest.raises(ValidationError) as caught:
        notice.full_clean()
    assert "target" in caught.value.message_dict and "reason" in caught.value.message_dict


def test_the_index_filters_disclosures_by_kind_year_and_level(client):
    add_disclosure(QuotaPlanPage, title="2025计划", admission_year=2025)
    add_disclosure(QuotaPlanPage, title="2024计划", admission_year=2024)
    add_disclosure(
        NoticePage, title="违规处理公告", notice_type=NoticeType.VIOLATION, admission_year=2025
    )
    index = disclosure_index()
    html = client.get(index.url, {"kind": "quota_plan", "year": "2025"}).content.decode()
    assert "2025计划" in html
    assert "2024计划" not in html and "违规处理公告" not in html
    assert "违规处理公告" in client.get(index.url, {"level": "province"}).content.decode()
    assert "没有符合条件" in client.get(index.url, {"level": "school"}).content.decode()


def test_each_row_of_an_open_list_links_to_the_objection_form(client, candidate_page):
    html = client.get(candidate_page.url).content.decode()
    assert f"/objections/new/?disclosure={candidate_page.pk}&amp;row=1" in html
    assert f'href="/objections/new/?disclosure={candidate_page.pk}"' in html
