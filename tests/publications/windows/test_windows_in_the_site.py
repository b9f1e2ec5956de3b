"""Publication windows as the site applies them: validation, display, take-downs, schedule.

The clock is pinned wherever a boundary matters; the rules themselves are unit-tested in
tests/publications/rules.
"""

import logging
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disclosure.models import CandidateListPage, DisclosurePage, IssuerLevel, NoticePage
from publications import roles
from publications.ledger.models import LedgerEntry
from publications.rules.windows import WindowStatus
from publications.windows import actions, scheduler
from publications.windows.models import HolidayYear
from publications.windows.pages import page_window
from publications.workflow.guard import BypassRefused
from tests.factories import (
    add_disclosure,
    import_sample,
    make_issuer,
    open_window,
    publish_through_workflow,
    workflow_person,
)

pytestmark = pytest.mark.django_db
BJ = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=BJ)


def pinned(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def draft_list(**fields):
    fields.setdefault("title", "2025年加分照顾考生名单")
    return add_disclosure(
        CandidateListPage,
        publish=False,
        list_type="bonus",
        dataset=import_sample("candidate_list_utf8.csv", "candidate_list"),
        **fields,
    )


def republish(page):
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    publish_through_workflow(page, author)
    return type(page).objects.get(pk=page.pk)


# --- the minimum window ------------------------------------------------------------------


def test_a_candidate_list_shorter_than_ten_working_days_cannot_be_saved_for_review():
    page = draft_list(**open_window())
    page.window_opens_at = at(2025, 9, 25)
    page.window_closes_at = at(2025, 10, 14)  # National Day holiday: 9 working days only
    with pytest.raises(ValidationError) as caught:
        page.save_revision()
    assert "最早可于2025年10月15日 00:00（北京时间）结束" in str(caught.value)


def test_a_window_spanning_national_day_with_its_make_up_days_is_accepted_at_the_minimum():
    page = draft_list(**open_window())
    page.window_opens_at = at(2025, 9, 25)
    page.window_closes_at = at(2025, 10, 15)
    page.admission_year = 2025
    page.save_revision()  # no error: 28 Sep (Sun) and 11 Oct (Sat) count as working days


def test_a_candidate_list_needs_a_window():
    page = draft_list(**open_window())
    page.window_closes_at = None
    with pytest.raises(ValidationError, match="必须设定公示开始和结束时间"):
        page.save_revision()


def test_a_year_without_a_holiday_calendar_gives_a_clear_error_until_it_is_entered():
    page = draft_list(**open_window())
    page.window_opens_at = at(2031, 3, 2)
    page.window_closes_at = at(2031, 4, 2)
    with pytest.raises(ValidationError, match="2031年的法定节假日安排尚未录入"):
        page.save_revision()
    HolidayYear.objects.create(year=2031, holidays="2031-01-01\n2031-04-05")
    page.save_revision()


@pytest.mark.parametrize(
    ("holidays", "makeup", "message"),
    [
        ("2031-13-01", "", "不是有效日期"),
        ("2031-01-01", "2031-01-06", "必须是周六或周日"),  # a Monday
        ("2030-12-31", "", "其他年份的日期"),
    ],
)
def test_bad_holiday_calendar_entries_are_refused_in_chinese(holidays, makeup, message):
    year = HolidayYear(year=2031, holidays=holidays, makeup_workdays=makeup)
    with pytest.raises(ValidationError, match=message):
        year.full_clean()
    assert not HolidayYear.objects.exists()


def test_the_admin_form_refuses_a_short_window_with_the_reason(client):
    page = draft_list(**open_window())
    client.force_login(workflow_person("author", roles.EDITOR))
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if k != "body"}
    data.update(
        {
            "window_opens_at": "2025-09-25 00:00",
            "window_closes_at": "2025-10-10 00:00",
            "issuer": page.issuer_id,
            "dataset": page.dataset_id,
            "tags": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200  # the form again, not a redirect
    assert "公示期不得少于10个工作日" in response.content.decode()


# --- once published: extend, never shorten; no early take-down ---------------------------


@pytest.fixture
def on_notice():
    page = draft_list(**open_window())
    return republish(page)


def test_a_published_window_cannot_be_shortened(on_notice):
    on_notice.window_closes_at -= timedelta(days=5)
    on_notice.change_note = "缩短公示期"
    with pytest.raises(ValidationError, match="不得缩短"):
        on_notice.save_revision()


def test_a_published_window_can_be_extended_through_the_workflow_with_a_change_note(on_notice):
    closes = on_notice.window_closes_at
    on_notice.window_closes_at = closes + timedelta(days=5)
    on_notice.change_note = "应异议核查需要，公示期延长5天"
    page = republish(on_notice)
    assert page.window_closes_at == closes + timedelta(days=5)
    assert LedgerEntry.objects.filter(disclosure_id=page.pk).last().event == "corrected"


def test_a_correction_needs_a_change_note(on_notice):
    on_notice.summary = "更正后的摘要"
    with pytest.raises(ValidationError, match="更正说明"):
        on_notice.save_revision()


def test_a_disclosure_cannot_be_taken_down_before_its_window_closes_except_by_withdrawal(
    on_notice,
):
    with pytest.raises(BypassRefused, match="撤回程序"):
        on_notice.unpublish()
    assert DisclosurePage.objects.get(pk=on_notice.pk).live
    assert actions.retire(on_notice, now=timezone.now()) is False


def test_a_withdrawal_is_an_approved_notice_with_its_public_reason(client, on_notice):
    notice = add_disclosure(
        NoticePage,
        title="关于撤回加分名单的公告",
        notice_type="withdrawal",
        target=on_notice,
        reason="经复核，名单中有考生资格认定有误，撤回重新审核。",
    )
    page = DisclosurePage.objects.get(pk=on_notice.pk)
    assert page.withdrawn_at is not None and page.withdrawal_notice_id == notice.pk
    entry = LedgerEntry.objects.filter(disclosure_id=page.pk).last()
    assert entry.event == "withdrawn" and "资格认定有误" in entry.detail["reason"]
    html = client.get(page.url).content.decode()
    assert "已撤下" in html and "资格认定有误" in html
    assert "廖鑫" not in html  # the rows leave the public site


def test_an_unpublished_notice_withdraws_nothing(on_notice):
    notice = add_disclosure(
        NoticePage,
        publish=False,
        title="撤回草稿",
        notice_type="withdrawal",
        target=on_notice,
        reason="理由",
    )
    with pytest.raises(actions.WindowActionRefused):
        actions.withdraw(on_notice, notice, at=timezone.now())
    assert DisclosurePage.objects.get(pk=on_notice.pk).withdrawn_at is None


# --- status at the boundaries, and on the public pages -------------------------------------


def test_status_at_the_exact_second_of_opening_and_closing(on_notice):
    opens, closes = on_notice.window_opens_at, on_notice.window_closes_at
    second = timedelta(seconds=1)
    assert page_window(on_notice, opens - second).status == WindowStatus.SCHEDULED
    assert page_window(on_notice, opens).status == WindowStatus.OPEN
    assert page_window(on_notice, closes - second).status == WindowStatus.OPEN
    assert page_window(on_notice, closes).status == WindowStatus.CLOSED


def test_an_open_list_shows_its_status_countdown_and_the_objection_channels(
    client, demo, on_notice
):
    html = client.get(on_notice.url).content.decode()
    assert "公示中" in html and "距公示结束还有" in html
    assert "对本公示有异议" in html


def test_a_closed_list_stays_visible_as_expired_without_the_objection_box(client, on_notice):
    after = on_notice.window_closes_at + timedelta(hours=1)
    with pinned(after):
        html = client.get(on_notice.url).content.decode()
    assert "公示期满" in html and "廖鑫" in html
    assert "对本公示有异议" not in html


def test_a_page_whose_window_has_not_opened_is_not_found_even_if_live(client, on_notice):
    # As if a scheduler had published too early: the view checks the window itself.
    with pinned(on_notice.window_opens_at - timedelta(minutes=1)):
        assert client.get(on_notice.url).status_code == 404


def test_the_home_page_lists_what_is_on_notice_now_with_a_countdown(client, on_notice):
    html = client.get("/").content.decode()
    assert on_notice.title in html and "还剩" in html
    with pinned(on_notice.window_closes_at):
        assert on_notice.title not in client.get("/").content.decode()


# --- retention ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "last_second", "first_second_after"),
    [
        (IssuerLevel.COUNTY, at(2025, 8, 31, 23, 59, 59), at(2025, 9, 1)),
        (IssuerLevel.SCHOOL, at(2025, 8, 31, 23, 59, 59), at(2025, 9, 1)),
        (IssuerLevel.PROVINCE, at(2025, 12, 31, 23, 59, 59), at(2026, 1, 1)),
    ],
)
def test_retention_ends_on_31_august_or_31_december_by_level(
    level, last_second, first_second_after
):
    issuer = make_issuer(name=f"{level}发布机构", level=level)
    page = draft_list(
        issuer=issuer,
        admission_year=2025,
        window_opens_at=at(2025, 6, 2),
        window_closes_at=at(2025, 6, 20),
    )
    with pinned(at(2025, 6, 2, 8)):
        page = republish(page)
    assert page_window(page, last_second).status == WindowStatus.CLOSED
    assert page_window(page, first_second_after).status == WindowStatus.RETIRED
    assert scheduler.tick(last_second).retired == []
    assert scheduler.tick(first_second_after).retired == [page.pk]
    entry = LedgerEntry.objects.filter(disclosure_id=page.pk).last()
    assert entry.event == "retention_taken_down"
    assert DisclosurePage.objects.get(pk=page.pk).retired_at == first_second_after


def test_a_retired_list_shows_a_tombstone_with_its_hash_and_no_personal_data(client, on_notice):
    due = on_notice.window_closes_at.replace(month=12, day=31) + timedelta(days=2)
    with pinned(due):
        html = client.get(on_notice.url).content.decode()
    assert "保留期已满" in html and "内容哈希" in html
    assert "廖鑫" not in html


# --- the scheduler ------------------------------------------------------------------------


def test_a_scheduler_that_was_down_catches_up_and_logs_the_delay(caplog):
    opens = timezone.now() + timedelta(hours=1)
    page = draft_list(window_opens_at=opens, window_closes_at=opens + timedelta(days=30))
    page = republish_scheduled(page)
    assert not DisclosurePage.objects.get(pk=page.pk).live
    later = opens + timedelta(minutes=30)
    with pinned(later), caplog.at_level(logging.WARNING, logger="publications.scheduler"):
        report = scheduler.tick(later)
    assert report.published == [page.pk]
    assert DisclosurePage.objects.get(pk=page.pk).live
    assert any("late" in message for message in caplog.messages)


def republish_scheduled(page):
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    for name, role in (
        ("wf-reviewer", roles.REVIEWER),
        ("wf-committee1", roles.COMMITTEE),
        ("wf-committee2", roles.COMMITTEE),
    ):
        current = type(page).objects.get(pk=page.pk)
        current.current_workflow_task.on_action(
            current.current_workflow_task_state, workflow_person(name, role), "approve"
        )
    return page


def test_the_scheduler_signs_a_checkpoint_at_least_daily():
    now = timezone.now()
    assert scheduler.tick(now).checkpoint_signed is True
    assert scheduler.tick(now + timedelta(hours=1)).checkpoint_signed is False
    assert scheduler.tick(now + timedelta(days=1, minutes=1)).checkpoint_signed is True
