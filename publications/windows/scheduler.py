"""One scheduler tick: open what is due, take down what retention ended, sign a daily
checkpoint. Runs every minute (`manage.py run_scheduler`); every public view also checks the
window itself, so a late or missed tick never shows what should be hidden."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.management import call_command
from wagtail.models import Revision

from publications.ledger.models import Checkpoint
from publications.ledger.record import sign_checkpoint_now

from .actions import due_for_retirement, retire

logger = logging.getLogger("publications.scheduler")
LATE_AFTER = timedelta(minutes=2)
CHECKPOINT_EVERY = timedelta(days=1)


@dataclass
class TickReport:
    published: list[int] = field(default_factory=list)
    retired: list[int] = field(default_factory=list)
    checkpoint_signed: bool = False
    late: list[str] = field(default_factory=list)


def tick(now: datetime) -> TickReport:
    report = TickReport()
    due = list(
        Revision.page_revisions.filter(approved_go_live_at__lte=now).values_list(
            "object_id", "approved_go_live_at"
        )
    )
    for object_id, go_live_at in due:
        if now - go_live_at > LATE_AFTER:
            message = f"disclosure {object_id} opened {now - go_live_at} late"
            report.late.append(message)
            logger.warning("Scheduler catching up: %s", message)
    if due:
        call_command("publish_scheduled", verbosity=0)
        report.published = [int(object_id) for object_id, _ in due]
    for page in due_for_retirement(now):
        if retire(page, now=now):
            report.retired.append(page.pk)
    last = Checkpoint.objects.order_by("-time").values_list("time", flat=True).first()
    if last is None or now - last >= CHECKPOINT_EVERY:
        sign_checkpoint_now(now)
        report.checkpoint_signed = True
    return report
