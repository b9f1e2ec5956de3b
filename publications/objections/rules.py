"""When an objection is accepted, and the clock every objection view reads.

`accepts_objections` is the one place that decides whether a disclosure takes objections;
when the windows work adds a page-level status function, swap it in here.
"""

from datetime import datetime

from django.utils import timezone

from publications.rules.windows import WindowStatus
from publications.windows.pages import page_window


def now() -> datetime:
    """The current moment. Views and commands call this, so tests pin the clock here."""
    return timezone.now()


def window_status(page, at: datetime) -> WindowStatus | None:
    """The page's window status at `at` (the site's one rule: publications.windows.pages);
    None when the page has no complete window."""
    if getattr(page, "window_opens_at", None) is None or page.window_closes_at is None:
        return None
    return page_window(page, at).status


def accepts_objections(page, now: datetime) -> bool:
    """Objections are accepted only on a live disclosure whose window is open at `now`."""
    return bool(getattr(page, "live", False)) and window_status(page, now) == WindowStatus.OPEN


def refusal_message(page, at: datetime) -> str:
    """Why `page` takes no objection at `at`, in Chinese, for the public."""
    status = window_status(page, at) if getattr(page, "live", False) else None
    if status == WindowStatus.SCHEDULED:
        return "该公示尚未开始，公示期开始后方可在网上提出异议。"
    if status == WindowStatus.WITHDRAWN:
        return "该公示已撤下，网上异议渠道已关闭。"
    if status in (WindowStatus.CLOSED, WindowStatus.RETIRED):
        return "该公示的公示期已结束，网上异议渠道已关闭。"
    return "该公示当前不在公示期内，不受理网上异议。"
