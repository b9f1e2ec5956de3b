"""Roles: groups by migration, pending tasks on the dashboard, the inspector reads everything."""

import pytest
from django.contrib.auth.models import Group

from publications import roles

from .conftest import act, login_verified

pytestmark = pytest.mark.django_db


def test_each_role_is_a_group_created_by_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_editors_may_add_and_change_pages_but_not_publish(db):
    codenames = set(
        Group.objects.get(name=roles.EDITOR).page_permissions.values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}


def test_the_dashboard_shows_a_committee_member_the_disclosure_waiting_for_their_vote(
    client, submitted, people
):
    act(client, people.reviewer1, submitted, "approve")
    login_verified(client, people.committee1)
    html = client.get("/admin/").content.decode()
    assert "我的待审批事项" in html
    assert "待您审批" in html
    assert submitted.title in html


def test_the_dashboard_shows_nothing_pending_to_an_editor(client, submitted, people):
    login_verified(client, people.editor)
    assert "我的待审批事项" not in client.get("/admin/").content.decode()


def test_the_inspector_reads_the_review_record_with_every_vote(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "approve", "同意，材料齐全")
    client.force_login(people.inspector)
    response = client.get("/admin/workflow-record/")
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.title in html
    assert "committee1" in html
    assert "同意，材料齐全" in html


def test_only_the_inspector_role_reads_the_review_record(client, submitted, people):
    client.force_login(people.editor)
    response = client.get("/admin/workflow-record/")
    assert response.status_code == 302
    assert "/admin/workflow-record/" not in response.url


def test_the_demo_has_a_disclosure_waiting_at_each_stage(demo):
    from disclosure.models import PolicyPage

    def at(slug):
        page = PolicyPage.objects.get(slug=slug)
        task = page.current_workflow_task
        return (page.live, task.name if task else None)

    assert at("demo-draft") == (False, None)
    assert at("demo-first-review") == (False, "初审")
    assert at("demo-committee") == (False, "集体审定")
    assert at("demo-committee-one-vote") == (False, "集体审定")
    assert at("demo-published") == (True, None)
    demo.load_all()  # idempotent
    assert PolicyPage.objects.filter(slug__startswith="demo-").count() == 5
