"""`make run`'s demo: two counties under one city and a bonus list passed county → city →
province, every level published through the review workflow."""

import json

import pytest

from disclosure.models import CandidateListPage, Issuer, ListBasis
from publications.ledger.models import LedgerEntry
from sunshine import demo as demo_module

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_counties_under_one_city(demo):
    city = Issuer.objects.get(name="洛阳市招生考试中心")
    counties = set(
        Issuer.objects.filter(parent=city, level="county").values_list("name", flat=True)
    )
    assert {"洛阳市西工区招生办公室", "洛阳市涧西区招生办公室"} <= counties


def test_the_demo_passes_a_bonus_list_from_the_counties_to_the_city_to_the_province(client, demo):
    pages = {slug: CandidateListPage.objects.get(slug=slug) for slug, *_ in demo_module.CHAIN_LISTS}
    for page in pages.values():
        assert page.live and LedgerEntry.objects.filter(disclosure_id=page.pk).exists()
    city, province = pages["demo-chain-luoyang"], pages["demo-chain-henan"]
    assert {row.basis.slug for row in ListBasis.objects.filter(page=city)} == {
        "demo-chain-xigong",
        "demo-chain-jianxi",
    }
    assert [row.basis_id for row in ListBasis.objects.filter(page=province)] == [city.pk]
    html = client.get(province.url).content.decode()
    assert "逐级公示" in html and pages["demo-chain-xigong"].title in html
    city_html = client.get(city.url).content.decode()
    assert "孙七" in city_html[city_html.index("新增（下级名单中没有）") :]
    detail = json.loads(client.get(f"/api/v1/disclosures/{city.pk}/").content)
    assert detail["row_changes"] == {"added": 1, "removed": 1, "kept": 3}


def test_loading_the_chain_demo_twice_changes_nothing(demo):
    entries, bases = LedgerEntry.objects.count(), ListBasis.objects.count()
    demo_module.load_chain_demo()
    assert (LedgerEntry.objects.count(), ListBasis.objects.count()) == (entries, bases)
