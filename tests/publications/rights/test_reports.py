"""Wagtail's admin reports name no other issuer's disclosure, as a sibling county's editor
or reviewer; the parent city's see the county's."""

import pytest
from django.urls import reverse

from .conftest import DRAFT_A, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(drafts, people):
    drafts.a.get_workflow().start(drafts.a, people.editor_a)
    drafts.b.get_workflow().start(drafts.b, people.editor_b)
    return drafts


@pytest.mark.parametrize(
    "report", ["workflow", "workflow_tasks", "site_history", "aging_pages", "locked_pages"]
)
def test_no_report_names_a_sibling_countys_disclosure(client, in_review, people, report):
    url = reverse(f"wagtailadmin_reports:{report}")
    login(client, people.editor_b)
    response = client.get(url)
    assert DRAFT_A not in response.content.decode()


@pytest.mark.parametrize("report", ["workflow", "site_history"])
def test_the_parent_citys_editor_finds_the_countys_disclosure_in_the_reports(
    client, in_review, people, report
):
    login(client, people.editor_city)
    response = client.get(reverse(f"wagtailadmin_reports:{report}"))
    assert response.status_code == 200
    assert DRAFT_A in response.content.decode()


def test_the_page_types_report_which_counts_every_page_is_for_platform_administrators(
    client, in_review, people
):
    url = reverse("wagtailadmin_reports:page_types_usage")
    login(client, people.editor_b)
    response = client.get(url)
    assert response.status_code == 403
    assert "平台管理员" in response.content.decode()
    assert DRAFT_A not in response.content.decode()
    login(client, people.admin)
    assert client.get(url).status_code == 200
