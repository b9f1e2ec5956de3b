"""The public check: exact matches only, the same answer whatever did not match, rate-limited."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import caches

from disclosure.models import AdmissionResultsPage, CandidateListPage
from search import indexing, lookup
from search.engines.database import DatabaseEngine

from .conftest import BEIJING, NOW, OPENS, admission_dataset, candidate_dataset, make_issuer

pytestmark = pytest.mark.django_db

EXAM = "25410101000001"


@pytest.fixture(autouse=True)
def _fresh_cache():
    caches["default"].clear()


@pytest.fixture
def lists(publish_page):
    engine = DatabaseEngine()
    candidates = publish_page(
        CandidateListPage,
        title="加分名单",
        list_type="bonus",
        issuer=make_issuer("county"),
        dataset=candidate_dataset(
            [("张三", "洛阳市第四高级中学", "少数民族"), ("张三", "郑州一中", "烈士子女")]
        ),
    )
    results = publish_page(
        AdmissionResultsPage,
        title="本科一批录取结果",
        dataset=admission_dataset(
            [(EXAM, "赵六", "北京大学"), ("25410101000002", "钱七", "清华大学")]
        ),
    )
    for page in (candidates, results):
        indexing.index_page(page.pk, NOW, engine)
    return candidates, results


def test_name_check_finds_exact_names_on_lists_on_notice(lists):
    assert {m.school for m in lookup.check_name("张三", NOW)} == {"洛阳市第四高级中学", "郑州一中"}
    assert [m.school for m in lookup.check_name(" 张三 ", NOW, school="郑州一中")] == ["郑州一中"]
    assert lookup.check_name("张三", NOW, school="郑州") == []


@pytest.mark.parametrize("typed", ["张", "三", "张%", "%", "张*", "*", "张_", "_三", "张三丰"])
def test_name_check_never_matches_partially_or_by_wildcard(lists, typed):
    assert lookup.check_name(typed, NOW) == []


def test_name_check_finds_nothing_outside_the_window_or_past_retention(lists):
    assert lookup.check_name("张三", OPENS - timedelta(seconds=1)) == []
    assert lookup.check_name("张三", datetime(2025, 9, 1, tzinfo=BEIJING)) == []


def test_admission_lookup_needs_the_exact_exam_number_and_name(lists):
    match = lookup.lookup_admission(EXAM, "赵六", NOW)
    assert match is not None and match.institution == "北京大学"
    assert match.exam_number_masked == "2541********01"
    assert (
        lookup.lookup_admission("２５４１０１０１０００００１", "赵六", NOW) is not None
    )  # full-width
    assert lookup.lookup_admission(EXAM, "钱七", NOW) is None  # someone else's name
    assert lookup.lookup_admission(EXAM, "赵", NOW) is None
    assert lookup.lookup_admission(EXAM[:-1], "赵六", NOW) is None
    assert lookup.lookup_admission(EXAM[:-1] + "%", "赵六", NOW) is None
    assert lookup.lookup_admission(EXAM, "%", NOW) is None


def test_on_several_lists_on_notice_the_latest_result_is_the_answer(lists, publish_page):
    later = publish_page(
        AdmissionResultsPage,
        title="本科一批征集志愿录取结果",
        opens=OPENS + timedelta(days=2),
        dataset=admission_dataset([(EXAM, "赵六", "郑州大学")]),
    )
    indexing.index_page(later.pk, NOW, DatabaseEngine())
    match = lookup.lookup_admission(EXAM, "赵六", NOW)
    assert (match.institution, match.disclosure_title) == ("郑州大学", "本科一批征集志愿录取结果")
    # before the later list opened, the earlier one is the answer
    earlier = lookup.lookup_admission(EXAM, "赵六", OPENS + timedelta(days=1))
    assert earlier.institution == "北京大学"


def test_admission_lookup_is_closed_outside_the_lookup_channel(lists):
    assert lookup.lookup_admission(EXAM, "赵六", OPENS - timedelta(seconds=1)) is None
    assert lookup.lookup_admission(EXAM, "赵六", OPENS + timedelta(days=31)) is None


def test_api_returns_one_result_or_the_same_404_whatever_did_not_match(client, lists, monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)
    url = "/api/v1/lookup/admission"
    ok = client.get(url, {"exam_number": EXAM, "name": "赵六"})
    assert ok.status_code == 200
    assert ok.json()["result"]["institution"] == "北京大学"
    assert "exam_number_hmac" not in ok.content.decode()
    assert ok["Access-Control-Allow-Origin"] == "*" and ok["ETag"] and ok["Last-Modified"]
    wrong_name = client.get(url, {"exam_number": EXAM, "name": "钱七"})
    unknown = client.get(url, {"exam_number": "25410101009999", "name": "赵六"})
    assert wrong_name.status_code == unknown.status_code == 404
    assert wrong_name.content == unknown.content
    assert client.get(url, {"name": "赵六"}).status_code == 400


def test_enumeration_gets_nothing_then_429_with_retry_after(client, lists, settings, monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)
    settings.SEARCH_LOOKUP_RATE = (5, 60)
    url = "/api/v1/lookup/admission"
    answers = [
        client.get(url, {"exam_number": f"254101010000{n:02d}", "name": "赵六"})
        for n in range(2, 7)
    ]
    assert [r.status_code for r in answers] == [404] * 5
    assert [r["X-RateLimit-Remaining"] for r in answers] == ["4", "3", "2", "1", "0"]
    refused = client.get(url, {"exam_number": EXAM, "name": "赵六"})  # even the right one
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "北京大学" not in refused.content.decode()


def test_the_html_lookup_answers_both_checks(client, lists, monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)
    page = client.get("/lookup/").content.decode()
    assert '<label for="admission-exam-number">' in page and "<h1>名单与录取查询</h1>" in page
    html = client.post("/lookup/", {"check": "name", "name": "张三"}).content.decode()
    assert '<th scope="col">所在中学</th>' in html and "郑州一中" in html
    html = client.post(
        "/lookup/", {"check": "admission", "exam_number": EXAM, "name": "赵六"}
    ).content.decode()
    assert "北京大学" in html and EXAM not in html
    html = client.post(
        "/lookup/", {"check": "admission", "exam_number": EXAM, "name": "钱七"}
    ).content.decode()
    assert "未查到" in html and "北京大学" not in html


def test_json_name_check_answers_exact_names_on_lists_on_notice(client, lists, monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)
    url = "/api/v1/lookup/candidate"
    found = client.get(url, {"name": "张三"})
    assert found.status_code == 200
    assert found["Access-Control-Allow-Origin"] == "*" and found["ETag"] and found["Last-Modified"]
    matches = found.json()["matches"]
    assert {m["school"] for m in matches} == {"洛阳市第四高级中学", "郑州一中"}
    assert matches[0]["list"]["title"] == "加分名单" and matches[0]["category"]
    at_school = client.get(url, {"name": "张三", "school": "郑州一中"}).json()["matches"]
    assert [m["category"] for m in at_school] == ["烈士子女"]
    misses = [
        client.get(url, params)
        for params in (
            {"name": "张"},  # partial
            {"name": "张%"},  # wildcard
            {"name": "李四"},  # on no list
            {"name": "张三", "school": "郑州"},  # partial school
        )
    ]
    assert {r.status_code for r in misses} == {404}
    assert len({r.content for r in misses}) == 1
    assert client.get(url, {"school": "郑州一中"}).status_code == 400
    assert client.post(url, {"name": "张三"}).status_code == 405


def test_json_name_check_finds_nothing_outside_the_window(client, lists, monkeypatch):
    url = "/api/v1/lookup/candidate"
    for moment in (OPENS - timedelta(seconds=1), datetime(2026, 1, 1, tzinfo=BEIJING)):
        monkeypatch.setattr("search.views.timezone.now", lambda moment=moment: moment)
        assert client.get(url, {"name": "张三"}).status_code == 404


def test_both_json_lookups_share_one_rate_limit(client, lists, settings, monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)
    settings.SEARCH_LOOKUP_RATE = (3, 60)
    for _ in range(3):
        client.get("/api/v1/lookup/admission", {"exam_number": EXAM, "name": "赵六"})
    refused = client.get("/api/v1/lookup/candidate", {"name": "张三"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "郑州一中" not in refused.content.decode()
