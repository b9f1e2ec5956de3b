"""Working days on the official Chinese holiday calendar, with make-up days (调休).

A calendar only answers for the years it covers. A date in any other year
raises `DateOutsideCalendar`: an unknown year is never treated as Mon–Fri.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)

# Per year: (holidays, make-up working days), as an admin-edited table supplies them.
YearData = tuple[Iterable[date], Iterable[date]]


class DateOutsideCalendar(ValueError):
    """The holiday arrangements for this date's year have not been entered."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未录入，无法计算工作日，请先在“节假日日历”中录入该年安排。"
        )


@dataclass(frozen=True)
class WorkdayCalendar:
    """Working days for the covered years.

    holidays: dates off work (weekday holidays; weekend dates may be listed too).
    makeup_workdays: weekend dates that are working days (调休).
    years: the years this calendar covers; all other years raise.
    """

    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    years: frozenset[int]

    def __post_init__(self) -> None:
        for name in ("holidays", "makeup_workdays", "years"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"既是节假日又是调休工作日：{_dates(both)}")
        weekdays = {d for d in self.makeup_workdays if d.weekday() < 5}
        if weekdays:
            raise ValueError(f"调休工作日必须是周六或周日：{_dates(weekdays)}")
        outside = {d for d in self.holidays | self.makeup_workdays if d.year not in self.years}
        if outside:
            raise ValueError(f"日期不在日历覆盖的年份内：{_dates(outside)}")

    @classmethod
    def from_years(cls, data: Mapping[int, YearData]) -> WorkdayCalendar:
        """A calendar of exactly these years; each year's dates must lie in that year."""
        holidays: set[date] = set()
        makeup: set[date] = set()
        for year, (year_holidays, year_makeup) in data.items():
            year_holidays, year_makeup = set(year_holidays), set(year_makeup)
            strays = {d for d in year_holidays | year_makeup if d.year != year}
            if strays:
                raise ValueError(f"{year}年的安排中含有其他年份的日期：{_dates(strays)}")
            holidays |= year_holidays
            makeup |= year_makeup
        return cls(frozenset(holidays), frozenset(makeup), frozenset(data))

    @classmethod
    def from_chinese_calendar(
        cls, extra_years: Mapping[int, YearData] | None = None
    ) -> WorkdayCalendar:
        """The `chinese_calendar` package's years, plus `extra_years`.

        A year in `extra_years` replaces the package's data for that year entirely.
        """
        from chinese_calendar import constants

        package: dict[int, tuple[set[date], set[date]]] = {}
        for source, slot in ((constants.holidays, 0), (constants.workdays, 1)):
            for d in source:
                package.setdefault(d.year, (set(), set()))[slot].add(d)
        return cls.from_years({**package, **(extra_years or {})})

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, d: date) -> bool:
        if d.year not in self.years:
            raise DateOutsideCalendar(d.year)
        if d in self.makeup_workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def next_workday(self, d: date) -> date:
        """The first working day strictly after `d`."""
        d += ONE_DAY
        while not self.is_workday(d):
            d += ONE_DAY
        return d

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day strictly after `d` (n >= 0; n == 0 returns `d`)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        for _ in range(n):
            d = self.next_workday(d)
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in the half-open range [start, end): start counts, end does not."""
        count, d = 0, start
        while d < end:
            if self.is_workday(d):
                count += 1
            d += ONE_DAY
        return count


def _dates(dates: Iterable[date]) -> str:
    return "、".join(d.isoformat() for d in sorted(dates))


# From this day of the year on (month, day), the next year's arrangement is expected: the
# State Council publishes it in late October or in November.
NEXT_YEAR_EXPECTED_FROM = (11, 1)


def year_awaiting_arrangement(today: date, covered_years: Iterable[int]) -> int | None:
    """The next year, if from 1 November its holiday arrangement is still not entered."""
    if (today.month, today.day) < NEXT_YEAR_EXPECTED_FROM:
        return None
    next_year = today.year + 1
    return None if next_year in set(covered_years) else next_year
