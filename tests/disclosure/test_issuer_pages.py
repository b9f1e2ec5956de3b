"""A public page per issuer, and the disclosure index filtered by an issuer's subtree."""

import pytest

from disclosure.models import PolicyPage
from tests.factories import add_disclosure, disclosure_index

from .chain_helpers import make_tree, policy_of_each

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def policies(tree):
    return policy_of_each(tree)


def test_an_issuer_page_shows_its_place_its_children_and_its_own_disclosures(
    client, tree, policies
):
    response = client.get(f"/issuers/{tree['city'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>洛阳市招生考试中心</h1>" in html
    assert f'href="/issuers/{tree["province"].pk}/"' in html  # up the tree
    for child in ("county", "sibling"):
        assert f'href="/issuers/{tree[child].pk}/"' in html
    assert policies["city"].title in html
    assert policies["county"].title not in html  # a child's disclosures are one click away
    assert f"?issuer={tree['city'].pk}" in html


def test_an_issuer_page_lists_no_draft(client, tree):
    draft = add_disclosure(PolicyPage, title="未发布的政策", issuer=tree["county"], publish=False)
    assert draft.title not in client.get(f"/issuers/{tree['county'].pk}/").content.decode()


@pytest.mark.parametrize("path", ["/issuers/999999/", "/issuers/0/", "/issuers/99999999999/"])
def test_an_unknown_issuer_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_the_index_filtered_by_a_city_lists_its_counties_and_schools_too(client, tree, policies):
    response = client.get(disclosure_index().url, {"issuer": tree["city"].pk})
    html = response.content.decode()
    for key in ("city", "county", "sibling", "school"):
        assert policies[key].title in html, key
    for key in ("province", "other_city"):
        assert policies[key].title not in html, key


def test_the_index_filtered_by_a_county_leaves_out_its_sibling(client, tree, policies):
    html = client.get(disclosure_index().url, {"issuer": tree["county"].pk}).content.decode()
    assert policies["county"].title in html and policies["school"].title in html
    assert policies["sibling"].title not in html


@pytest.mark.parametrize("bad", ["abc", "-1", "１２", "99999999999", "1 OR 1=1"])
def test_a_bad_issuer_filter_is_ignored_not_an_error(client, tree, policies, bad):
    response = client.get(disclosure_index().url, {"issuer": bad})
    assert response.status_code == 200


def test_the_issuer_filter_lists_issuers_in_tree_order(client, tree, policies):
    html = client.get(disclosure_index().url).content.decode()
    select = html[
        html.index('id="f-issuer"') : html.index("</select>", html.index('id="f-issuer"'))
    ]
    names = [
        "河南省教育考试院",
        "洛阳市招生考试中心",
        "洛阳市西工区招生办公室",
        "洛阳市第四高级中学",
    ]
    positions = [select.index(name) for name in names]
    assert positions == sorted(positions)
