"""Windows applied to disclosure pages: status, retention, countdown and validation."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from disclosure.models import DisclosurePage
from publications.rules import windows as rules
from publications.rules.workdays import DateOutsideCalendar

from .config import calendar, policy

REQUIRES_WINDOW = {rules.DisclosureKind.CANDIDATE_LIST}

_approved_window_change: ContextVar[bool] = ContextVar("approved_window_change", default=False)


@contextmanager
def approved_window_change():
    """While an approved window change publishes (``actions.approve_window_change``), the edit
    rules (a change note; extend, never shorten) give way to its own, already checked ones."""
    token = _approved_window_change.set(True)
    try:
        yield
    finally:
        _approved_window_change.reset(token)


def level_of(page) -> rules.IssuerLevel:
    return rules.IssuerLevel(page.issuer.level)


def opening_of(page) -> datetime | None:
    return page.window_opens_at or page.go_live_at or page.first_published_at


def retention_ends_at(page) -> datetime | None:
    opens_at = opening_of(page)
    if opens_at is None:
        return None
    return rules.retention_end(
        level_of(page), page.admission_year, page.window_closes_at or opens_at, policy()
    )


@dataclass(frozen=True)
class PageWindow:
    """What the public site shows about a disclosure's window at one moment."""

    status: rules.WindowStatus
    opens_at: datetime | None
    closes_at: datetime | None
    retention_ends_at: datetime | None
    withdrawn_at: datetime | None
    countdown: rules.Countdown | None

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def is_open(self) -> bool:
        return self.status == rules.WindowStatus.OPEN

    @property
    def shows_content(self) -> bool:
        """Open or closed-but-displayed; withdrawn and retired show a tombstone only."""
        return self.status in (rules.WindowStatus.OPEN, rules.WindowStatus.CLOSED)

    @property
    def days_left(self) -> int:
        return self.countdown.remaining.days if self.countdown else 0

    @property
    def hours_left(self) -> int:
        return self.countdown.remaining.seconds // 3600 if self.countdown else 0


def page_window(page: DisclosurePage, now: datetime) -> PageWindow:
    """The window state of a live page at `now`, from its own fields: a late scheduler run
    never changes the answer."""
    opens_at = opening_of(page)
    retained = retention_ends_at(page)
    if page.retired_at and (retained is None or page.retired_at < retained):
        retained = page.retired_at
    if opens_at is None:
        status = rules.WindowStatus.SCHEDULED
    else:
        status = rules.status_at(
            now,
            opens_at,
            page.window_closes_at or retained,
            withdrawn_at=page.withdrawn_at,
            retention_ends_at=retained,
        )
    remaining = None
    if status == rules.WindowStatus.OPEN and page.window_closes_at:
        try:
            remaining = rules.countdown(now, page.window_closes_at, calendar(), policy=policy())
        except DateOutsideCalendar:
            remaining = rules.Countdown(page.window_closes_at - now, 0)
    return PageWindow(
        status, opens_at, page.window_closes_at, retained, page.withdrawn_at, remaining
    )


def is_public(page, now: datetime) -> bool:
    return page.live and page_window(page, now).status in (
        rules.WindowStatus.OPEN,
        rules.WindowStatus.CLOSED,
    )


def validate_page(page) -> dict[str, str]:
    """The window rules for a page being saved (draft or revision): registered into
    `DisclosurePage.clean()`, so the admin form, code and the publish action agree."""
    if not isinstance(page, DisclosurePage) or not page.kind or not page.issuer_id:
        return {}
    kind = rules.DisclosureKind(page.kind)
    opens_at, closes_at = page.window_opens_at, page.window_closes_at
    if kind in REQUIRES_WINDOW and not (opens_at and closes_at):
        field = "window_opens_at" if not opens_at else "window_closes_at"
        return {field: "考生资格名单必须设定公示开始和结束时间。"}
    errors: dict[str, str] = {}
    if opens_at and closes_at:
        problems = rules.validate_window(
            opens_at, closes_at, kind, level_of(page), calendar(), policy()
        )
        if problems:
            errors["window_closes_at"] = "；".join(problems)
    published = None if _approved_window_change.get() else _published_state(page)
    if published is not None:
        old_opens, old_closes, old_note, first_published_at = published
        now = _now()
        if old_closes and not closes_at:
            errors["window_closes_at"] = "已发布的公示不能取消结束时间。"
        elif old_opens and old_closes and opens_at and closes_at:
            changes = rules.validate_window_change(
                old_opens,
                old_closes,
                opens_at,
                closes_at,
                published=True,
                now=now,
                policy=policy(),
            )
            if changes:
                errors["window_closes_at"] = "；".join(changes)
        if first_published_at and not (page.change_note or "").strip():
            errors["change_note"] = (
                "已发布的公示再次发布即为更正：请填写更正说明，向公众说明更改内容与理由。"
            )
        elif first_published_at and (page.change_note or "").strip() == (old_note or "").strip():
            errors["change_note"] = "请填写本次更正的说明（与上次的说明不同）。"
    return errors


def _published_state(page):
    """(opens, closes, change_note, first_published_at) of the live version, if any."""
    if page.pk is None:
        return None
    row = (
        DisclosurePage.objects.filter(pk=page.pk, live=True)
        .values_list("window_opens_at", "window_closes_at", "change_note", "first_published_at")
        .first()
    )
    return row


def _now():
    from django.utils import timezone

    return timezone.now()
