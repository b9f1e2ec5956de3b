"""The default workflow: 初审 then 集体审定 with a quorum of distinct members."""

import pytest
from wagtail.models import TaskState, WorkflowState

from publications.models import ApprovedRevision, QuorumApprovalTask, QuorumVote

from .conftest import act, refresh

pytestmark = pytest.mark.django_db


def stage(page):
    state = refresh(page).current_workflow_task_state
    return state.task.name if state else None


def test_every_disclosure_page_gets_the_review_then_committee_workflow(submitted):
    workflow = submitted.get_workflow()
    assert [t.name for t in workflow.tasks] == ["初审", "集体审定"]
    assert stage(submitted) == "初审"


def test_two_distinct_committee_approvals_after_review_publish_the_page(client, submitted, people):
    assert act(client, people.reviewer1, submitted, "approve").status_code == 302
    assert stage(submitted) == "集体审定"
    act(client, people.committee1, submitted, "approve", "同意公示")
    assert stage(submitted) == "集体审定"
    assert not refresh(submitted).live
    act(client, people.committee2, submitted, "approve")
    page = refresh(submitted)
    assert page.live
    assert page.current_workflow_state is None
    approved = ApprovedRevision.objects.get(page_id=page.pk)
    assert approved.revision_id == page.live_revision_id
    assert approved.approved_by == people.committee2


def test_quorum_is_configurable_per_task(client, submitted, people):
    QuorumApprovalTask.objects.update(quorum=3)
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "approve")
    act(client, people.committee2, submitted, "approve")
    assert not refresh(submitted).live
    act(client, people.committee3, submitted, "approve")
    assert refresh(submitted).live


def test_each_vote_records_member_decision_comment_and_revision_seen(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "approve", "材料齐全")
    vote = QuorumVote.objects.get()
    assert vote.member == people.committee1
    assert vote.decision == "approve"
    assert vote.comment == "材料齐全"
    assert vote.revision_id == refresh(submitted).latest_revision_id


def test_a_member_cannot_vote_twice_on_the_same_task(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "approve")
    response = act(client, people.committee1, submitted, "approve")
    assert "您已在本环节表决过" in " ".join(m for m in _messages(response))
    assert QuorumVote.objects.count() == 1
    assert not refresh(submitted).live


def test_one_committee_rejection_sends_the_page_back_with_the_comment(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "approve")
    act(client, people.committee2, submitted, "reject", "第3行学校名称有误")
    run = WorkflowState.objects.get()
    assert run.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.comment == "第3行学校名称有误"
    assert QuorumVote.objects.get(member=people.committee2).decision == "reject"
    assert not refresh(submitted).live


def test_resubmission_after_rejection_starts_over_at_review(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "reject", "请更正")
    page = refresh(submitted)
    page.save_revision(user=people.editor)
    page.current_workflow_state.resume(people.editor)
    assert stage(submitted) == "初审"


def test_an_edit_during_review_needs_approval_again(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    page = refresh(submitted)
    page.title = "2026年加分照顾考生名单（修订）"
    page.save_revision(user=people.editor2)
    act(client, people.committee1, submitted, "approve")
    act(client, people.committee2, submitted, "approve")
    page = refresh(submitted)
    assert not page.live
    assert stage(submitted) == "初审"


def _messages(response):
    from .conftest import messages_of

    return messages_of(response)
