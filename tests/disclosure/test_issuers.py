"""The issuer tree refuses bad input: no issuer its own ancestor, no level that strands its
children, no deletion of an issuer that has disclosures or issuers below it."""

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import Issuer, IssuerLevel, PolicyPage
from tests.factories import add_disclosure, make_user

from .chain_helpers import make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("platform-admin", is_superuser=True, is_staff=True))
    return client


def edit_url(issuer):
    return f"/admin/snippets/disclosure/issuer/edit/{issuer.pk}/"


def form_data(issuer, **changes):
    data = {
        "name": issuer.name,
        "level": issuer.level,
        "parent": issuer.parent_id or "",
        "region_code": issuer.region_code,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("node", "new_parent", "message"),
    [
        ("city", "city", "上级机构不能是其自身"),  # itself
        ("city", "county", "循环"),  # its child
        ("province", "school", "循环"),  # its great-grandchild
    ],
)
def test_an_issuer_cannot_be_made_its_own_ancestor_on_any_save_path(
    tree, node, new_parent, message
):
    issuer = Issuer.objects.get(pk=tree[node].pk)
    issuer.parent = tree[new_parent]
    with pytest.raises(ValidationError, match=message):
        issuer.full_clean()
    with pytest.raises(ValidationError, match=r"循环|其自身"):
        issuer.save()  # code and API paths that skip the form
    assert Issuer.objects.get(pk=issuer.pk).parent_id == tree[node].parent_id


def test_the_snippet_admin_refuses_a_cycle_with_a_chinese_message(admin_client, tree):
    city = tree["city"]
    response = admin_client.post(edit_url(city), form_data(city, parent=tree["school"].pk))
    assert response.status_code == 200  # the form again
    assert "不能形成循环" in response.content.decode()
    assert Issuer.objects.get(pk=city.pk).parent_id == tree["province"].pk


def test_a_level_change_that_would_put_a_child_above_its_parent_is_refused(admin_client, tree):
    county = tree["county"]  # has a school below it
    response = admin_client.post(edit_url(county), form_data(county, level=IssuerLevel.SCHOOL))
    assert response.status_code == 200
    assert "洛阳市第四高级中学" in response.content.decode()
    assert Issuer.objects.get(pk=county.pk).level == IssuerLevel.COUNTY


def test_a_move_within_the_tree_is_allowed(admin_client, tree):
    school = tree["school"]
    response = admin_client.post(edit_url(school), form_data(school, parent=tree["sibling"].pk))
    assert response.status_code == 302
    assert Issuer.objects.get(pk=school.pk).parent_id == tree["sibling"].pk


def test_deleting_an_issuer_with_disclosures_is_refused_with_a_chinese_message(admin_client, tree):
    county = tree["sibling"]
    add_disclosure(PolicyPage, title="涧西区招生政策", issuer=county)
    url = f"/admin/snippets/disclosure/issuer/delete/{county.pk}/"
    for response in (admin_client.get(url, follow=True), admin_client.post(url, follow=True)):
        assert response.status_code == 200
        assert "不能删除发布机构“洛阳市涧西区招生办公室”：有 1 项公示以其为发布机构" in (
            response.content.decode()
        )
    assert Issuer.objects.filter(pk=county.pk).exists()


def test_a_bulk_delete_of_an_issuer_with_disclosures_is_refused_too(admin_client, tree):
    add_disclosure(PolicyPage, title="涧西区招生政策", issuer=tree["sibling"])
    url = "/admin/bulk/disclosure/issuer/delete/"
    response = admin_client.post(
        f"{url}?id={tree['sibling'].pk}&id={tree['other_city'].pk}", follow=True
    )
    assert "不能删除" in response.content.decode()
    assert Issuer.objects.filter(pk=tree["sibling"].pk).exists()


def test_deleting_an_issuer_with_issuers_below_it_is_refused(admin_client, tree):
    url = f"/admin/snippets/disclosure/issuer/delete/{tree['county'].pk}/"
    response = admin_client.post(url, follow=True)
    assert "不能删除" in response.content.decode()
    assert Issuer.objects.filter(pk=tree["county"].pk).exists()


def test_an_issuer_with_nothing_below_it_can_be_deleted(admin_client, tree):
    url = f"/admin/snippets/disclosure/issuer/delete/{tree['other_city'].pk}/"
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Issuer.objects.filter(pk=tree["other_city"].pk).exists()
