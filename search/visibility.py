"""What the public may find, and from when until when: ONE place for the rule.

A disclosure is public while its page is live, not withdrawn, its window has opened, and its
retention has not ended (`publications.rules.windows`). Everything the search service serves
(full-text hits, candidate-list rows, the name check, the admission lookup) is filtered through
`public_interval`, both when it is indexed and again when it is queried, so a late task never
shows what should be hidden. To add a rule (e.g. a per-page `withdrawn_at` from the windows
work, already read here through getattr), change this module only.
"""

from dataclasses import dataclass
from datetime import datetime

from publications.rules.windows import (
    DEFAULT_POLICY,
    IssuerLevel,
    WindowPolicy,
    WindowStatus,
    admission_lookup_end,
    retention_end,
    status_at,
)

PUBLIC_STATUSES = frozenset({WindowStatus.OPEN, WindowStatus.CLOSED})


@dataclass(frozen=True)
class PublicInterval:
    """[starts_at, ends_at): when a disclosure may be found. `closes_at` splits open/closed."""

    starts_at: datetime
    closes_at: datetime
    ends_at: datetime
    withdrawn_at: datetime | None = None
    # Admission results: the personal lookup channel closes earlier than retention.
    lookup_ends_at: datetime | None = None

    def contains(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


def public_interval(page, policy: WindowPolicy = DEFAULT_POLICY) -> PublicInterval | None:
    """None if the page can never be found as it stands (not live, or no known opening)."""
    if not page.live:
        return None
    opens_at = page.window_opens_at or page.go_live_at or page.first_published_at
    if opens_at is None:
        return None
    level = IssuerLevel(page.issuer.level)
    retained_until = retention_end(
        level, page.admission_year, page.window_closes_at or opens_at, policy
    )
    closes_at = page.window_closes_at or retained_until
    withdrawn_at = getattr(page, "withdrawn_at", None)
    ends_at = retained_until if withdrawn_at is None else min(retained_until, withdrawn_at)
    lookup_ends_at = None
    if getattr(page, "kind", "") == "admission_results":
        lookup_ends_at = min(ends_at, admission_lookup_end(opens_at, policy))
    return PublicInterval(opens_at, closes_at, ends_at, withdrawn_at, lookup_ends_at)


def status(page, now: datetime, policy: WindowPolicy = DEFAULT_POLICY) -> WindowStatus | None:
    interval = public_interval(page, policy)
    if interval is None:
        return None
    return status_at(
        now,
        interval.starts_at,
        interval.closes_at,
        withdrawn_at=interval.withdrawn_at,
        retention_ends_at=interval.ends_at,
    )


def is_public(page, now: datetime, policy: WindowPolicy = DEFAULT_POLICY) -> bool:
    """Whether the public may find `page` at `now`: live, in its window or retention, not
    withdrawn. `now` is always passed in (views use django.utils.timezone.now())."""
    return status(page, now, policy) in PUBLIC_STATUSES


def is_indexable(page, now: datetime, policy: WindowPolicy = DEFAULT_POLICY) -> bool:
    """Whether `page` belongs in the index at `now`: public now, or scheduled to become so.

    Indexed items carry their interval, and every query filters by it; so a scheduled page is
    found from the moment its window opens, without waiting for a task."""
    return status(page, now, policy) in PUBLIC_STATUSES | {WindowStatus.SCHEDULED}
