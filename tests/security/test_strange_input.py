"""Long and strange input: every public form and parameter answers within budget, in Chinese.

Budget means a bounded number of database queries (never a timed assertion) and an answer
that is a page or a 400/404 with a Chinese message, never a 500. The inputs: 10,000
characters with no spaces (Latin and Chinese), control characters (NUL, escape sequences),
mixed scripts with a right-to-left override, emoji with joiners, invalid percent-encoding.
Rate limits are raised so that every answer is the view's own.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import require_route

pytestmark = pytest.mark.django_db

LONG_LATIN = "a" * 10_000
LONG_CJK = "测" * 10_000
CONTROL = "名单\x00\x01\x1b[31m\x7f"
MIXED = "加分ﾃｽﾄＴｅｓｔمرحباПривет한국어\u202eevil\u200b"
EMOJI = "👨‍👩‍👧‍👦🎓加分🔥" * 3
INPUTS = {
    "long-latin": LONG_LATIN,
    "long-cjk": LONG_CJK,
    "control": CONTROL,
    "mixed": MIXED,
    "emoji": EMOJI,
    "sql-ish": "' OR 1=1; --\"%_*\\",
}
QUERY_BUDGET = 40  # the heaviest public page (a list with its filters) needs far fewer
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.SEARCH_LOOKUP_RATE = (10_000, 60)
    settings.SEARCH_QUERY_RATE = (10_000, 60)


def answer(client, method, path, data=None, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {}, **extra)
    body = response.content.decode("utf-8", "replace")
    assert response.status_code in (200, 302, 400, 403, 404), (path, response.status_code)
    assert len(queries) <= QUERY_BUDGET, (path, len(queries))
    if response.status_code in (400, 404):
        assert CJK.search(body), (path, body[:300])  # a message a person can read
    return response


def test_a_10000_character_query_is_refused_with_a_clear_message(client, db):
    for value in (LONG_LATIN, LONG_CJK):
        response = answer(client, "get", "/search/", {"q": value})
        assert response.status_code == 400
        assert "输入内容过长" in response.content.decode()
        api = answer(client, "get", "/api/v1/lookup/admission", {"exam_number": value, "name": "x"})
        assert api.status_code == 400 and "过长" in api.json()["detail"]


def test_control_characters_are_refused_with_a_clear_message(client, db):
    for path in ("/search/", "/gongshi/", "/ledger/", "/api/v1/ledger/"):
        response = answer(client, "get", path, {"q": CONTROL, "page": CONTROL})
        assert response.status_code == 400, path
        assert "控制字符" in response.content.decode()
    posted = answer(client, "post", "/lookup/", {"check": "name", "name": CONTROL})
    assert posted.status_code == 400
    assert answer(client, "get", "/gongshi/%00/").status_code == 400


@pytest.mark.parametrize("label", INPUTS)
def test_search_takes_anything_in_every_parameter(client, hostile_list, label):
    value = INPUTS[label]
    for name in ("q", "kind", "year", "issuer", "level", "status", "scope", "sort", "page"):
        answer(client, "get", "/search/", {"q": "加分", name: value})
    answer(client, "get", "/search/", {"q": value, "scope": "entry"})


@pytest.mark.parametrize("label", INPUTS)
def test_the_lookup_forms_and_api_take_anything(client, hostile_list, label):
    value = INPUTS[label]
    for data in (
        {"check": "name", "name": value},
        {"check": "name", "name": "廖鑫", "school": value},
        {"check": "admission", "exam_number": value, "name": value},
        {"check": value},
    ):
        response = answer(client, "post", "/lookup/", data)
        if response.status_code == 200 and data == {"check": "name", "name": value}:
            assert "没有查到该考生" in response.content.decode()
    answer(client, "get", "/api/v1/lookup/admission", {"exam_number": value, "name": value})
    answer(
        client, "get", "/api/v1/lookup/admission", {"exam_number": "25410052000000", "name": value}
    )


@pytest.mark.parametrize("label", INPUTS)
def test_disclosure_pages_and_the_index_take_anything_in_their_filters(client, hostile_list, label):
    value = INPUTS[label]
    index = hostile_list.get_parent().url
    for name in ("kind", "year", "level", "issuer", "tag", "status", "page"):
        answer(client, "get", index, {name: value})
    for name in ("school", "category", "page"):
        answer(client, "get", hostile_list.url, {name: value})
    answer(client, "get", index + value[:200] + "/")


@pytest.mark.parametrize("label", INPUTS)
def test_the_ledger_takes_anything_in_its_parameters(client, hostile_list, label):
    value = INPUTS[label]
    answer(client, "get", "/ledger/", {"page": value})
    for name in ("since", "cursor", "limit", "disclosure"):
        response = answer(client, "get", "/api/v1/ledger/", {name: value})
        assert response.status_code in (200, 400)
    answer(client, "get", "/api/v1/ledger/proof/inclusion", {"seq": value, "size": value})
    answer(client, "get", "/api/v1/ledger/proof/consistency", {"from": value, "to": value})


def test_invalid_percent_encoding_is_not_an_error(client, hostile_list):
    for query in ("q=%ff%fe%fd", "q=%ED%A0%80", "q=%", "q=%zz", "%ff=1"):
        answer(client, "get", f"/search/?{query}")
        answer(client, "get", f"{hostile_list.url}?school={query}")


# --- surfaces being built on other branches ----------------------------------------------


@pytest.mark.parametrize("label", INPUTS)
def test_the_objection_form_takes_anything(client, hostile_list, label):
    require_route("/objections/", "objections")
    value = INPUTS[label]
    answer(client, "get", "/objections/new/", {"disclosure": value})
    answer(client, "get", f"/objections/{value[:500]}/")
    fields = {
        "disclosure": hostile_list.pk,
        "name": "张三",
        "phone": "13800138000",
        "content": "名单中第1行考生的照顾类别与事实不符，请核查。",
        "row": "1",
    }
    for name in ("disclosure", "row", "name", "phone", "email", "content"):
        answer(client, "post", "/objections/new/", {**fields, name: value})


@pytest.mark.parametrize("label", INPUTS)
def test_the_feed_and_the_open_data_api_take_anything(client, hostile_list, label):
    require_route("/api/v1/disclosures/", "the open-data API")
    value = INPUTS[label]
    for name in ("kind", "status", "year", "issuer", "updated_since", "cursor"):
        answer(client, "get", "/api/v1/disclosures/", {name: value})
    answer(client, "get", f"/api/v1/disclosures/{value[:200]}/")
    if "feed" not in label:
        require_route("/feed.json", "the open-data feed")
        for name in ("page", "cursor", "since"):
            answer(client, "get", "/feed.json", {name: value})
