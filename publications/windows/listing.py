"""Querysets by window status, for the home page, the index and the API."""

from datetime import datetime

from django.db.models import QuerySet

from disclosure.listing import not_taken_down, status_q
from disclosure.models import DisclosurePage

__all__ = ["not_taken_down", "on_notice", "status_q"]


def on_notice(now: datetime) -> QuerySet:
    """Live disclosures whose window is open at `now`, closing soonest first."""
    return (
        DisclosurePage.objects.live()
        .public()
        .filter(not_taken_down(), window_opens_at__lte=now, window_closes_at__gt=now)
        .select_related("issuer")
        .order_by("window_closes_at", "pk")
    )
