"""Working days follow the official holiday calendar, with its make-up days (调休)."""

from datetime import date

import pytest

from publications.rules.workdays import DateOutsideCalendar, WorkdayCalendar

CALENDAR = WorkdayCalendar.from_chinese_calendar()

# National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
NATIONAL_DAY_2025 = [date(2025, 10, d) for d in range(1, 9)]


@pytest.mark.parametrize("day", NATIONAL_DAY_2025)
def test_national_day_2025_is_not_a_workday(day):
    assert not CALENDAR.is_workday(day)


@pytest.mark.parametrize("day", [date(2025, 9, 28), date(2025, 10, 11)])
def test_make_up_weekend_days_are_workdays(day):
    assert day.weekday() >= 5
    assert CALENDAR.is_workday(day)


def test_ordinary_weekend_is_off_and_ordinary_weekday_is_worked():
    assert not CALENDAR.is_workday(date(2025, 10, 18))  # Saturday
    assert CALENDAR.is_workday(date(2025, 10, 13))  # Monday


def test_next_workday_is_strictly_after_and_skips_the_holiday():
    assert CALENDAR.next_workday(date(2025, 9, 30)) == date(2025, 10, 9)
    assert CALENDAR.next_workday(date(2025, 10, 13)) == date(2025, 10, 14)


def test_next_workday_lands_on_a_make_up_sunday():
    assert CALENDAR.next_workday(date(2025, 9, 26)) == date(2025, 9, 28)


def test_adding_zero_workdays_returns_the_same_date():
    assert CALENDAR.add_workdays(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_adding_workdays_counts_make_up_days_and_skips_holidays():
    # 28 Sep (Sun, make-up), 29, 30 Sep, 9, 10, 11 Oct (Sat, make-up)
    assert CALENDAR.add_workdays(date(2025, 9, 26), 6) == date(2025, 10, 11)


def test_adding_negative_workdays_is_refused():
    with pytest.raises(ValueError):
        CALENDAR.add_workdays(date(2025, 10, 13), -1)


def test_workdays_between_counts_the_start_but_not_the_end():
    assert CALENDAR.workdays_between(date(2025, 10, 13), date(2025, 10, 14)) == 1
    assert CALENDAR.workdays_between(date(2025, 10, 13), date(2025, 10, 13)) == 0
    # 29, 30 Sep, 9, 10, 11 (make-up Saturday) Oct; 13 Oct is the excluded end.
    assert CALENDAR.workdays_between(date(2025, 9, 29), date(2025, 10, 13)) == 5


def test_a_date_in_an_uncovered_year_raises_with_a_chinese_message():
    with pytest.raises(DateOutsideCalendar) as raised:
        CALENDAR.is_workday(date(2028, 3, 1))
    assert str(raised.value) == (
        "2028年的法定节假日安排尚未录入，无法计算工作日，请先在“节假日日历”中录入该年安排。"
    )
    assert raised.value.year == 2028
    assert isinstance(raised.value, ValueError)


def test_an_uncovered_monday_is_not_assumed_to_be_a_workday():
    with pytest.raises(DateOutsideCalendar):
        CALENDAR.is_workday(date(2027, 1, 4))


def test_counting_across_into_an_uncovered_year_raises():
    with pytest.raises(DateOutsideCalendar):
        CALENDAR.add_workdays(date(2026, 12, 30), 3)


def test_supplying_a_years_data_makes_that_year_work():
    calendar = WorkdayCalendar.from_chinese_calendar(
        {2027: ({date(2027, 1, 1)}, {date(2027, 2, 6)})}
    )
    assert not calendar.is_workday(date(2027, 1, 1))  # Friday, holiday
    assert calendar.is_workday(date(2027, 1, 4))  # Monday
    assert calendar.is_workday(date(2027, 2, 6))  # Saturday, make-up
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.is_workday(date(2025, 9, 28))  # package years still there


def test_extra_year_data_overrides_the_package_for_that_year():
    calendar = WorkdayCalendar.from_chinese_calendar({2025: ((), ())})
    assert calendar.is_workday(date(2025, 10, 1))  # a Wednesday, no longer a holiday
    assert not calendar.is_workday(date(2025, 9, 28))  # a Sunday, no longer worked
    assert not calendar.is_workday(date(2026, 1, 1))  # other years keep the package data


def test_a_make_up_day_must_be_a_weekend_day():
    with pytest.raises(ValueError, match="调休工作日必须是周六或周日"):
        WorkdayCalendar.from_years({2027: ((), {date(2027, 1, 4)})})


def test_a_date_must_lie_in_the_year_it_is_entered_under():
    with pytest.raises(ValueError, match="含有其他年份的日期"):
        WorkdayCalendar.from_years({2027: ({date(2026, 12, 31)}, ())})


def test_a_day_cannot_be_both_holiday_and_make_up_day():
    with pytest.raises(ValueError, match="既是节假日又是调休工作日"):
        WorkdayCalendar.from_years({2027: ({date(2027, 2, 6)}, {date(2027, 2, 6)})})
