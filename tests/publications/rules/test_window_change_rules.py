"""The pure rules of an approved window change (no database, the clock passed in)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from publications.rules.windows import (
    DEFAULT_POLICY,
    DisclosureKind,
    IssuerLevel,
    classify_window_change,
    validate_approved_window_change,
)
from publications.rules.workdays import WorkdayCalendar

BJ = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkdayCalendar.from_chinese_calendar()
OPENS, CLOSES = datetime(2026, 6, 1, tzinfo=BJ), datetime(2026, 6, 30, tzinfo=BJ)
REASON = "因异议核查需要，调整公示期安排。"


def check(new_opens, new_closes, *, now, reason=REASON):
    return validate_approved_window_change(
        OPENS, CLOSES, new_opens, new_closes, DisclosureKind.CANDIDATE_LIST,
        IssuerLevel.PROVINCE, CALENDAR, DEFAULT_POLICY, reason=reason, now=now,
    )  # fmt: skip


def test_changes_are_classified_as_extension_shortening_or_rescheduling():
    assert classify_window_change(OPENS, CLOSES, OPENS, CLOSES + timedelta(days=1)) == "extended"
    assert classify_window_change(OPENS, CLOSES, OPENS, CLOSES - timedelta(days=1)) == "shortened"
    later = OPENS + timedelta(days=2)
    assert classify_window_change(OPENS, CLOSES, later, CLOSES) == "rescheduled"


def test_a_scheduled_window_may_be_rescheduled_before_it_opens():
    now = OPENS - timedelta(days=3)
    assert check(OPENS + timedelta(days=2), CLOSES + timedelta(days=2), now=now) == []


def test_a_shortening_to_the_minimum_passes_and_one_day_less_is_refused():
    now = OPENS + timedelta(days=1)
    # 2026-06-01 is a Monday: ten working days end with 2026-06-12 (Dragon Boat Festival 6-19)
    assert check(OPENS, datetime(2026, 6, 13, tzinfo=BJ), now=now) == []
    errors = check(OPENS, datetime(2026, 6, 12, tzinfo=BJ), now=now)
    assert errors and "不得少于10个工作日" in errors[0]


def test_a_closed_window_is_not_reopened_and_the_past_is_not_rewritten():
    assert "已" in check(OPENS, CLOSES + timedelta(days=5), now=CLOSES + timedelta(hours=1))[0]
    now = OPENS + timedelta(days=20)
    assert any("现在或过去" in e for e in check(OPENS, now - timedelta(hours=1), now=now))
    before = OPENS - timedelta(days=1)
    assert any("过去" in e for e in check(before - timedelta(days=1), CLOSES, now=before))


def test_a_change_needs_a_public_reason():
    assert any("变更理由" in e for e in check(OPENS, CLOSES + timedelta(days=1),
                                               now=OPENS, reason="  延长 "))  # fmt: skip
