"""The approval record (纪检监察), recusals and the platform administrator's admin of issuers
and members, scoped by issuer."""

import pytest
from django.urls import reverse

from publications.rights.models import IssuerMembership
from publications.workflow.models import Recusal

from .conftest import DRAFT_A, login

pytestmark = pytest.mark.django_db

RELATIONSHIP = "西工区委员的近亲属在名单中"


@pytest.fixture
def record(drafts, people):
    drafts.a.get_workflow().start(drafts.a, people.editor_a)
    Recusal.objects.create(user=people.committee_a1, page=drafts.a, relationship=RELATIONSHIP)
    Recusal.objects.create(
        user=people.committee_a2,
        candidate_name="廖鑫",
        candidate_school="洛阳市第四高级中学",
        relationship=RELATIONSHIP + "（按考生）",
    )
    return drafts


def test_a_sibling_countys_inspector_reads_no_run_or_recusal_of_the_county(client, record, people):
    login(client, people.inspector_b)
    page = client.get(reverse("publications_workflow_record")).content.decode()
    assert DRAFT_A not in page
    assert RELATIONSHIP not in page


def test_the_countys_and_the_citys_inspectors_read_the_countys_record(client, record, people):
    for inspector in (people.inspector_a, people.inspector_city):
        login(client, inspector)
        page = client.get(reverse("publications_workflow_record")).content.decode()
        assert DRAFT_A in page, inspector
        assert RELATIONSHIP in page and RELATIONSHIP + "（按考生）" in page, inspector


def test_a_recusal_cannot_name_another_countys_disclosure(client, drafts, people):
    url = reverse("publications_recusals")
    login(client, people.committee_b)
    assert DRAFT_A not in client.get(url).content.decode()
    response = client.post(url, {"page": drafts.a.pk, "relationship": "同学"})
    assert "该内容属于其他发布机构" in response.content.decode()
    assert not Recusal.objects.filter(user=people.committee_b).exists()
    login(client, people.committee_city)
    assert DRAFT_A in client.get(url).content.decode()


def test_only_the_platform_administrator_manages_members(client, people, tree):
    listing = reverse("wagtailsnippets_publications_issuermembership:list")
    add = reverse("wagtailsnippets_publications_issuermembership:add")
    for outsider in (people.editor_city, people.inspector_city):
        login(client, outsider)
        assert client.get(listing).status_code in (302, 403), outsider
        client.post(add, {"user": outsider.pk, "issuer": tree.province.pk})
        assert not IssuerMembership.objects.filter(user=outsider, issuer=tree.province).exists()
    login(client, people.admin)
    assert "editor-a" in client.get(listing).content.decode()
    response = client.post(add, {"user": people.editor_b.pk, "issuer": tree.a.pk})
    assert response.status_code == 302
    assert IssuerMembership.objects.filter(user=people.editor_b, issuer=tree.a).exists()


def test_only_the_platform_administrator_edits_issuers(client, people, tree):
    edit = reverse("wagtailsnippets_disclosure_issuer:edit", args=(tree.a.pk,))
    data = {"name": "改名", "level": "county", "parent": tree.city.pk, "region_code": ""}
    login(client, people.editor_a)
    client.post(edit, data)
    assert type(tree.a).objects.get(pk=tree.a.pk).name == tree.a.name
    login(client, people.admin)
    assert client.post(edit, data).status_code == 302
    assert type(tree.a).objects.get(pk=tree.a.pk).name == "改名"
