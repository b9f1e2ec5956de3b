"""The next year's holiday calendar: from 1 November `manage.py check` warns until it is
entered, and the admin lists the disclosures whose windows it blocks (issue 18, point 5).

The clock is pinned: the check takes `now`. chinesecalendar 1.11.0 covers 2004-2026."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model

from disclosure.models import PolicyPage
from publications.rules.workdays import year_awaiting_arrangement
from publications.windows.calendar_check import (
    CHECK_ID,
    CalendarPanel,
    next_year_calendar,
    windows_outside_calendar,
)
from publications.windows.models import HolidayYear
from tests.factories import add_disclosure

PACKAGE_YEARS = range(2004, 2027)


def beijing(year, month, day, hour=12):
    return datetime(year, month, day, hour - 8, tzinfo=UTC)


# The pure rule


def test_before_the_first_of_november_nothing_is_expected_yet():
    assert year_awaiting_arrangement(date(2026, 10, 31), PACKAGE_YEARS) is None


def test_from_the_first_of_november_the_next_year_is_expected():
    assert year_awaiting_arrangement(date(2026, 11, 1), PACKAGE_YEARS) == 2027
    assert year_awaiting_arrangement(date(2026, 12, 31), PACKAGE_YEARS) == 2027


def test_an_entered_next_year_is_not_awaited():
    assert year_awaiting_arrangement(date(2026, 11, 20), [*PACKAGE_YEARS, 2027]) is None


# The system check, on the database


@pytest.mark.django_db
def test_the_check_is_quiet_on_the_last_day_of_october():
    assert next_year_calendar(now=beijing(2026, 10, 31, 23)) == []


@pytest.mark.django_db
def test_the_check_warns_from_the_first_of_november_beijing_time():
    # 2026-10-31 16:00 UTC is already 1 November in Beijing
    warnings = next_year_calendar(now=datetime(2026, 10, 31, 16, 0, tzinfo=UTC))
    assert [w.id for w in warnings] == [CHECK_ID]
    assert "2027" in warnings[0].msg
    assert "节假日日历" in warnings[0].hint


@pytest.mark.django_db
def test_entering_the_next_year_in_the_admin_silences_the_check():
    HolidayYear.objects.create(year=2027, holidays="2027-01-01", source="国办发明电〔2026〕X号")
    assert next_year_calendar(now=beijing(2026, 12, 4)) == []


@pytest.mark.django_db
def test_the_warning_names_the_disclosures_whose_windows_wait_for_the_year():
    page = add_disclosure(PolicyPage, title="2027年体育特长生招生办法", publish=False)
    PolicyPage.objects.filter(pk=page.pk).update(
        window_opens_at=beijing(2027, 3, 1), window_closes_at=beijing(2027, 3, 20)
    )
    inside = add_disclosure(PolicyPage, title="2026年招生办法", publish=False)
    PolicyPage.objects.filter(pk=inside.pk).update(
        window_opens_at=beijing(2026, 3, 1), window_closes_at=beijing(2026, 3, 20)
    )
    warnings = next_year_calendar(now=beijing(2026, 12, 4))
    assert "《2027年体育特长生招生办法》" in warnings[0].hint
    assert "2026年招生办法》" not in warnings[0].hint
    waiting = windows_outside_calendar(frozenset(PACKAGE_YEARS))
    assert [(p.pk, years) for p, years in waiting] == [(page.pk, [2027])]


@pytest.mark.django_db
def test_the_dashboard_panel_lists_the_blocked_windows_escaped(client):
    page = add_disclosure(PolicyPage, title="<script>x</script>2027年办法", publish=False)
    PolicyPage.objects.filter(pk=page.pk).update(
        window_opens_at=beijing(2027, 3, 1), window_closes_at=beijing(2027, 3, 20)
    )
    html = CalendarPanel(now=beijing(2026, 12, 4)).render_html({})
    assert "2027年的法定节假日安排尚未录入" in html
    assert "&lt;script&gt;x&lt;/script&gt;2027年办法（公示期涉及 2027 年）" in html
    assert "<script>" not in html
    admin = get_user_model().objects.create_superuser("calendar-admin", password="pw-123456789")
    client.force_login(admin)
    dashboard = client.get("/admin/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;2027年办法" in dashboard


@pytest.mark.django_db
def test_the_panel_says_nothing_when_the_calendar_covers_every_window():
    HolidayYear.objects.create(year=2027, holidays="2027-01-01")
    assert CalendarPanel(now=beijing(2026, 12, 4)).render_html({}) == ""


def test_test_settings_silence_the_wall_clock_check_and_say_why(settings):
    assert CHECK_ID in settings.SILENCED_SYSTEM_CHECKS
