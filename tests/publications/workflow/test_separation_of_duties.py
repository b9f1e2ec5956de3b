"""Nobody approves their own work, nor at two stages of one run; posting anyway is refused."""

import pytest
from django.contrib.auth.models import Group

from publications import roles
from publications.workflow.models import WorkflowActionRefused

from .conftest import act, login_verified, messages_of, refresh, verified

pytestmark = pytest.mark.django_db


def actions_for(page, user):
    page = refresh(page)
    return page.current_workflow_task.get_actions(page, verified(user))


def test_a_reviewer_who_authored_the_revision_is_not_offered_approval(submitted, people):
    people.editor.groups.add(Group.objects.get(name=roles.REVIEWER))
    assert actions_for(submitted, people.editor) == []
    assert [a[0] for a in actions_for(submitted, people.reviewer1)] == [
        "reject",
        "approve",
        "approve",
    ]


def test_approving_ones_own_revision_is_refused_with_a_message(client, submitted, people):
    people.editor.groups.add(Group.objects.get(name=roles.REVIEWER))
    response = act(client, people.editor, submitted, "approve")
    assert "不能审批自己编写的内容" in " ".join(messages_of(response))
    assert refresh(submitted).current_workflow_task.name == "初审"


def test_whoever_submitted_may_not_approve(client, make_disclosure, people):
    page = make_disclosure()
    page.get_workflow().start(page, people.reviewer2)
    response = act(client, people.reviewer2, page, "approve")
    assert "不能审批自己提交的内容" in " ".join(messages_of(response))
    assert refresh(page).current_workflow_task.name == "初审"


def test_the_page_owner_may_not_approve(client, make_disclosure, people):
    page = make_disclosure(owner=people.editor)
    page.owner = people.reviewer1
    page.save()
    page.get_workflow().start(page, people.editor)
    response = act(client, people.reviewer1, page, "approve")
    assert "不能审批自己的页面" in " ".join(messages_of(response))


def test_nobody_approves_at_two_stages_of_the_same_run(client, submitted, people):
    people.reviewer1.groups.add(Group.objects.get(name=roles.COMMITTEE))
    act(client, people.reviewer1, submitted, "approve")
    assert actions_for(submitted, people.reviewer1) == []
    response = act(client, people.reviewer1, submitted, "approve")
    assert "同一人不能在两个环节审批" in " ".join(messages_of(response))


def test_superusers_outside_the_group_get_no_actions(submitted, people):
    assert actions_for(submitted, people.admin) == []


def test_the_same_rules_hold_when_acting_from_code(submitted, people):
    people.editor.groups.add(Group.objects.get(name=roles.REVIEWER))
    page = refresh(submitted)
    with pytest.raises(WorkflowActionRefused, match="不能审批自己编写的内容"):
        page.current_workflow_task.on_action(
            page.current_workflow_task_state, verified(people.editor), "approve"
        )
    assert refresh(submitted).current_workflow_task.name == "初审"


def test_a_refused_post_from_the_editor_view_is_refused_too(client, submitted, people):
    people.editor.groups.add(Group.objects.get(name=roles.REVIEWER))
    login_verified(client, people.editor)
    response = client.post(
        f"/admin/pages/{submitted.pk}/edit/",
        {"action-workflow-action": "true", "workflow-action-name": "approve"},
    )
    assert "不能审批自己编写的内容" in " ".join(messages_of(response))
    assert refresh(submitted).current_workflow_task.name == "初审"
