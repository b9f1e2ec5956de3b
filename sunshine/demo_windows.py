"""Demo candidate lists in each window status, with windows computed by the rules.

待公示 (opens in three days), 公示中 (opened today), 公示期满 (closed last month),
已撤下 (withdrawn by an approved notice). Each goes through the real workflow with the
demo accounts; running this again changes nothing.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from disclosure.imports import import_file
from disclosure.models import CandidateListPage, DisclosureIndexPage, NoticePage
from publications.rules import windows as rules
from publications.rules.workdays import DateOutsideCalendar
from publications.windows.config import calendar, policy
from publications.windows.models import HolidayYear

SAMPLES_NOTE = "演示名单：虚构人员，不对应真实考生。"
DEMO_LISTS = (
    ("demo-list-scheduled", "2026年少数民族考生加分名单（待公示）", 3),
    ("demo-list-open", "2026年加分照顾考生名单公示（公示中）", 0),
    ("demo-list-closed", "2026年高校专项计划考生资格名单（公示期满）", -40),
    ("demo-list-withdrawn", "2026年自主就业退役士兵加分名单（已撤下）", 0),
)


def _window(days_from_today: int, level: str) -> tuple[datetime, datetime]:
    tz = policy().timezone
    today = timezone.now().astimezone(tz).date() + timedelta(days=days_from_today)
    opens = datetime.combine(today, time(0), tzinfo=tz)
    try:
        closes = rules.minimum_close(
            opens,
            rules.DisclosureKind.CANDIDATE_LIST,
            rules.IssuerLevel(level),
            calendar(),
            policy(),
        )
    except DateOutsideCalendar as missing:
        # The demo must run in any year: enter a placeholder (weekends only) and say so.
        HolidayYear.objects.get_or_create(
            year=missing.year,
            defaults={"holidays": f"{missing.year}-01-01", "source": "演示占位，非官方安排"},
        )
        return _window(days_from_today, level)
    return opens, closes


def _demo_dataset(name: str):
    from pathlib import Path

    path = Path(__file__).resolve().parent / "demo_data" / name
    with open(path, "rb") as handle:
        return import_file(handle, name, "candidate_list")


def load_window_demo(issuer, approve) -> None:
    """`approve(page)` takes a saved draft through the workflow with the demo accounts."""
    index = DisclosureIndexPage.objects.first()
    editor = get_user_model().objects.get(username="editor")
    for slug, title, days in DEMO_LISTS:
        if CandidateListPage.objects.filter(slug=slug).exists():
            continue
        opens, closes = _window(days, issuer.level)
        page = index.add_child(
            instance=CandidateListPage(
                title=title,
                slug=slug,
                issuer=issuer,
                admission_year=opens.year,
                list_type="bonus",
                summary=SAMPLES_NOTE,
                live=False,
                owner=editor,
                window_opens_at=opens,
                window_closes_at=closes,
                dataset=_demo_dataset("demo_candidate_list.csv"),
            )
        )
        page.save_revision(user=editor)
        approve(page)
        if slug == "demo-list-withdrawn":
            notice = index.add_child(
                instance=NoticePage(
                    title="关于撤回2026年自主就业退役士兵加分名单的公告",
                    slug="demo-withdrawal",
                    issuer=issuer,
                    admission_year=opens.year,
                    notice_type="withdrawal",
                    target=page,
                    live=False,
                    owner=editor,
                    reason="经复核，名单中两名考生的退役证明材料有误，现撤回该名单，核实后重新公示。",
                )
            )
            notice.save_revision(user=editor)
            approve(notice)
