"""The holiday calendar of the coming year (issue 18, point 5).

Windows are measured in working days, and a year without its official arrangement cannot be
counted (``DateOutsideCalendar``). From 1 November, ``manage.py check`` warns when the next
year's arrangement is neither in the ``chinesecalendar`` package nor entered in the admin
(节假日日历), and the admin dashboard lists the disclosures whose windows fall in a year the
calendar does not cover: their windows cannot be validated until the year is entered.

The clock is passed in (``now``); Django calls the check without it, and it reads the time then.
"""

from datetime import date, datetime

from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.admin.ui.components import Component

from publications.rules.workdays import year_awaiting_arrangement

CHECK_ID = "publications.W018"


def covered_years() -> frozenset[int]:
    from .config import calendar

    return calendar().years


def windows_outside_calendar(years_covered, *, limit: int = 50) -> list:
    """Disclosures (not withdrawn, not retired) with a window date in an uncovered year.

    Years are read in Beijing time, as the working-day rules count them.
    """
    from disclosure.models import DisclosurePage

    if not years_covered:
        return []
    first, last = min(years_covered), max(years_covered)
    beyond = Q(window_opens_at__year__gt=last) | Q(window_closes_at__year__gt=last)
    before = Q(window_opens_at__year__lt=first) | Q(window_closes_at__year__lt=first)
    pages = (
        DisclosurePage.objects.filter(beyond | before)
        .filter(withdrawn_at__isnull=True, retired_at__isnull=True)
        .order_by("window_opens_at", "pk")
    )
    found = []
    for page in pages[: limit * 4]:
        years = {
            timezone.localtime(moment).year
            for moment in (page.window_opens_at, page.window_closes_at)
            if moment is not None
        }
        missing = sorted(year for year in years if year not in years_covered)
        if missing:
            found.append((page, missing))
        if len(found) == limit:
            break
    return found


def next_year_calendar(app_configs=None, *, now: datetime | None = None, **kwargs) -> list:
    """The system check: a warning naming the year and the windows waiting for it."""
    today: date = timezone.localdate(now or timezone.now())
    try:
        years = covered_years()
        missing = year_awaiting_arrangement(today, years)
        if missing is None:
            return []
        waiting = windows_outside_calendar(years)
    except DatabaseError:  # not migrated yet: `migrate` runs the checks again afterwards
        return []
    titles = "、".join(f"《{page.title}》" for page, _ in waiting[:5])
    hint = (
        f"在后台“节假日日历”中录入 {missing} 年的放假和调休安排（国务院办公厅通知），"
        f"或升级 chinesecalendar 包。"
    )
    if waiting:
        hint += f" 在此之前无法校验这些公示的公示期：{titles}" + (
            f" 等 {len(waiting)} 项" if len(waiting) > 5 else ""
        )
    return [
        CheckWarning(
            f"{missing}年的法定节假日安排尚未录入 / the official holiday arrangement of "
            f"{missing} is not entered yet: windows in {missing} cannot be counted in working "
            "days",
            hint=hint,
            id=CHECK_ID,
        )
    ]


class CalendarPanel(Component):
    """Dashboard panel: the year awaiting its arrangement and the windows it blocks."""

    name = "holiday_calendar"
    order = 90

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now

    def render_html(self, parent_context=None) -> str:
        today = timezone.localdate(self.now or timezone.now())
        years = covered_years()
        missing = year_awaiting_arrangement(today, years)
        waiting = windows_outside_calendar(years)
        if missing is None and not waiting:
            return ""
        lines = []
        if missing is not None:
            lines.append(
                format_html(
                    "<p><strong>{}年的法定节假日安排尚未录入。</strong>"
                    "请在“节假日日历”中录入，否则该年的公示期无法按工作日校验。</p>",
                    missing,
                )
            )
        if waiting:
            items = format_html_join(
                "",
                "<li>{}（公示期涉及 {} 年）</li>",
                (
                    (page.title, "、".join(str(year) for year in years_missing))
                    for page, years_missing in waiting
                ),
            )
            lines.append(
                format_html(
                    "<p>以下公示的公示期所在年份尚无节假日安排，录入前无法校验：</p><ul>{}</ul>",
                    items,
                )
            )
        return format_html(
            '<section class="panel summary nice-padding" aria-labelledby="holiday-calendar-h">'
            '<h2 id="holiday-calendar-h">节假日日历</h2>{}</section>',
            format_html_join("", "{}", ((line,) for line in lines)),
        )
