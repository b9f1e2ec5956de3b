"""Issuer-scoped rights on the page tree: explorer, editor, revisions, chooser, search, bulk
actions, the admin API and the dashboard. Each path is tried as an editor of the sibling
county (refused, and the draft's title appears nowhere) and of the parent city (allowed)."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from disclosure.models import PolicyPage

from .conftest import DRAFT_A, login

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_a_sibling_countys_editor_does_not_see_the_draft_in_the_explorer(client, drafts, people):
    index = drafts.a.get_parent()
    login(client, people.editor_b)
    response = client.get(reverse("wagtailadmin_explore", args=(index.pk,)))
    assert response.status_code == 200
    assert DRAFT_A not in _text(response)
    assert drafts.b.title in _text(response)


def test_a_parent_citys_editor_sees_the_countys_draft_in_the_explorer(client, drafts, people):
    login(client, people.editor_city)
    response = client.get(reverse("wagtailadmin_explore", args=(drafts.a.get_parent().pk,)))
    assert DRAFT_A in _text(response)


@pytest.mark.parametrize(
    "view",
    ["wagtailadmin_pages:edit", "wagtailadmin_pages:history", "wagtailadmin_pages:delete"],
)
def test_a_sibling_countys_editor_is_refused_the_drafts_editor_and_history(
    client, drafts, people, view
):
    login(client, people.editor_b)
    response = client.get(reverse(view, args=(drafts.a.pk,)))
    assert response.status_code == 403
    assert "该内容属于其他发布机构" in _text(response)
    assert DRAFT_A not in _text(response)
    login(client, people.editor_city)
    assert client.get(reverse(view, args=(drafts.a.pk,))).status_code == 200


def test_a_sibling_countys_editor_cannot_view_a_revision_or_compare(client, drafts, people):
    revision = drafts.a.get_latest_revision()
    urls = [
        reverse("wagtailadmin_pages:revisions_view", args=(drafts.a.pk, revision.pk)),
        reverse("wagtailadmin_pages:revisions_compare", args=(drafts.a.pk, "live", revision.pk)),
    ]
    login(client, people.editor_b)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert DRAFT_A not in _text(response)
    login(client, people.editor_city)
    assert client.get(urls[0]).status_code == 200


def test_posting_the_editor_of_another_countys_draft_is_refused_and_saves_nothing(
    client, drafts, people
):
    before = Revision.page_revisions.filter(object_id=str(drafts.a.pk)).count()
    login(client, people.editor_b)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(drafts.a.pk,)),
        {"title": "篡改", "slug": "draft-a", "issuer": drafts.b.issuer_id, "admission_year": 2026},
    )
    assert response.status_code == 403
    assert "无权" in _text(response) or "权限" in _text(response)
    assert Revision.page_revisions.filter(object_id=str(drafts.a.pk)).count() == before
    assert PolicyPage.objects.get(pk=drafts.a.pk).title == DRAFT_A


def test_the_page_chooser_and_its_search_list_no_sibling_countys_draft(client, drafts, people):
    index = drafts.a.get_parent()
    browse = reverse("wagtailadmin_choose_page_child", args=(index.pk,))
    search = reverse("wagtailadmin_choose_page_search") + "?q=加分照顾政策"
    login(client, people.editor_b)

    def listed(url):
        response = client.get(url)
        assert response.status_code == 200
        if response["Content-Type"].startswith("application/json"):
            return response.json()["html"]
        return _text(response)

    for url in (browse, search):
        assert DRAFT_A not in listed(url), url
    login(client, people.editor_city)
    for url in (browse, search):
        assert DRAFT_A in listed(url), url


def test_admin_search_finds_no_sibling_countys_draft(client, drafts, people):
    url = reverse("wagtailadmin_pages:search") + "?q=加分照顾政策"
    login(client, people.editor_b)
    response = client.get(url)
    assert response.status_code == 200
    assert DRAFT_A not in _text(response)
    login(client, people.editor_city)
    assert DRAFT_A in _text(client.get(url))


def test_the_admin_api_behind_the_sidebar_explorer_lists_no_sibling_countys_draft(
    client, drafts, people
):
    url = f"/admin/api/main/pages/?child_of={drafts.a.get_parent().pk}&for_explorer=1"
    login(client, people.editor_b)
    response = client.get(url)
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert DRAFT_A not in titles
    assert drafts.b.title in titles
    login(client, people.editor_city)
    assert DRAFT_A in [item["title"] for item in client.get(url).json()["items"]]
    login(client, people.editor_b)
    detail = client.get(f"/admin/api/main/pages/{drafts.a.pk}/")
    assert detail.status_code == 404


def test_a_bulk_delete_of_another_countys_draft_deletes_nothing(client, drafts, people):
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={drafts.a.pk}&next=/admin/"
    )
    login(client, people.editor_b)
    get = client.get(url)
    assert get.status_code == 403
    assert DRAFT_A not in _text(get)
    assert client.post(url).status_code == 403
    assert Page.objects.filter(pk=drafts.a.pk).exists()


def test_the_dashboard_counts_and_names_no_sibling_countys_pages(client, drafts, people):
    login(client, people.editor_b)
    mine = client.get(reverse("wagtailadmin_home"))
    login(client, people.editor_city)
    city = client.get(reverse("wagtailadmin_home"))
    assert DRAFT_A not in _text(mine)

    def pages_count(response):
        item = response.context["site_summary"].summary_items[0]
        return item.get_context_data({})["total_pages"]

    # the city sees both counties' drafts; the county only its own
    assert pages_count(city) == pages_count(mine) + 1


def test_a_new_disclosure_cannot_be_given_another_countys_issuer(client, drafts, people):
    index = drafts.a.get_parent()
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "policypage", index.pk))
    login(client, people.editor_b)
    form = client.get(url)
    assert drafts.a.issuer.name not in _text(form)
    response = client.post(
        url,
        nested_form_data(
            {
                "title": "冒名发布",
                "slug": "forged",
                "issuer": drafts.a.issuer_id,
                "admission_year": 2026,
                "summary": "",
                "body": rich_text("<p>正文</p>"),
                "tags": "",
                "change_note": "",
                "attachments": inline_formset([]),
                "comments": inline_formset([]),
            }
        ),
    )
    assert "只能选择您所属的发布机构或其下级机构" in _text(response)
    assert not PolicyPage.objects.filter(slug="forged").exists()


def test_the_permission_tester_refuses_every_action_on_another_issuers_disclosure(drafts, people):
    sibling = drafts.a.permissions_for_user(people.editor_b)
    parent = drafts.a.permissions_for_user(people.editor_city)
    for question in ("can_edit", "can_delete", "can_copy", "can_move", "can_view_revisions"):
        assert not getattr(sibling, question)(), question
    assert parent.can_edit() and parent.can_view_revisions()
    # the page policy answers the same, for code that asks it rather than the tester
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(drafts.a))
    assert not policy.user_has_permission_for_instance(people.editor_b, "change", drafts.a)
    assert policy.user_has_permission_for_instance(people.editor_city, "change", drafts.a)
    editable = policy.instances_user_has_permission_for(people.editor_b, "change")
    assert drafts.a.pk not in set(editable.values_list("pk", flat=True))
