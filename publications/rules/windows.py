"""Publication windows (公示期): minimum length, changes, status, retention.

All datetimes must be timezone-aware; naive ones raise `NaiveDatetimeError`.
Dates are reckoned in the policy's timezone (Beijing time by default).

Working-day rule: a window opening at exactly 00:00 on a working day counts
that day; opening at any later moment (or on a day off) counts from the next
working day. The window must contain N whole working days, so it closes no
earlier than 24:00 of the N-th, i.e. 00:00 of the following day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from publications.rules.workdays import ONE_DAY, DateOutsideCalendar, WorkdayCalendar

BEIJING = ZoneInfo("Asia/Shanghai")


class _Labelled(StrEnum):
    """A string enum whose members carry a Chinese label: `Member = "value", "标签"`."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class DisclosureKind(_Labelled):
    POLICY = "policy", "招生政策"
    QUOTA_PLAN = "quota_plan", "招生计划"
    CANDIDATE_LIST = "candidate_list", "考生资格公示名单"
    ADMISSION_RESULTS = "admission_results", "录取结果"
    NOTICE = "notice", "通知公告"


class IssuerLevel(_Labelled):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    SCHOOL = "school", "学校"
    UNIVERSITY = "university", "高校"
    PLATFORM = "platform", "国家平台"


class WindowStatus(_Labelled):
    SCHEDULED = "scheduled", "待公示"
    OPEN = "open", "公示中"
    CLOSED = "closed", "公示期满"
    WITHDRAWN = "withdrawn", "已撤下"
    RETIRED = "retired", "保留期满"  # only the tombstone remains


class NaiveDatetimeError(ValueError):
    """A datetime without a timezone: its moment is ambiguous, so it is refused."""


def _require_aware(**values: datetime | None) -> None:
    for name, value in values.items():
        if value is not None and value.utcoffset() is None:
            raise NaiveDatetimeError(
                f"{name} must be timezone-aware, got naive {value.isoformat()}; "
                "attach a timezone, e.g. ZoneInfo('Asia/Shanghai')"
            )


@dataclass(frozen=True)
class Countdown:
    """Time left in a window, for display."""

    remaining: timedelta
    workdays: int  # working days on which the window is still open, today included

    @property
    def is_over(self) -> bool:
        return self.remaining <= timedelta(0)


def _default_minimum() -> dict[DisclosureKind, int]:
    return {DisclosureKind.CANDIDATE_LIST: 10}


def _default_minimum_by_level() -> dict[tuple[DisclosureKind, IssuerLevel], int]:
    # The sourced rule: county offices and schools "上报前至少公示10个工作日".
    return {
        (DisclosureKind.CANDIDATE_LIST, IssuerLevel.COUNTY): 10,
        (DisclosureKind.CANDIDATE_LIST, IssuerLevel.SCHOOL): 10,
    }


def _default_retention() -> dict[IssuerLevel, tuple[int, int]]:
    end_of_august, end_of_year = (8, 31), (12, 31)
    return {
        IssuerLevel.PROVINCE: end_of_year,
        IssuerLevel.CITY: end_of_year,  # not named by the rules: see ADR 0002
        IssuerLevel.COUNTY: end_of_august,
        IssuerLevel.SCHOOL: end_of_august,
        IssuerLevel.UNIVERSITY: end_of_year,
        IssuerLevel.PLATFORM: end_of_year,
    }


@dataclass(frozen=True)
class WindowPolicy:
    """Every configurable value of the window rules, with the domain defaults."""

    # Minimum window in working days: per (kind, level), else per kind, else 0.
    minimum_workdays: Mapping[DisclosureKind, int] = field(default_factory=_default_minimum)
    minimum_workdays_by_level: Mapping[tuple[DisclosureKind, IssuerLevel], int] = field(
        default_factory=_default_minimum_by_level
    )
    # Retention runs to the end of this (month, day) of the admission year.
    retention: Mapping[IssuerLevel, tuple[int, int]] = field(default_factory=_default_retention)
    # The admission-results lookup runs this many days after opening, unless an end is set.
    admission_lookup_days: int = 30
    admission_lookup_ends_at: datetime | None = None
    timezone: ZoneInfo = BEIJING

    def __post_init__(self) -> None:
        counts = [*self.minimum_workdays.values(), *self.minimum_workdays_by_level.values()]
        if any(n < 0 for n in counts) or self.admission_lookup_days < 0:
            raise ValueError("day counts must be >= 0")
        missing = set(IssuerLevel) - set(self.retention)
        if missing:
            raise ValueError(f"retention missing for levels: {sorted(missing)}")
        for month, day in self.retention.values():
            date(2001, month, day)  # raises ValueError for an impossible date (and 29 Feb)
        _require_aware(admission_lookup_ends_at=self.admission_lookup_ends_at)

    def minimum_workdays_for(self, kind: DisclosureKind, level: IssuerLevel) -> int:
        fallback = self.minimum_workdays.get(kind, 0)
        return self.minimum_workdays_by_level.get((kind, level), fallback)

    def retention_date(self, level: IssuerLevel, admission_year: int) -> date:
        month, day = self.retention[level]
        return date(admission_year, month, day)

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> WindowPolicy:
        """Defaults overridden by settings; mappings merge key by key. For example:

        {"minimum_workdays": {"quota_plan": 5},
         "minimum_workdays_by_level": {"candidate_list": {"province": 7}},
         "retention": {"city": "08-31"},
         "admission_lookup_days": 45,                 # or "admission_lookup_ends_at": an
         "timezone": "Asia/Shanghai"}                 # aware datetime or ISO string
        """
        unknown = set(settings) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown window policy settings: {sorted(unknown)}")
        base = cls()
        values: dict[str, Any] = {}
        if "minimum_workdays" in settings:
            values["minimum_workdays"] = {
                **base.minimum_workdays,
                **{DisclosureKind(k): int(n) for k, n in settings["minimum_workdays"].items()},
            }
        if "minimum_workdays_by_level" in settings:
            values["minimum_workdays_by_level"] = {
                **base.minimum_workdays_by_level,
                **{
                    (DisclosureKind(kind), IssuerLevel(level)): int(n)
                    for kind, levels in settings["minimum_workdays_by_level"].items()
                    for level, n in levels.items()
                },
            }
        if "retention" in settings:
            values["retention"] = {
                **base.retention,
                **{IssuerLevel(k): _month_day(v) for k, v in settings["retention"].items()},
            }
        if "admission_lookup_days" in settings:
            values["admission_lookup_days"] = int(settings["admission_lookup_days"])
        ends_at = settings.get("admission_lookup_ends_at")
        if ends_at is not None:
            if isinstance(ends_at, str):
                ends_at = datetime.fromisoformat(ends_at)
            values["admission_lookup_ends_at"] = ends_at
        if "timezone" in settings:
            values["timezone"] = ZoneInfo(str(settings["timezone"]))
        return cls(**values)


DEFAULT_POLICY = WindowPolicy()


def minimum_close(
    opens_at: datetime,
    kind: DisclosureKind,
    level: IssuerLevel,
    calendar: WorkdayCalendar,
    policy: WindowPolicy,
) -> datetime:
    """The earliest allowed closing (see the module docstring for the rule)."""
    _require_aware(opens_at=opens_at)
    n = policy.minimum_workdays_for(kind, level)
    if n == 0:
        return opens_at
    local = opens_at.astimezone(policy.timezone)
    day = local.date()
    if local.time() == time(0) and calendar.is_workday(day):
        first = day
    else:
        first = calendar.next_workday(day)
    return _midnight_after(calendar.add_workdays(first, n - 1), policy.timezone)


def default_window(
    opens_at: datetime,
    kind: DisclosureKind,
    level: IssuerLevel,
    calendar: WorkdayCalendar,
    policy: WindowPolicy,
) -> tuple[datetime, datetime | None]:
    """(opens_at, the minimum close); the close is None when the kind has no minimum."""
    if policy.minimum_workdays_for(kind, level) == 0:
        _require_aware(opens_at=opens_at)
        return opens_at, None
    return opens_at, minimum_close(opens_at, kind, level, calendar, policy)


def validate_window(
    opens_at: datetime,
    closes_at: datetime,
    kind: DisclosureKind,
    level: IssuerLevel,
    calendar: WorkdayCalendar,
    policy: WindowPolicy,
) -> list[str]:
    """Chinese error messages; an empty list means the window is valid."""
    _require_aware(opens_at=opens_at, closes_at=closes_at)
    errors = []
    if closes_at <= opens_at:
        errors.append("公示结束时间必须晚于开始时间。")
    n = policy.minimum_workdays_for(kind, level)
    if n:
        try:
            earliest = minimum_close(opens_at, kind, level, calendar, policy)
        except DateOutsideCalendar as missing_year:
            errors.append(str(missing_year))
        else:
            if closes_at < earliest:
                when = _format(earliest, policy.timezone)
                errors.append(f"公示期不得少于{n}个工作日：最早可于{when}结束。")
    return errors


def validate_window_change(
    old_opens: datetime,
    old_closes: datetime,
    new_opens: datetime,
    new_closes: datetime,
    *,
    published: bool,
    now: datetime,
    policy: WindowPolicy = DEFAULT_POLICY,
) -> list[str]:
    """Chinese errors for changing a window; the new window must also pass validate_window.

    Before publication any change is allowed. After it, the window may be
    extended but never shortened, and its opening may neither move once the
    window has opened nor be moved into the past.
    """
    _require_aware(old_opens=old_opens, old_closes=old_closes, now=now)
    _require_aware(new_opens=new_opens, new_closes=new_closes)
    if not published:
        return []
    tz = policy.timezone
    errors = []
    if new_opens != old_opens:
        if now >= old_opens:
            errors.append(f"公示已于{_format(old_opens, tz)}开始，开始时间不得更改。")
        elif new_opens < now:
            errors.append("已发布公示的开始时间不得改到过去的时间。")
    if new_closes < old_closes:
        errors.append(
            f"公示发布后只能延长、不得缩短：结束时间不得早于原定的{_format(old_closes, tz)}。"
        )
    return errors


def retention_end(
    level: IssuerLevel, admission_year: int, closes_at: datetime, policy: WindowPolicy
) -> datetime:
    """End of retention: 00:00 after the level's retention date, or the close if later."""
    _require_aware(closes_at=closes_at)
    tz = policy.timezone
    return max(_midnight_after(policy.retention_date(level, admission_year), tz), closes_at)


def status_at(
    now: datetime,
    opens_at: datetime,
    closes_at: datetime,
    *,
    withdrawn_at: datetime | None = None,
    retention_ends_at: datetime | None = None,
) -> WindowStatus:
    """Windows are half-open: [opens_at, closes_at) is open; a withdrawal wins."""
    _require_aware(now=now, opens_at=opens_at, closes_at=closes_at)
    _require_aware(withdrawn_at=withdrawn_at, retention_ends_at=retention_ends_at)
    if withdrawn_at is not None and withdrawn_at <= now:
        return WindowStatus.WITHDRAWN
    if retention_ends_at is not None and now >= retention_ends_at:
        return WindowStatus.RETIRED
    if now < opens_at:
        return WindowStatus.SCHEDULED
    if now < closes_at:
        return WindowStatus.OPEN
    return WindowStatus.CLOSED


def may_take_down(
    now: datetime,
    closes_at: datetime,
    *,
    is_withdrawal: bool,
    policy: WindowPolicy = DEFAULT_POLICY,
) -> tuple[bool, str]:
    """Before the window closes, only a withdrawal (撤回) may take a disclosure down."""
    _require_aware(now=now, closes_at=closes_at)
    if is_withdrawal:
        return True, "撤回须作为经审批的公告发布，并说明理由。"
    if now >= closes_at:
        return True, "公示期已满，可以撤下。"
    when = _format(closes_at, policy.timezone)
    return False, f"公示期至{when}结束，期满前只能通过发布撤回公告撤下。"


def countdown(
    now: datetime,
    closes_at: datetime,
    calendar: WorkdayCalendar,
    *,
    policy: WindowPolicy = DEFAULT_POLICY,
) -> Countdown:
    """Time and working days left until the close; zero once closed."""
    _require_aware(now=now, closes_at=closes_at)
    if now >= closes_at:
        return Countdown(timedelta(0), 0)
    today = now.astimezone(policy.timezone).date()
    close = closes_at.astimezone(policy.timezone)
    last_day_open = close.date() if close.time() == time(0) else close.date() + ONE_DAY
    return Countdown(closes_at - now, calendar.workdays_between(today, last_day_open))


def admission_lookup_end(opens_at: datetime, policy: WindowPolicy) -> datetime:
    """The policy's explicit end, else opening + admission_lookup_days calendar days."""
    _require_aware(opens_at=opens_at)
    if policy.admission_lookup_ends_at is not None:
        return policy.admission_lookup_ends_at
    return opens_at + timedelta(days=policy.admission_lookup_days)


def admission_lookup_open(now: datetime, opens_at: datetime, policy: WindowPolicy) -> bool:
    """The lookup channel is open in [opens_at, admission_lookup_end)."""
    _require_aware(now=now)
    return opens_at <= now < admission_lookup_end(opens_at, policy)


def _month_day(value: str | tuple[int, int]) -> tuple[int, int]:
    """Parse "08-31" or (8, 31) into (8, 31)."""
    if isinstance(value, str):
        month, day = value.split("-")
        return int(month), int(day)
    month, day = value
    return int(month), int(day)


def _midnight_after(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day + ONE_DAY, time(0), tzinfo=tz)


def _format(moment: datetime, tz: ZoneInfo) -> str:
    zone = "北京时间" if tz.key == "Asia/Shanghai" else tz.key
    local = moment.astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（{zone}）"


# Window changes after publication, as their own approved act (issue 18)

WINDOW_CHANGE_REASON_MIN_CHARS = 10


def classify_window_change(
    old_opens: datetime, old_closes: datetime, new_opens: datetime, new_closes: datetime
) -> str:
    """``extended`` (only the close, later), ``shortened`` (only the close, earlier), else
    ``rescheduled`` (the opening moves)."""
    if new_opens == old_opens and new_closes > old_closes:
        return "extended"
    if new_opens == old_opens and new_closes < old_closes:
        return "shortened"
    return "rescheduled"


def validate_approved_window_change(
    old_opens: datetime,
    old_closes: datetime,
    new_opens: datetime,
    new_closes: datetime,
    kind: DisclosureKind,
    level: IssuerLevel,
    calendar: WorkdayCalendar,
    policy: WindowPolicy,
    *,
    reason: str,
    now: datetime,
) -> list[str]:
    """Chinese errors for a window change of a published disclosure, approved on its own.

    Unlike an edit (``validate_window_change``), an approved change may shorten a window, but
    never below the minimum (``validate_window`` from the opening); nothing moves into the
    past; an opening that has passed stays; a window that has closed is not reopened; the
    change needs a public reason.
    """
    _require_aware(old_opens=old_opens, old_closes=old_closes, now=now)
    _require_aware(new_opens=new_opens, new_closes=new_closes)
    tz = policy.timezone
    errors = []
    if len((reason or "").strip()) < WINDOW_CHANGE_REASON_MIN_CHARS:
        errors.append(f"请填写向公众说明的变更理由（不少于{WINDOW_CHANGE_REASON_MIN_CHARS}个字）。")
    if (new_opens, new_closes) == (old_opens, old_closes):
        errors.append("公示期没有变化。")
        return errors
    if now >= old_closes:
        errors.append(f"公示期已于{_format(old_closes, tz)}结束，不能再变更。")
        return errors
    if new_opens != old_opens:
        if now >= old_opens:
            errors.append(f"公示已于{_format(old_opens, tz)}开始，开始时间不得更改。")
        elif new_opens < now:
            errors.append("开始时间不得改到过去的时间。")
    if new_closes != old_closes and new_closes <= now:
        errors.append("结束时间不得改到现在或过去的时间。")
    errors += validate_window(new_opens, new_closes, kind, level, calendar, policy)
    return errors
