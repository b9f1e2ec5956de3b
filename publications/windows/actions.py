"""State changes of windows: withdrawal and the end of retention. Each is one transaction
with its ledger entry; admin views, commands and the scheduler all call these."""

import logging
from datetime import datetime

from django.db import transaction

from disclosure.models import DisclosurePage, NoticePage, NoticeType
from publications.ledger.record import append_entry, current_version
from publications.signals import disclosure_taken_down

from .pages import retention_ends_at

logger = logging.getLogger(__name__)


class WindowActionRefused(Exception):
    pass


@transaction.atomic
def withdraw(target: DisclosurePage, notice: NoticePage, *, at: datetime) -> None:
    """Take `target` down because its withdrawal notice was approved and published.

    The page stays served as a tombstone (已撤下): what was disclosed, when, its hash and the
    notice's public reason; its rows leave the public site, the API and the search index.
    """
    if notice.notice_type != NoticeType.WITHDRAWAL or notice.target_id != target.pk:
        raise WindowActionRefused("只有针对本公示、经审批发布的撤回公告才能撤下公示。")
    if not notice.live:
        raise WindowActionRefused("撤回公告尚未发布。")
    target = DisclosurePage.objects.select_for_update().get(pk=target.pk)
    if target.withdrawn_at is not None:
        return
    DisclosurePage.objects.filter(pk=target.pk).update(
        withdrawn_at=at, withdrawal_notice_id=notice.pk
    )
    append_entry(
        "withdrawn",
        page=target,
        version=current_version(target.pk),
        detail={"notice_id": notice.pk, "reason": notice.reason, "kind": str(target.kind)},
        at=at,
    )
    target.withdrawn_at = at
    disclosure_taken_down.send(sender=type(target), page=target, event="withdrawn")
    logger.info("Disclosure %s withdrawn by notice %s", target.pk, notice.pk)


@transaction.atomic
def retire(page: DisclosurePage, *, now: datetime) -> bool:
    """At the end of retention the personal data leaves the public; a tombstone remains."""
    page = DisclosurePage.objects.select_for_update().select_related("issuer").get(pk=page.pk)
    due = retention_ends_at(page)
    if page.retired_at is not None or due is None or now < due:
        return False
    DisclosurePage.objects.filter(pk=page.pk).update(retired_at=now)
    late = now - due
    append_entry(
        "retention_taken_down",
        page=page,
        version=current_version(page.pk),
        detail={
            "due": due.isoformat(),
            "late_seconds": int(late.total_seconds()),
            "kind": str(page.kind),
        },
        at=now,
    )
    page.retired_at = now
    disclosure_taken_down.send(sender=type(page), page=page, event="retention_taken_down")
    if late.total_seconds() > 120:
        logger.warning("Retention take-down of disclosure %s ran %s late", page.pk, late)
    return True


def due_for_retirement(now: datetime):
    """Live disclosures not yet retired whose retention has ended (checked per page)."""
    candidates = (
        DisclosurePage.objects.live()
        .filter(retired_at__isnull=True, admission_year__lte=now.year)
        .select_related("issuer")
    )
    for page in candidates.iterator():
        due = retention_ends_at(page)
        if due is not None and due <= now:
            yield page


def on_notice_published(sender, instance, revision, **kwargs):
    """A withdrawal notice, once approved and published, takes its target down."""
    if not isinstance(instance, NoticePage) or instance.notice_type != NoticeType.WITHDRAWAL:
        return
    if instance.target_id is None:
        return
    from django.utils import timezone

    withdraw(instance.target.specific, instance, at=timezone.now())
