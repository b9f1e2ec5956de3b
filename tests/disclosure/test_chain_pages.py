"""The public page of a list passed up level by level shows its chain and what changed."""

import re

import pytest
from django.core.cache import cache

from disclosure.models import CandidateEntry
from publications.ledger.models import LedgerEntry
from tests.publications.opendata.conftest import withdraw

from .chain_helpers import CITY_ROWS, COUNTY_ROWS, SIBLING_ROWS, candidate_list, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chain():
    tree = make_tree()
    county = candidate_list(tree["county"], "西工区2026年加分考生名单", COUNTY_ROWS)
    sibling = candidate_list(tree["sibling"], "涧西区2026年加分考生名单", SIBLING_ROWS)
    city = candidate_list(
        tree["city"], "洛阳市2026年加分考生名单", CITY_ROWS, bases=[county, sibling]
    )
    province = candidate_list(tree["province"], "河南省2026年加分考生名单", CITY_ROWS, bases=[city])
    return {"tree": tree, "county": county, "sibling": sibling, "city": city, "province": province}


def text_of(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def section(html: str, heading: str) -> str:
    start = html.index(heading)
    return html[start : html.find("</section>", start)]


def test_the_city_page_shows_both_county_lists_with_window_objections_and_pinned_hash(
    client, chain
):
    html = section(text_of(client, chain["city"]), "逐级公示")
    for key in ("county", "sibling"):
        lower = chain[key]
        entry = LedgerEntry.objects.filter(disclosure_id=lower.pk).order_by("-seq").first()
        assert lower.title in html and lower.issuer.name in html
        assert entry.content_sha256 in html
        assert lower.dataset.public_sha256 in html
    assert "收到 0 件，已答复 0 件" in html
    assert "公示中" in html
    assert chain["county"].window_opens_at.strftime("%Y年%-m月%-d日") in html


def test_the_province_page_shows_the_whole_chain_down_to_the_counties(client, chain):
    html = section(text_of(client, chain["province"]), "逐级公示")
    positions = [
        html.index(chain[key].title) for key in ("city", "county")
    ]  # the city, then nested below it the county
    assert positions == sorted(positions)
    assert chain["sibling"].title in html


def test_rows_added_and_removed_between_levels_are_shown_on_the_higher_page(client, chain):
    html = section(text_of(client, chain["city"]), "与下级名单相比的变化")
    assert (
        "保留 <strong>3</strong> 人，新增 <strong>1</strong> 人，未列入 <strong>1</strong> 人"
        in html
    )
    added = html[html.index("新增（下级名单中没有）") : html.index("未列入（下级名单中有")]
    removed = html[html.index("未列入（下级名单中有") :]
    assert "孙七" in added and "李四" not in added
    assert "李四" in removed and "西工区2026年加分考生名单" in removed
    assert "张三" not in added + removed  # kept, matched by exam number
    assert "王五" not in added + removed  # kept, matched by name and school


def test_the_chain_never_shows_an_identifier(client, chain):
    html = text_of(client, chain["city"])
    for entry in CandidateEntry.objects.all():
        for value in (entry.exam_number_hmac, entry.id_number_hmac, entry.exam_number_masked):
            if value:
                assert value not in html
    assert "26410301000002" not in html


def test_the_county_page_says_where_its_list_was_passed_up_to(client, chain):
    html = section(text_of(client, chain["county"]), "逐级公示")
    assert "已上报至" in html and chain["city"].title in html
    assert chain["province"].title in html  # and from the city on to the province


def test_a_withdrawn_lower_list_is_counted_but_its_removed_names_come_down(client, chain):
    withdraw(chain["county"], "经复核撤回西工区名单")
    html = section(text_of(client, chain["city"]), "与下级名单相比的变化")
    assert "未列入 <strong>1</strong> 人" in html
    assert "李四" not in html
    assert "另有 1 人来自已撤下的下级名单" in html


def test_a_list_that_rests_on_nothing_has_no_chain_section(client, chain):
    other = candidate_list(chain["tree"]["other_city"], "郑州市名单", SIBLING_ROWS)
    assert "逐级公示" not in text_of(client, other)
