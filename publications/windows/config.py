"""The window policy from settings and the working-day calendar from package + admin."""

from django.conf import settings
from django.core.cache import cache

from publications.rules.windows import WindowPolicy
from publications.rules.workdays import WorkdayCalendar

_CALENDAR_VERSION_KEY = "publications:holiday-calendar-version"
_calendar_cache: dict[int, WorkdayCalendar] = {}
_policy: WindowPolicy | None = None


def policy() -> WindowPolicy:
    global _policy
    if _policy is None:
        _policy = WindowPolicy.from_mapping(getattr(settings, "SUNSHINE_WINDOW_POLICY", {}))
    return _policy


def reset_policy() -> None:
    global _policy
    _policy = None


def calendar() -> WorkdayCalendar:
    """Built once per process and calendar version; editing a year bumps the version."""
    from .models import HolidayYear

    version = cache.get_or_set(_CALENDAR_VERSION_KEY, 1)
    built = _calendar_cache.get(version)
    if built is None:
        extra = {year.year: year.dates() for year in HolidayYear.objects.all()}
        built = WorkdayCalendar.from_chinese_calendar(extra_years=extra)
        _calendar_cache.clear()
        _calendar_cache[version] = built
    return built


def calendar_changed(**kwargs) -> None:
    _calendar_cache.clear()
    try:
        cache.incr(_CALENDAR_VERSION_KEY)
    except ValueError:
        cache.set(_CALENDAR_VERSION_KEY, 2)
