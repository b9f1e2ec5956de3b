"""Per-issuer review: an approval counts only from members of the issuer that publishes; each
issuer (or its level) names its reviewers, committee and quorum; separation of duties and
recusal hold across issuers."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import TaskState

from disclosure.models import IssuerLevel, PolicyPage
from publications import roles
from publications.rights.models import IssuerMembership, ReviewBoard
from publications.workflow.models import QuorumVote, Recusal, WorkflowActionRefused
from publications.workflow.views import pending_tasks_for
from tests.factories import join

from .conftest import DRAFT_A, login

pytestmark = pytest.mark.django_db


def verified(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user.otp_device = TOTPDevice.objects.get(user=user)
    user.is_verified = lambda: True
    return user


def act(page, user, action="approve"):
    page = PolicyPage.objects.get(pk=page.pk)
    page.current_workflow_task.on_action(page.current_workflow_task_state, verified(user), action)


def submitted(drafts, people):
    page = drafts.a
    page.get_workflow().start(page, people.editor_a)
    return PolicyPage.objects.get(pk=page.pk)


def stage(page) -> str:
    return PolicyPage.objects.get(pk=page.pk).current_workflow_task.name


def test_a_sibling_countys_reviewer_cannot_approve(drafts, people):
    page = submitted(drafts, people)
    with pytest.raises(WorkflowActionRefused, match="洛阳市西工区招生办公室"):
        act(page, people.reviewer_b)
    assert stage(page) == "初审"


def test_a_parent_citys_reviewer_sees_but_cannot_approve_for_the_county(drafts, people):
    page = submitted(drafts, people)
    with pytest.raises(WorkflowActionRefused, match="审批只计发布机构本机构成员的意见"):
        act(page, people.reviewer_city)
    assert stage(page) == "初审"


def test_the_countys_own_reviewer_and_committee_publish_it(drafts, people):
    page = submitted(drafts, people)
    act(page, people.reviewer_a)
    for outsider in (people.committee_b, people.committee_city):
        with pytest.raises(WorkflowActionRefused):
            act(page, outsider)
    assert not QuorumVote.objects.exists()
    act(page, people.committee_a1)
    act(page, people.committee_a2)
    assert PolicyPage.objects.get(pk=page.pk).live


def test_posting_the_workflow_action_url_for_another_county_is_refused_and_changes_nothing(
    client, drafts, people
):
    page = submitted(drafts, people)
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk))
    login(client, people.reviewer_b)
    response = client.post(url, {"comment": ""})
    assert response.status_code == 403
    assert "该内容属于其他发布机构" in response.content.decode()
    login(client, people.reviewer_city)  # in scope, but not of the publishing issuer
    client.post(url, {"comment": ""})
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    assert stage(page) == "初审"


def test_an_issuers_board_sets_its_quorum(drafts, people, tree):
    ReviewBoard.objects.create(issuer=tree.a, quorum=3)
    page = submitted(drafts, people)
    act(page, people.reviewer_a)
    act(page, people.committee_a1)
    act(page, people.committee_a2)
    assert not PolicyPage.objects.get(pk=page.pk).live
    act(page, people.committee_a3)
    assert PolicyPage.objects.get(pk=page.pk).live


def test_a_level_default_board_serves_issuers_without_their_own(drafts, people, tree):
    ReviewBoard.objects.create(level=IssuerLevel.COUNTY, quorum=1)
    page = submitted(drafts, people)
    act(page, people.reviewer_a)
    act(page, people.committee_a1)
    assert PolicyPage.objects.get(pk=page.pk).live


def test_where_the_board_names_its_committee_no_other_member_counts(drafts, people, tree):
    board = ReviewBoard.objects.create(issuer=tree.a)
    board.committee.set([people.committee_a1, people.committee_a2])
    page = submitted(drafts, people)
    act(page, people.reviewer_a)
    with pytest.raises(WorkflowActionRefused, match="指定"):
        act(page, people.committee_a3)


def test_a_vote_stops_counting_when_its_member_leaves_the_issuer(drafts, people, tree):
    page = submitted(drafts, people)
    act(page, people.reviewer_a)
    act(page, people.committee_a1)
    IssuerMembership.objects.filter(user=people.committee_a1, issuer=tree.a).delete()
    act(page, people.committee_a2)
    assert not PolicyPage.objects.get(pk=page.pk).live
    act(page, people.committee_a3)
    assert PolicyPage.objects.get(pk=page.pk).live


def test_separation_of_duties_holds_for_a_member_of_two_issuers(drafts, people, tree):
    """The city's editor also sits on county A's committee: having written a revision of the
    county's draft, they may not vote on it."""
    join(people.editor_city, tree.a)
    people.editor_city.groups.add(Group.objects.get(name=roles.COMMITTEE))
    page = PolicyPage.objects.get(pk=drafts.a.pk)
    page.summary = "市级编辑修改"
    page.save_revision(user=people.editor_city)
    page.get_workflow().start(page, people.editor_a)
    act(page, people.reviewer_a)
    with pytest.raises(WorkflowActionRefused, match="审编分离"):
        act(page, people.editor_city)


def test_recusal_holds_for_a_county_committee_member(drafts, people):
    Recusal.objects.create(user=people.committee_a1, page=drafts.a, relationship="近亲属")
    page = submitted(drafts, people)
    act(page, people.reviewer_a)
    with pytest.raises(WorkflowActionRefused, match="回避"):
        act(page, people.committee_a1)


def test_no_dashboard_lists_another_countys_task(client, drafts, people):
    submitted(drafts, people)
    assert [item["page"].pk for item in pending_tasks_for(people.reviewer_a)] == [drafts.a.pk]
    assert pending_tasks_for(people.reviewer_b) == []
    login(client, people.reviewer_b)
    assert DRAFT_A not in client.get(reverse("wagtailadmin_home")).content.decode()
    login(client, people.reviewer_a)
    assert DRAFT_A in client.get(reverse("wagtailadmin_home")).content.decode()
