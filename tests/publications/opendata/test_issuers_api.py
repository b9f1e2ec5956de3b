"""`GET /api/v1/issuers/`, the `issuer` filter over a subtree, and the chain in the detail."""

import json

import pytest

from disclosure.models import Issuer
from publications.ledger.models import LedgerEntry
from tests.disclosure.chain_helpers import (
    CITY_ROWS,
    COUNTY_ROWS,
    SIBLING_ROWS,
    candidate_list,
    make_tree,
    policy_of_each,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def policies(tree):
    return policy_of_each(tree)


def get_json(client, path, **params):
    response = client.get(path, params)
    return response, json.loads(response.content)


def test_the_issuer_list_gives_the_whole_tree_with_parents_and_urls(client, tree):
    response, data = get_json(client, "/api/v1/issuers/")
    assert response.status_code == 200 and response["ETag"]
    by_id = {item["id"]: item for item in data["issuers"]}
    assert set(by_id) == {issuer.pk for issuer in tree.values()}
    county = by_id[tree["county"].pk]
    assert county["name"] == "洛阳市西工区招生办公室"
    assert county["level"] == "county" and county["level_label"] == "县级"
    assert county["parent_id"] == tree["city"].pk
    assert by_id[tree["province"].pk]["parent_id"] is None
    assert county["url"].endswith(f"/issuers/{tree['county'].pk}/")
    assert county["disclosures_url"].endswith(f"/api/v1/disclosures/?issuer={tree['county'].pk}")
    assert client.get(county["url"]).status_code == 200


def titles(client, **params):
    response, data = get_json(client, "/api/v1/disclosures/", **params)
    assert response.status_code == 200, data
    return {item["title"] for item in data["disclosures"]}


def test_the_issuer_filter_includes_the_issuers_below_it(client, tree, policies):
    expected = {policies[k].title for k in ("city", "county", "sibling", "school")}
    assert titles(client, issuer=tree["city"].pk) == expected
    assert titles(client, issuer="洛阳市招生考试中心") == expected  # by exact name, as before


def test_a_county_filter_leaves_out_its_sibling_and_its_parent(client, tree, policies):
    assert titles(client, issuer=tree["county"].pk) == {
        policies["county"].title,
        policies["school"].title,
    }


def test_include_below_false_keeps_to_the_issuer_itself(client, tree, policies):
    assert titles(client, issuer=tree["city"].pk, include_below="false") == {policies["city"].title}


@pytest.mark.parametrize("bad", ["no", "1", "TRUE", ""])
def test_a_bad_include_below_is_a_400_in_chinese(client, tree, bad):
    if bad == "":
        assert get_json(client, "/api/v1/disclosures/", include_below="")[0].status_code == 400
        return
    response, data = get_json(client, "/api/v1/disclosures/", include_below=bad)
    assert response.status_code == 400
    assert data["error_zh"] == "参数 include_below 应为 true 或 false"


@pytest.mark.parametrize("unknown", ["999999", "没有这个机构", "99999999999"])
def test_an_unknown_issuer_gives_an_empty_list(client, tree, policies, unknown):
    assert titles(client, issuer=unknown) == set()


def test_moving_an_issuer_changes_the_validator_of_a_filtered_list(client, tree, policies):
    first = client.get("/api/v1/disclosures/", {"issuer": tree["city"].pk})
    again = client.get(
        "/api/v1/disclosures/", {"issuer": tree["city"].pk}, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert again.status_code == 304
    school = Issuer.objects.get(pk=tree["school"].pk)
    school.parent = tree["sibling"]
    school.save()
    tree_list = client.get("/api/v1/issuers/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert tree_list.status_code == 200
    Issuer.objects.filter(pk=tree["county"].pk).update(parent=tree["other_city"])
    moved = client.get(
        "/api/v1/disclosures/", {"issuer": tree["city"].pk}, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert moved.status_code == 200  # not a stale 304
    assert policies["county"].title not in moved.content.decode()


def test_the_issuer_list_is_read_only(client, tree):
    assert client.post("/api/v1/issuers/").status_code == 405


def test_a_city_lists_detail_gives_its_basis_with_pinned_hashes_and_its_row_changes(client, tree):
    county = candidate_list(tree["county"], "西工区名单", COUNTY_ROWS)
    sibling = candidate_list(tree["sibling"], "涧西区名单", SIBLING_ROWS)
    city = candidate_list(tree["city"], "洛阳市名单", CITY_ROWS, bases=[county, sibling])
    province = candidate_list(tree["province"], "河南省名单", CITY_ROWS, bases=[city])
    _, data = get_json(client, f"/api/v1/disclosures/{city.pk}/")
    assert [b["disclosure_id"] for b in data["basis"]] == [county.pk, sibling.pk]
    first = data["basis"][0]
    entry = LedgerEntry.objects.filter(disclosure_id=county.pk).order_by("-seq").first()
    assert first["version"] == entry.version == 1
    assert first["content_sha256"] == entry.content_sha256
    assert first["dataset_public_sha256"] == county.dataset.public_sha256
    assert first["issuer"] == {
        "id": tree["county"].pk,
        "name": tree["county"].name,
        "level": "county",
    }
    assert data["row_changes"] == {"added": 1, "removed": 1, "kept": 3}
    assert [p["disclosure_id"] for p in data["passed_up_to"]] == [province.pk]
    _, lower = get_json(client, f"/api/v1/disclosures/{county.pk}/")
    assert lower["basis"] == [] and lower["row_changes"] is None
    assert [p["disclosure_id"] for p in lower["passed_up_to"]] == [city.pk]
    body = json.dumps(data, ensure_ascii=False)
    assert "李四" not in body and "孙七" not in body  # counts only, no names, no identifiers
