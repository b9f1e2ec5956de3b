"""Public counts of objections per disclosure: how many received, how many answered."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Objection, ObjectionStatus


@dataclass(frozen=True)
class ObjectionCounts:
    received: int
    answered: int

    @property
    def pending(self) -> int:
        return self.received - self.answered


def objection_counts(page) -> ObjectionCounts:
    """Counts for `page` (any disclosure page or its id); no personal data, one query."""
    page_id = getattr(page, "pk", page)
    totals = Objection.objects.filter(disclosure_id=page_id).aggregate(
        received=Count("pk"),
        answered=Count(
            "pk", filter=Q(status__in=(ObjectionStatus.ANSWERED, ObjectionStatus.CLOSED))
        ),
    )
    return ObjectionCounts(received=totals["received"], answered=totals["answered"])
