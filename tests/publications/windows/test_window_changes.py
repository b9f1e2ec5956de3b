"""Window changes as their own approved act (issue 18, point 3): extending, shortening (never
below the minimum) or rescheduling a published window is asked by one person with a public
reason and approved by another; only then the window changes, with a `window_changed` ledger
entry and a feed item (`change: "window_change"`).

Bad inputs tried: the requester approving their own request; an editor approving; a reason too
short; a shortening below the minimum of working days; a close moved into the past; an opening
moved after the window opened; no change at all; a second request while one waits; a request
approved twice; a rejection without a reason."""

import io
import json
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from publications import roles
from publications.ledger.models import LedgerEntry
from publications.windows.actions import (
    WindowActionRefused,
    approve_window_change,
    reject_window_change,
    request_window_change,
)
from publications.windows.models import WindowChange
from tests.factories import join, open_window, workflow_person
from tests.publications.opendata.conftest import generous_rate_limit, publish_list  # noqa: F401

pytestmark = pytest.mark.django_db

REASON = "因部分考生提出异议，延长公示期以便核查处理。"


@pytest.fixture
def people():
    return {
        "editor": workflow_person("wc-editor", roles.EDITOR),
        "reviewer": workflow_person("wc-reviewer", roles.REVIEWER),
        "other_editor": workflow_person("wc-editor2", roles.EDITOR),
    }


@pytest.fixture
def page():
    now = timezone.now()
    return publish_list(**open_window(now, opened_days_ago=1, days=40))


def ask(page, person, *, opens=None, closes=None, reason=REASON, now=None):
    return request_window_change(
        page, user=person, opens_at=opens or page.window_opens_at,
        closes_at=closes or page.window_closes_at, reason=reason, now=now or timezone.now(),
    )  # fmt: skip


def verify() -> str:
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    return out.getvalue()


def test_an_approved_extension_changes_the_window_with_a_ledger_entry_and_a_feed_item(
    page, people, client
):
    new_close = page.window_closes_at + timedelta(days=7)
    change = ask(page, people["editor"], closes=new_close)
    assert change.kind == "extended"
    page.refresh_from_db()
    assert page.window_closes_at != new_close  # nothing public changes before the approval
    entries = LedgerEntry.objects.count()

    approved = approve_window_change(change, user=people["reviewer"], now=timezone.now())
    page.refresh_from_db()
    assert page.window_closes_at == new_close
    assert LedgerEntry.objects.count() == entries + 1
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry.event == "window_changed" and entry.seq == approved.ledger_seq
    assert entry.disclosure_id == page.pk and entry.version == 1
    assert entry.detail["reason"] == REASON and entry.detail["change"] == "extended"
    assert "ledger verified" in verify()  # the live page hashes to the window change's entry

    feed = json.loads(client.get("/feed.json").content)
    item = feed["items"][0]
    assert item["_sunshine"]["change"] == "window_change"
    assert item["_sunshine"]["reason"] == REASON
    assert item["_sunshine"]["ledger_seq"] == entry.seq
    assert item["_sunshine"]["window_closes_at"].startswith(
        new_close.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    )
    assert "公示期变更" in item["title"]


def test_a_shortening_is_allowed_down_to_the_minimum_and_refused_below(page, people):
    with pytest.raises(WindowActionRefused, match="不得少于"):
        ask(page, people["editor"], closes=page.window_opens_at + timedelta(days=3))
    assert not WindowChange.objects.exists()
    shorter = page.window_opens_at + timedelta(days=25)
    change = ask(page, people["editor"], closes=shorter)
    assert change.kind == "shortened"
    approve_window_change(change, user=people["reviewer"], now=timezone.now())
    page.refresh_from_db()
    assert page.window_closes_at == shorter


def test_the_requester_cannot_approve_their_own_change(page, people):
    reviewer = people["reviewer"]
    change = ask(page, reviewer, closes=page.window_closes_at + timedelta(days=3))
    with pytest.raises(WindowActionRefused, match="另一人审批"):
        approve_window_change(change, user=reviewer, now=timezone.now())
    change.refresh_from_db()
    assert change.status == "pending"
    assert not LedgerEntry.objects.filter(event="window_changed").exists()


def test_an_editor_cannot_approve_a_window_change(page, people):
    change = ask(page, people["editor"], closes=page.window_closes_at + timedelta(days=3))
    with pytest.raises(WindowActionRefused, match="初审人员或集体审定委员"):
        approve_window_change(change, user=people["other_editor"], now=timezone.now())


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "延长"}, "变更理由"),
        ({}, "公示期没有变化"),
        ({"closes": "past"}, "现在或过去"),
        ({"opens": "later"}, "开始时间不得更改"),
    ],
)
def test_bad_window_changes_are_refused_and_store_nothing(page, people, changes, message):
    kwargs = dict(changes)
    if kwargs.get("closes") == "past":
        kwargs["closes"] = timezone.now() - timedelta(hours=1)
    if kwargs.get("opens") == "later":
        kwargs["opens"] = page.window_opens_at + timedelta(hours=2)
    with pytest.raises(WindowActionRefused, match=message):
        ask(page, people["editor"], **kwargs)
    assert not WindowChange.objects.exists()


def test_moving_the_opening_of_an_open_window_is_refused_as_a_rescheduling(page, people):
    with pytest.raises(WindowActionRefused, match="开始时间不得更改"):
        ask(
            page, people["editor"], opens=page.window_opens_at - timedelta(hours=1),
            closes=page.window_closes_at + timedelta(days=2),
        )  # fmt: skip
    assert not WindowChange.objects.exists()


def test_one_request_at_a_time_and_each_is_decided_once(page, people):
    change = ask(page, people["editor"], closes=page.window_closes_at + timedelta(days=3))
    with pytest.raises(WindowActionRefused, match="待审批"):
        ask(page, people["editor"], closes=page.window_closes_at + timedelta(days=4))
    with pytest.raises(WindowActionRefused, match="理由"):
        reject_window_change(change, user=people["reviewer"], now=timezone.now(), comment=" ")
    reject_window_change(change, user=people["reviewer"], now=timezone.now(), comment="无需延长")
    with pytest.raises(WindowActionRefused, match="已审批过"):
        approve_window_change(change, user=people["reviewer"], now=timezone.now())
    assert not LedgerEntry.objects.filter(event="window_changed").exists()


# Through the admin, as people use it


def test_through_the_admin_one_person_asks_and_another_approves(page, client):
    from tests.publications.workflow.conftest import login_verified, make_user

    editor = join(make_user("wc-admin-editor", roles.EDITOR), page.issuer)
    reviewer = join(make_user("wc-admin-reviewer", roles.REVIEWER), page.issuer)
    new_close = timezone.localtime(page.window_closes_at + timedelta(days=5))
    login_verified(client, editor)
    response = client.post(
        f"/admin/window-changes/new/{page.pk}/",
        {
            "opens_at": timezone.localtime(page.window_opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
            "closes_at": new_close.strftime("%Y-%m-%dT%H:%M:%S"),
            "reason": REASON,
        },
    )
    body = response.content.decode()
    assert response.status_code == 302, body[body.find("<form") :][:1500]
    change = WindowChange.objects.get()
    # the requester's own approval is refused with a message, nothing changes
    response = client.post("/admin/window-changes/", {"change": change.pk, "decision": "approve"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "pending"
    login_verified(client, reviewer)
    listing = client.get("/admin/window-changes/").content.decode()
    assert REASON in listing
    client.post("/admin/window-changes/", {"change": change.pk, "decision": "approve"})
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == reviewer
    assert LedgerEntry.objects.order_by("-seq").first().event == "window_changed"


def test_a_refused_request_in_the_admin_says_why_and_stores_nothing(page, client):
    from tests.publications.workflow.conftest import login_verified, make_user

    login_verified(client, join(make_user("wc-admin-editor2", roles.EDITOR), page.issuer))
    too_short = timezone.localtime(page.window_opens_at + timedelta(days=2))
    response = client.post(
        f"/admin/window-changes/new/{page.pk}/",
        {
            "opens_at": timezone.localtime(page.window_opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
            "closes_at": too_short.strftime("%Y-%m-%dT%H:%M:%S"),
            "reason": REASON,
        },
    )
    assert response.status_code == 200
    assert "不得少于" in response.content.decode()
    assert not WindowChange.objects.exists()


def test_a_window_change_for_an_id_past_the_id_column_is_not_found(client):
    from tests.publications.workflow.conftest import login_verified, make_user

    login_verified(client, make_user("wc-admin-editor3", roles.EDITOR))
    for page_id in ("9999999999999999999999999", "2147483648"):
        assert client.get(f"/admin/window-changes/new/{page_id}/").status_code == 404
