"""/api/v1/disclosures/…: filters, cursor pagination, versions, rows, tombstones."""

import csv
import io
import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from disclosure.models import AdmissionResultsPage, Dataset, Issuer, IssuerLevel, PolicyPage
from publications.ledger.datasets import public_sha256_of_csv
from publications.ledger.models import LedgerEntry
from publications.windows.actions import retire
from tests.factories import add_disclosure, open_window
from tests.publications.opendata.conftest import correct, publish_list, withdraw

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def walk(client, url):
    ids = []
    while url:
        page = get_json(client, url)
        ids += [d["id"] for d in page["disclosures"]]
        url = (page["next"] or "").removeprefix("http://testserver")
    return ids


def test_the_list_gives_every_published_disclosure_never_a_draft(client, db):
    first = publish_list("名单一")
    add_disclosure(PolicyPage, title="草稿政策", publish=False)
    data = get_json(client, "/api/v1/disclosures/")
    assert [d["id"] for d in data["disclosures"]] == [first.pk]
    [item] = data["disclosures"]
    assert item["status"] == "open"
    assert item["kind"] == "candidate_list"
    assert item["issuer"]["level"] == "province"
    assert item["version"] == 1
    assert item["content_sha256"] == LedgerEntry.objects.get(disclosure_id=first.pk).content_sha256


def test_filters_kind_status_year_issuer_and_updated_since(client, db):
    county = Issuer.objects.create(name="洛阳市西工区招生办公室", level=IssuerLevel.PROVINCE)
    a = publish_list("名单甲")
    b = publish_list("名单乙", issuer=county)
    policy = add_disclosure(PolicyPage, title="招生政策", admission_year=2030)
    withdraw(a, "撤回理由")
    assert walk(client, "/api/v1/disclosures/?kind=policy") == [policy.pk]
    assert walk(client, "/api/v1/disclosures/?kind=candidate_list") == [a.pk, b.pk]
    assert walk(client, "/api/v1/disclosures/?status=withdrawn") == [a.pk]
    assert a.pk not in walk(client, "/api/v1/disclosures/?status=open")
    assert b.pk in walk(client, "/api/v1/disclosures/?status=open")
    assert walk(client, "/api/v1/disclosures/?status=scheduled") == []
    assert walk(client, "/api/v1/disclosures/?year=2030") == [policy.pk]
    assert walk(client, f"/api/v1/disclosures/?issuer={county.pk}") == [b.pk]
    assert walk(client, "/api/v1/disclosures/?issuer=洛阳市西工区招生办公室") == [b.pk]
    cut = LedgerEntry.objects.get(disclosure_id=policy.pk).at
    since = cut.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # Only the withdrawal of `a` (and the notice itself) came after the policy.
    later = walk(client, f"/api/v1/disclosures/?updated_since={since}")
    assert a.pk in later and b.pk not in later and policy.pk not in later
    # Any RFC 3339 offset is read (PostgreSQL itself refuses offsets past ±15:59).
    odd_offset = (cut + timedelta(hours=23, minutes=13)).strftime("%Y-%m-%dT%H:%M:%S.%f+23:13")
    assert walk(client, f"/api/v1/disclosures/?updated_since={quote(odd_offset)}") == later


def test_bad_filters_get_400_with_a_message_in_both_languages(client, db):
    for query in (
        "kind=novel",
        "status=retired",
        "year=1999",
        "updated_since=yesterday",
        "cursor=-1",
        "limit=0",
        "limit=501",
    ):
        data = get_json(client, f"/api/v1/disclosures/?{query}", status=400)
        assert data["error"] and data["error_zh"]


def test_the_cursor_walk_sees_every_disclosure_exactly_once_while_versions_are_published(
    client, db
):
    lists = [publish_list(f"名单{n}") for n in range(5)]
    seen, url, step = [], "/api/v1/disclosures/?limit=2", 0
    while url:
        page = get_json(client, url)
        seen += [d["id"] for d in page["disclosures"]]
        if step == 0:
            # Mid-walk: a seen one is corrected, an unseen one too, and a new one arrives.
            correct(lists[0], "更正说明一", [("1", "王五", "男", "", "", "二中", "烈士子女", "5")])
            correct(lists[3], "更正说明二", [("1", "赵六", "女", "", "", "三中", "烈士子女", "5")])
            newcomer = publish_list("迟到的名单")
        step += 1
        url = (page["next"] or "").removeprefix("http://testserver")
    assert sorted(seen) == sorted({*[p.pk for p in lists], newcomer.pk})
    assert len(seen) == len(set(seen))


def test_a_disclosure_has_all_its_versions_and_change_notes(client, db):
    page = publish_list()
    correct(page, "更正：第2行加分分值", [("1", "王五", "男", "", "", "二中", "烈士子女", "5")])
    correct(page, "更正：补充第2行", [("1", "王五", "男", "", "", "二中", "烈士子女", "5")] * 2)
    data = get_json(client, f"/api/v1/disclosures/{page.pk}/")
    assert [(v["version"], v["change"]) for v in data["versions"]] == [
        (1, "new"),
        (2, "correction"),
        (3, "correction"),
    ]
    assert [v["change_note"] for v in data["versions"]] == [
        None,
        "更正：第2行加分分值",
        "更正：补充第2行",
    ]
    entries = {e.seq: e for e in LedgerEntry.objects.filter(disclosure_id=page.pk)}
    for version in data["versions"]:
        assert version["content_sha256"] == entries[version["ledger_seq"]].content_sha256
    assert data["version"] == 3
    assert data["dataset"]["row_count"] == 2
    assert data["summary"] == "拟享受加分照顾考生名单"


def test_entries_are_the_live_versions_rows_masked_and_hash_to_what_the_ledger_recorded(client, db):
    page = publish_list()
    page = correct(
        page,
        "更正：删去一名",
        [("1", "张三", "男", "2641********01", "410303********0011", "一中", "少数民族", "5")],
    )
    data = get_json(client, f"/api/v1/disclosures/{page.pk}/entries.json")
    assert data["version"] == 2
    headers = [c["header"] for c in data["columns"]]
    assert headers[:5] == ["序号", "姓名", "性别", "考生号", "身份证号"]
    assert data["rows"] == [
        [
            "1",
            "张三",
            "男",
            "2641********01",
            "410303********0011",
            "一中",
            "少数民族",
            "",
            "",
            "",
            "",
            "",
            "",
            "5",
            "",
        ]
    ]
    response = client.get(f"/api/v1/disclosures/{page.pk}/entries.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff序号,姓名")
    assert "\r\n" in text
    digest, count = public_sha256_of_csv("candidate_list", io.StringIO(text, newline=""))
    dataset = Dataset.objects.get(pk=data["dataset"]["id"])
    assert (digest, count) == (dataset.public_sha256, 1)
    # ... and that dataset is the one the ledger's latest content document pins.
    latest = get_json(client, f"/api/v1/ledger/entries/{_head(page)}/")
    assert latest["content"]["dataset"]["public_sha256"] == digest


def _head(page):
    return LedgerEntry.objects.filter(disclosure_id=page.pk).order_by("-seq").first().seq


def test_a_withdrawn_list_answers_410_with_a_tombstone_in_json_and_csv(client, db):
    page = publish_list()
    withdraw(page, "资格审核有误")
    for suffix in ("entries.json", "entries.csv"):
        data = get_json(client, f"/api/v1/disclosures/{page.pk}/{suffix}", status=410)
        tombstone = data["tombstone"]
        assert tombstone["status"] == "withdrawn"
        assert tombstone["reason"] == "资格审核有误"
        assert (
            tombstone["content_sha256"]
            == LedgerEntry.objects.get(disclosure_id=page.pk, event="published").content_sha256
        )
        assert "张三" not in json.dumps(data, ensure_ascii=False)
    detail = get_json(client, f"/api/v1/disclosures/{page.pk}/")
    assert detail["status"] == "withdrawn"
    assert detail["withdrawal"]["reason"] == "资格审核有误"
    assert detail["dataset"] is None and detail["summary"] is None


def test_what_retention_took_down_is_a_tombstone_and_leaves_the_list(client, db):
    # A 2025 list whose window closed in 2025: kept until 2025-12-31, so due now.
    page = publish_list("2025年的名单", admission_year=2025, **open_window(opened_days_ago=400))
    kept = publish_list("仍在公示的名单")
    assert retire(page, now=timezone.now())
    data = get_json(client, f"/api/v1/disclosures/{page.pk}/", status=410)
    assert data["tombstone"]["status"] == "retired"
    get_json(client, f"/api/v1/disclosures/{page.pk}/entries.csv", status=410)
    assert walk(client, "/api/v1/disclosures/") == [kept.pk]
    stones = get_json(client, "/api/v1/tombstones/")["tombstones"]
    assert [(s["disclosure_id"], s["status"]) for s in stones] == [(page.pk, "retired")]
    assert stones[0]["content_sha256"] and stones[0]["taken_down_at"]


def test_tombstones_page_with_a_cursor(client, db):
    pages = [publish_list(f"名单{n}") for n in range(3)]
    for page in pages:
        withdraw(page, f"撤回{page.pk}")
    seen, url = [], "/api/v1/tombstones/?limit=2"
    while url:
        data = get_json(client, url)
        seen += [s["disclosure_id"] for s in data["tombstones"]]
        url = (data["next"] or "").removeprefix("http://testserver")
    assert seen == [p.pk for p in pages]


def test_admission_results_are_never_listed_by_the_api(client, db):
    page = add_disclosure(AdmissionResultsPage, title="2026年录取结果")
    data = get_json(client, f"/api/v1/disclosures/{page.pk}/entries.json", status=404)
    assert "/api/v1/lookup/admission" in data["error"]
    assert get_json(client, f"/api/v1/disclosures/{page.pk}/")["data_url"] is None


def test_unknown_or_unpublished_disclosures_are_404_in_json(client, db):
    draft = add_disclosure(PolicyPage, title="草稿", publish=False)
    for pk in (draft.pk, 999_999, 2**40):
        get_json(client, f"/api/v1/disclosures/{pk}/", status=404)
        get_json(client, f"/api/v1/disclosures/{pk}/entries.csv", status=404)


def test_the_csv_opens_in_a_spreadsheet_with_chinese_headers(client, db):
    page = publish_list()
    text = client.get(f"/api/v1/disclosures/{page.pk}/entries.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][:2] == ["序号", "姓名"]
    assert rows[1][1] == "张三"
