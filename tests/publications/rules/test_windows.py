"""Publication-window rules, stated as tests. Every datetime is pinned; no clock, no database."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from publications.rules.windows import (
    BEIJING,
    DEFAULT_POLICY,
    DisclosureKind,
    IssuerLevel,
    NaiveDatetimeError,
    WindowPolicy,
    WindowStatus,
    admission_lookup_open,
    countdown,
    default_window,
    may_take_down,
    minimum_close,
    retention_end,
    status_at,
    validate_window,
    validate_window_change,
)
from publications.rules.workdays import WorkdayCalendar

CALENDAR = WorkdayCalendar.from_chinese_calendar()
POLICY = DEFAULT_POLICY
LIST = DisclosureKind.CANDIDATE_LIST
COUNTY = IssuerLevel.COUNTY
SECOND = timedelta(seconds=1)


def bj(year, month, day, hour=0, minute=0, second=0):
    """A moment in Beijing time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


# --- the minimum window -------------------------------------------------------------------

# Opening 00:00 Thu 25 Sep 2025, the 10 working days are: 25, 26, 28 (Sunday, make-up), 29,
# 30 Sep, 9, 10, 11 (Saturday, make-up), 13, 14 Oct. 1–8 Oct are the National Day holiday.
NATIONAL_DAY_OPENING = bj(2025, 9, 25)
NATIONAL_DAY_EARLIEST_CLOSE = bj(2025, 10, 15)


def test_candidate_list_over_national_day_skips_the_holiday_and_counts_make_up_days():
    assert minimum_close(NATIONAL_DAY_OPENING, LIST, COUNTY, CALENDAR, POLICY) == (
        NATIONAL_DAY_EARLIEST_CLOSE
    )


def test_a_make_up_working_saturday_counts_towards_the_window():
    without_make_up_saturday = WorkdayCalendar(
        CALENDAR.holidays, CALENDAR.makeup_workdays - {date(2025, 10, 11)}, CALENDAR.years
    )
    close = minimum_close(NATIONAL_DAY_OPENING, LIST, COUNTY, without_make_up_saturday, POLICY)
    assert close == bj(2025, 10, 16)  # one day later than with the Saturday counted


def test_opening_at_midnight_on_a_workday_counts_that_day():
    assert minimum_close(bj(2025, 10, 13), LIST, COUNTY, CALENDAR, POLICY) == bj(2025, 10, 25)


def test_opening_mid_day_counts_from_the_next_workday():
    close = minimum_close(bj(2025, 9, 25, 9, 30), LIST, COUNTY, CALENDAR, POLICY)
    assert close == bj(2025, 10, 16)


def test_opening_one_second_after_midnight_counts_from_the_next_workday():
    close = minimum_close(NATIONAL_DAY_OPENING + SECOND, LIST, COUNTY, CALENDAR, POLICY)
    assert close == bj(2025, 10, 16)


def test_opening_on_a_holiday_counts_from_the_next_workday():
    # 9, 10, 11 (make-up), 13–17, 20, 21 Oct
    assert minimum_close(bj(2025, 10, 1), LIST, COUNTY, CALENDAR, POLICY) == bj(2025, 10, 22)


def test_days_are_reckoned_in_beijing_time_whatever_the_input_timezone():
    midnight_in_beijing = datetime(2025, 9, 24, 16, 0, tzinfo=UTC)
    midnight_in_utc = datetime(2025, 9, 25, 0, 0, tzinfo=UTC)  # 08:00 in Beijing
    assert minimum_close(midnight_in_beijing, LIST, COUNTY, CALENDAR, POLICY) == (
        NATIONAL_DAY_EARLIEST_CLOSE
    )
    assert minimum_close(midnight_in_utc, LIST, COUNTY, CALENDAR, POLICY) == bj(2025, 10, 16)


@pytest.mark.parametrize("level", list(IssuerLevel))
def test_candidate_lists_need_ten_workdays_at_every_level(level):
    assert POLICY.minimum_workdays_for(LIST, level) == 10


@pytest.mark.parametrize("kind", [k for k in DisclosureKind if k != LIST])
def test_other_kinds_have_no_minimum_unless_configured(kind):
    assert POLICY.minimum_workdays_for(kind, COUNTY) == 0
    assert minimum_close(NATIONAL_DAY_OPENING, kind, COUNTY, CALENDAR, POLICY) == (
        NATIONAL_DAY_OPENING
    )


def test_default_window_runs_from_the_opening_to_the_minimum_close():
    assert default_window(NATIONAL_DAY_OPENING, LIST, COUNTY, CALENDAR, POLICY) == (
        NATIONAL_DAY_OPENING,
        NATIONAL_DAY_EARLIEST_CLOSE,
    )


def test_default_window_has_no_close_for_a_kind_without_minimum():
    opening = NATIONAL_DAY_OPENING
    window = default_window(opening, DisclosureKind.POLICY, IssuerLevel.PROVINCE, CALENDAR, POLICY)
    assert window == (opening, None)


# --- validating a window ------------------------------------------------------------------


def test_a_window_closing_at_the_earliest_allowed_close_is_valid():
    errors = validate_window(
        NATIONAL_DAY_OPENING, NATIONAL_DAY_EARLIEST_CLOSE, LIST, COUNTY, CALENDAR, POLICY
    )
    assert errors == []


def test_a_window_one_second_short_names_the_minimum_and_the_earliest_close():
    errors = validate_window(
        NATIONAL_DAY_OPENING, NATIONAL_DAY_EARLIEST_CLOSE - SECOND, LIST, COUNTY, CALENDAR, POLICY
    )
    assert errors == ["公示期不得少于10个工作日：最早可于2025年10月15日 00:00（北京时间）结束。"]


def test_a_window_must_close_after_it_opens():
    opening = bj(2025, 3, 3)
    errors = validate_window(opening, opening, DisclosureKind.NOTICE, COUNTY, CALENDAR, POLICY)
    assert errors == ["公示结束时间必须晚于开始时间。"]


def test_a_kind_without_minimum_accepts_a_short_window():
    opening = bj(2025, 3, 3, 9)
    closing = opening + timedelta(hours=1)
    assert validate_window(opening, closing, DisclosureKind.NOTICE, COUNTY, CALENDAR, POLICY) == []


def test_validating_a_window_in_an_uncovered_year_reports_the_missing_calendar():
    errors = validate_window(bj(2028, 3, 1), bj(2028, 4, 1), LIST, COUNTY, CALENDAR, POLICY)
    assert errors == [
        "2028年的法定节假日安排尚未录入，无法计算工作日，请先在“节假日日历”中录入该年安排。"
    ]


def test_supplying_the_missing_year_lets_the_window_validate():
    calendar = WorkdayCalendar.from_chinese_calendar({2028: ({date(2028, 1, 3)}, ())})
    # Mon 6 Mar 2028 to Fri 17 Mar: ten plain weekdays.
    assert minimum_close(bj(2028, 3, 6), LIST, COUNTY, calendar, POLICY) == bj(2028, 3, 18)
    assert validate_window(bj(2028, 3, 6), bj(2028, 3, 18), LIST, COUNTY, calendar, POLICY) == []


# --- changing a window --------------------------------------------------------------------

OPENS, CLOSES = NATIONAL_DAY_OPENING, NATIONAL_DAY_EARLIEST_CLOSE
WHILE_OPEN = bj(2025, 10, 9, 10)
BEFORE_OPENING = bj(2025, 9, 20)


def test_before_publication_any_change_is_allowed():
    errors = validate_window_change(
        OPENS,
        CLOSES,
        OPENS + timedelta(days=3),
        CLOSES - timedelta(days=3),
        published=False,
        now=WHILE_OPEN,
    )
    assert errors == []


def test_after_publication_a_window_may_be_extended():
    errors = validate_window_change(
        OPENS, CLOSES, OPENS, CLOSES + timedelta(days=5), published=True, now=WHILE_OPEN
    )
    assert errors == []


def test_after_publication_a_window_may_not_be_shortened():
    errors = validate_window_change(
        OPENS, CLOSES, OPENS, CLOSES - SECOND, published=True, now=WHILE_OPEN
    )
    assert errors == [
        "公示发布后只能延长、不得缩短：结束时间不得早于原定的2025年10月15日 00:00（北京时间）。"
    ]


def test_a_published_window_may_not_be_shortened_even_before_it_opens():
    errors = validate_window_change(
        OPENS, CLOSES, OPENS, CLOSES - timedelta(days=1), published=True, now=BEFORE_OPENING
    )
    assert len(errors) == 1 and "不得缩短" in errors[0]


@pytest.mark.parametrize("moved", [OPENS - timedelta(days=1), OPENS + timedelta(days=1)])
def test_an_opened_window_may_not_move_its_opening(moved):
    errors = validate_window_change(OPENS, CLOSES, moved, CLOSES, published=True, now=WHILE_OPEN)
    assert errors == ["公示已于2025年9月25日 00:00（北京时间）开始，开始时间不得更改。"]


def test_a_window_counts_as_opened_from_the_exact_second_of_opening():
    moved = OPENS + timedelta(hours=1)
    at_opening = validate_window_change(OPENS, CLOSES, moved, CLOSES, published=True, now=OPENS)
    just_before = validate_window_change(
        OPENS, CLOSES, moved, CLOSES, published=True, now=OPENS - SECOND
    )
    assert at_opening and not just_before


def test_a_published_window_not_yet_open_may_move_its_opening_later():
    errors = validate_window_change(
        OPENS,
        CLOSES,
        OPENS + timedelta(days=1),
        CLOSES + timedelta(days=1),
        published=True,
        now=BEFORE_OPENING,
    )
    assert errors == []


def test_a_published_window_may_not_move_its_opening_into_the_past():
    errors = validate_window_change(
        OPENS, CLOSES, BEFORE_OPENING - SECOND, CLOSES, published=True, now=BEFORE_OPENING
    )
    assert errors == ["已发布公示的开始时间不得改到过去的时间。"]


def test_the_same_opening_in_another_timezone_is_not_a_move():
    same_moment = OPENS.astimezone(UTC)
    errors = validate_window_change(
        OPENS, CLOSES, same_moment, CLOSES, published=True, now=WHILE_OPEN
    )
    assert errors == []


def test_shortening_and_moving_an_opened_window_reports_both():
    errors = validate_window_change(
        OPENS, CLOSES, OPENS + SECOND, CLOSES - SECOND, published=True, now=WHILE_OPEN
    )
    assert len(errors) == 2


# --- status -------------------------------------------------------------------------------


def test_the_exact_second_of_opening_is_open():
    assert status_at(OPENS, OPENS, CLOSES) == WindowStatus.OPEN
    assert status_at(OPENS - SECOND, OPENS, CLOSES) == WindowStatus.SCHEDULED


def test_the_exact_second_of_closing_is_closed():
    assert status_at(CLOSES, OPENS, CLOSES) == WindowStatus.CLOSED
    assert status_at(CLOSES - SECOND, OPENS, CLOSES) == WindowStatus.OPEN


def test_a_withdrawal_wins_from_its_exact_second():
    withdrawn = WHILE_OPEN
    assert status_at(withdrawn, OPENS, CLOSES, withdrawn_at=withdrawn) == WindowStatus.WITHDRAWN
    before = status_at(withdrawn - SECOND, OPENS, CLOSES, withdrawn_at=withdrawn)
    assert before == WindowStatus.OPEN


def test_a_withdrawal_wins_over_retirement():
    retired_at = bj(2026, 1, 1)
    status = status_at(
        retired_at, OPENS, CLOSES, withdrawn_at=WHILE_OPEN, retention_ends_at=retired_at
    )
    assert status == WindowStatus.WITHDRAWN


def test_statuses_carry_the_domain_labels():
    labels = {s.value: s.label for s in WindowStatus}
    assert labels == {
        "scheduled": "待公示",
        "open": "公示中",
        "closed": "公示期满",
        "withdrawn": "已撤下",
        "retired": "保留期满",
    }


# --- retention ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "ends_at"),
    [
        (IssuerLevel.COUNTY, bj(2025, 9, 1)),
        (IssuerLevel.SCHOOL, bj(2025, 9, 1)),
        (IssuerLevel.PROVINCE, bj(2026, 1, 1)),
        (IssuerLevel.CITY, bj(2026, 1, 1)),
        (IssuerLevel.UNIVERSITY, bj(2026, 1, 1)),
        (IssuerLevel.PLATFORM, bj(2026, 1, 1)),
    ],
)
def test_retention_runs_to_the_end_of_the_levels_retention_date(level, ends_at):
    assert retention_end(level, 2025, bj(2025, 6, 20), POLICY) == ends_at


def test_county_retention_ends_at_the_exact_second_after_31_august():
    opens, closes = bj(2025, 6, 1), bj(2025, 6, 20)
    ends = retention_end(COUNTY, 2025, closes, POLICY)
    last_second = bj(2025, 8, 31, 23, 59, 59)
    assert status_at(last_second, opens, closes, retention_ends_at=ends) == WindowStatus.CLOSED
    assert status_at(bj(2025, 9, 1), opens, closes, retention_ends_at=ends) == (
        WindowStatus.RETIRED
    )


def test_provincial_retention_ends_at_the_exact_second_after_31_december():
    opens, closes = bj(2025, 6, 1), bj(2025, 6, 20)
    ends = retention_end(IssuerLevel.PROVINCE, 2025, closes, POLICY)
    last_second = bj(2025, 12, 31, 23, 59, 59)
    assert status_at(last_second, opens, closes, retention_ends_at=ends) == WindowStatus.CLOSED
    assert status_at(bj(2026, 1, 1), opens, closes, retention_ends_at=ends) == (
        WindowStatus.RETIRED
    )


def test_a_window_closing_after_the_retention_date_pushes_retention_to_its_close():
    closes = bj(2025, 9, 10, 12)
    assert retention_end(IssuerLevel.SCHOOL, 2025, closes, POLICY) == closes


# --- taking down --------------------------------------------------------------------------


def test_before_the_close_only_a_withdrawal_may_take_a_disclosure_down():
    allowed, reason = may_take_down(CLOSES - SECOND, CLOSES, is_withdrawal=False)
    assert not allowed
    assert (
        reason == "公示期至2025年10月15日 00:00（北京时间）结束，期满前只能通过发布撤回公告撤下。"
    )
    assert may_take_down(CLOSES - SECOND, CLOSES, is_withdrawal=True)[0]


def test_from_the_exact_second_of_closing_a_disclosure_may_be_taken_down():
    assert may_take_down(CLOSES, CLOSES, is_withdrawal=False)[0]


# --- countdown ----------------------------------------------------------------------------


def test_countdown_counts_remaining_time_and_workdays_including_today():
    left = countdown(bj(2025, 9, 30, 12), CLOSES, CALENDAR)
    assert left.remaining == timedelta(days=14, hours=12)
    assert left.workdays == 6  # 30 Sep, 9, 10, 11 (make-up), 13, 14 Oct
    assert not left.is_over


def test_countdown_over_a_holiday_counts_no_workdays_until_work_resumes():
    assert countdown(bj(2025, 10, 3), CLOSES, CALENDAR).workdays == 5


def test_countdown_counts_the_closing_day_when_closing_mid_day():
    assert countdown(bj(2025, 10, 13, 9), bj(2025, 10, 14, 12), CALENDAR).workdays == 2


def test_countdown_is_zero_from_the_exact_second_of_closing():
    left = countdown(CLOSES, CLOSES, CALENDAR)
    assert (left.remaining, left.workdays, left.is_over) == (timedelta(0), 0, True)


# --- admission-results lookup ---------------------------------------------------------------

LOOKUP_OPENS = bj(2025, 7, 20, 9)


def test_admission_lookup_is_open_for_the_default_thirty_days():
    assert admission_lookup_open(LOOKUP_OPENS, LOOKUP_OPENS, POLICY)
    assert admission_lookup_open(LOOKUP_OPENS + timedelta(days=30) - SECOND, LOOKUP_OPENS, POLICY)
    assert not admission_lookup_open(LOOKUP_OPENS + timedelta(days=30), LOOKUP_OPENS, POLICY)
    assert not admission_lookup_open(LOOKUP_OPENS - SECOND, LOOKUP_OPENS, POLICY)


def test_admission_lookup_follows_an_explicit_end():
    policy = WindowPolicy.from_mapping({"admission_lookup_ends_at": "2025-09-01T00:00:00+08:00"})
    assert admission_lookup_open(bj(2025, 8, 31, 23, 59, 59), LOOKUP_OPENS, policy)
    assert not admission_lookup_open(bj(2025, 9, 1), LOOKUP_OPENS, policy)


# --- naive datetimes ----------------------------------------------------------------------

NAIVE = datetime(2025, 9, 25)  # no tzinfo: the point of the tests below


@pytest.mark.parametrize(
    "call",
    [
        lambda: minimum_close(NAIVE, LIST, COUNTY, CALENDAR, POLICY),
        lambda: default_window(NAIVE, DisclosureKind.POLICY, COUNTY, CALENDAR, POLICY),
        lambda: validate_window(OPENS, NAIVE, LIST, COUNTY, CALENDAR, POLICY),
        lambda: validate_window_change(OPENS, CLOSES, OPENS, CLOSES, published=True, now=NAIVE),
        lambda: status_at(NAIVE, OPENS, CLOSES),
        lambda: status_at(WHILE_OPEN, OPENS, CLOSES, withdrawn_at=NAIVE),
        lambda: retention_end(COUNTY, 2025, NAIVE, POLICY),
        lambda: may_take_down(NAIVE, CLOSES, is_withdrawal=False),
        lambda: countdown(NAIVE, CLOSES, CALENDAR),
        lambda: admission_lookup_open(NAIVE, OPENS, POLICY),
        lambda: WindowPolicy.from_mapping({"admission_lookup_ends_at": "2025-09-01T00:00:00"}),
    ],
)
def test_naive_datetimes_are_refused(call):
    with pytest.raises(NaiveDatetimeError, match="must be timezone-aware"):
        call()


# --- policy from settings -----------------------------------------------------------------


def test_an_empty_mapping_gives_the_default_policy():
    assert WindowPolicy.from_mapping({}) == DEFAULT_POLICY


def test_a_minimum_can_be_configured_for_a_kind():
    policy = WindowPolicy.from_mapping({"minimum_workdays": {"quota_plan": 5}})
    assert policy.minimum_workdays_for(DisclosureKind.QUOTA_PLAN, IssuerLevel.PROVINCE) == 5
    assert policy.minimum_workdays_for(LIST, IssuerLevel.PROVINCE) == 10
    # Mon 13 Oct 2025 + 5 working days: 13–17 Oct.
    close = minimum_close(bj(2025, 10, 13), DisclosureKind.QUOTA_PLAN, COUNTY, CALENDAR, policy)
    assert close == bj(2025, 10, 18)


def test_a_minimum_can_be_configured_for_a_kind_and_level():
    policy = WindowPolicy.from_mapping(
        {"minimum_workdays_by_level": {"candidate_list": {"city": 7}}}
    )
    assert policy.minimum_workdays_for(LIST, IssuerLevel.CITY) == 7
    assert policy.minimum_workdays_for(LIST, IssuerLevel.PROVINCE) == 10


def test_lowering_the_kind_default_keeps_the_sourced_county_and_school_minimum():
    policy = WindowPolicy.from_mapping({"minimum_workdays": {"candidate_list": 5}})
    assert policy.minimum_workdays_for(LIST, IssuerLevel.PROVINCE) == 5
    assert policy.minimum_workdays_for(LIST, IssuerLevel.COUNTY) == 10
    assert policy.minimum_workdays_for(LIST, IssuerLevel.SCHOOL) == 10


def test_retention_dates_can_be_overridden_per_level():
    policy = WindowPolicy.from_mapping({"retention": {"city": "08-31", "province": (7, 31)}})
    closes = bj(2025, 6, 20)
    assert retention_end(IssuerLevel.CITY, 2025, closes, policy) == bj(2025, 9, 1)
    assert retention_end(IssuerLevel.PROVINCE, 2025, closes, policy) == bj(2025, 8, 1)
    assert retention_end(IssuerLevel.UNIVERSITY, 2025, closes, policy) == bj(2026, 1, 1)


def test_the_admission_lookup_period_can_be_overridden():
    policy = WindowPolicy.from_mapping({"admission_lookup_days": 45})
    assert admission_lookup_open(LOOKUP_OPENS + timedelta(days=44), LOOKUP_OPENS, policy)
    assert not admission_lookup_open(LOOKUP_OPENS + timedelta(days=45), LOOKUP_OPENS, policy)


def test_the_timezone_can_be_overridden():
    urumqi = ZoneInfo("Asia/Urumqi")  # UTC+6: 00:00 in Beijing is 22:00 the day before
    policy = WindowPolicy.from_mapping({"timezone": "Asia/Urumqi"})
    close = minimum_close(NATIONAL_DAY_OPENING, LIST, COUNTY, CALENDAR, policy)
    assert close == datetime(2025, 10, 15, tzinfo=urumqi)  # counted from 25 Sep, not 24 Sep
    errors = validate_window(NATIONAL_DAY_OPENING, OPENS + SECOND, LIST, COUNTY, CALENDAR, policy)
    assert errors[-1].endswith("最早可于2025年10月15日 00:00（Asia/Urumqi）结束。")


@pytest.mark.parametrize(
    "settings",
    [
        {"minimum_workday": {"quota_plan": 5}},  # misspelt key
        {"minimum_workdays": {"bonus_list": 5}},  # unknown kind
        {"minimum_workdays_by_level": {"candidate_list": {"village": 5}}},  # unknown level
        {"minimum_workdays": {"quota_plan": -1}},
        {"retention": {"city": "02-30"}},
    ],
)
def test_invalid_settings_are_refused(settings):
    with pytest.raises(ValueError):
        WindowPolicy.from_mapping(settings)
