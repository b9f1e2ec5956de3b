"""No other road to the public: every way around the workflow is refused."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupPagePermission, Revision

from disclosure.models import DisclosurePage
from publications.actions.publish import publish_approved_revision
from publications.workflow.guard import BypassRefused

from .conftest import act, login_verified, messages_of, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(client, submitted, people):
    act(client, people.reviewer1, submitted, "approve")
    act(client, people.committee1, submitted, "approve")
    act(client, people.committee2, submitted, "approve")
    client.logout()
    page = refresh(submitted)
    assert page.live
    return page


def test_no_group_holds_publish_permission_on_any_page(db):
    assert not GroupPagePermission.objects.filter(permission__codename="publish_page").exists()


def test_nobody_not_even_a_superuser_may_publish_a_disclosure_page(make_disclosure, people):
    page = make_disclosure()
    assert not page.permissions_for_user(people.admin).can_publish()
    assert not page.permissions_for_user(people.admin).can_unpublish()


def test_direct_publish_from_the_editor_is_refused(client, make_disclosure, people):
    page = make_disclosure()
    login_verified(client, people.admin)
    response = client.post(f"/admin/pages/{page.pk}/edit/", {"action-publish": "1"})
    assert "不能直接发布" in " ".join(messages_of(response))
    assert not refresh(page).live


def test_publishing_a_revision_from_code_is_refused_even_without_permission_checks(
    make_disclosure, people
):
    page = make_disclosure()
    with pytest.raises(PermissionDenied):
        page.get_latest_revision().publish(user=people.admin)
    with pytest.raises(BypassRefused):
        page.get_latest_revision().publish(skip_permission_checks=True)
    assert not refresh(page).live


def test_bulk_publish_is_refused(client, make_disclosure, people):
    page = make_disclosure()
    login_verified(client, people.admin)
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}", {})
    assert "不能直接发布" in " ".join(messages_of(response))
    assert not refresh(page).live


def test_copy_with_publish_is_refused_in_the_admin_and_in_code(client, published, people, index):
    login_verified(client, people.admin)
    response = client.post(
        f"/admin/pages/{published.pk}/copy/",
        {
            "new_title": "副本",
            "new_slug": "copy",
            "new_parent_page": index.pk,
            "publish_copies": "on",
        },
    )
    assert "复制公示时不能同时发布" in " ".join(messages_of(response))
    with pytest.raises(BypassRefused):
        published.copy(update_attrs={"slug": "copy2", "title": "副本"}, keep_live=True)
    assert DisclosurePage.objects.filter(live=True).count() == 1


def test_reverting_to_another_revision_and_publishing_is_refused(client, published, people):
    approved = published.live_revision_id
    published.title = "已公示后改动"
    published.change_note = "标题更正"  # a valid correction, just not an approved one
    draft = published.save_revision(user=people.editor)
    with pytest.raises(BypassRefused):
        draft.publish(skip_permission_checks=True)
    login_verified(client, people.admin)
    response = client.post(
        f"/admin/pages/{published.pk}/revisions/{draft.pk}/revert/", {"action-publish": "1"}
    )
    assert "不能直接发布" in " ".join(messages_of(response))
    assert refresh(published).live_revision_id == approved


def test_scheduled_publishing_of_an_unapproved_revision_is_refused(make_disclosure):
    page = make_disclosure()
    past = timezone.now() - datetime.timedelta(minutes=1)
    Revision.objects.filter(pk=page.latest_revision_id).update(approved_go_live_at=past)
    with pytest.raises(BypassRefused):
        call_command("publish_scheduled")
    assert not refresh(page).live


def test_an_approved_revision_scheduled_for_later_goes_live_on_schedule(
    client, make_disclosure, people
):
    page = make_disclosure()
    # The window opens in an hour; go-live follows the window.
    page.window_opens_at = timezone.now() + datetime.timedelta(hours=1)
    page.window_closes_at = page.window_opens_at + datetime.timedelta(days=30)
    page.save_revision(user=people.editor)
    page.get_workflow().start(page, people.editor)
    act(client, people.reviewer1, page, "approve")
    act(client, people.committee1, page, "approve")
    act(client, people.committee2, page, "approve")
    assert not refresh(page).live
    assert refresh(page).get_latest_revision().approved_go_live_at is not None
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):  # the clock, pinned
        call_command("publish_scheduled")
    assert refresh(page).live


def test_publish_approved_revision_refuses_a_revision_no_workflow_approved(make_disclosure, people):
    page = make_disclosure()
    with pytest.raises(BypassRefused, match="未经初审和集体审定"):
        publish_approved_revision(page.get_latest_revision(), people.admin)
    assert not refresh(page).live


def test_the_wagtail_api_is_not_mounted(client, db):
    assert client.get("/api/v2/pages/").status_code == 404
    assert client.get("/api/v2/").status_code == 404


def test_unpublish_outside_the_withdrawal_process_is_refused(client, published, people):
    login_verified(client, people.admin)
    response = client.post(f"/admin/pages/{published.pk}/unpublish/", {})
    assert "须通过撤回程序" in " ".join(messages_of(response))
    assert refresh(published).live
    with pytest.raises(BypassRefused, match="须通过撤回程序"):
        refresh(published).unpublish()
    assert refresh(published).live


def test_bulk_unpublish_is_refused(client, published, people):
    login_verified(client, people.admin)
    response = client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={published.pk}", {})
    assert "须通过撤回程序" in " ".join(messages_of(response))
    assert refresh(published).live


def test_a_disclosure_page_cannot_be_created_live(index, issuer, people):
    from disclosure.models import NoticePage

    with pytest.raises(BypassRefused):
        index.add_child(
            instance=NoticePage(
                title="直接上线", issuer=issuer, admission_year=2026, notice_type="other"
            )
        )


def test_the_gate_leaves_public_requests_alone_without_loading_the_session(rf):
    """Only the admin views it rules on are looked at: a public lookup never reads the
    session or the user (which would cost every public request a session lookup)."""
    from django.urls import resolve

    from publications.workflow.middleware import WorkflowGateMiddleware

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"request.user.{name} read on a public request")

    gate = WorkflowGateMiddleware(lambda request: None)
    for path in ("/api/v1/lookup/admission", "/search/", "/lookup/", "/"):
        request = rf.get(path)
        request.user = Untouchable()
        request.resolver_match = resolve(path)
        match = request.resolver_match
        assert gate.process_view(request, match.func, match.args, match.kwargs) is None
