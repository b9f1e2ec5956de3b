"""State changes of windows: withdrawal and the end of retention. Each is one transaction
with its ledger entry; admin views, commands and the scheduler all call these."""

import logging
from datetime import datetime

from django.db import transaction

from disclosure.models import DisclosurePage, NoticePage, NoticeType
from publications import roles
from publications.ledger.record import append_entry, current_version
from publications.signals import disclosure_taken_down

from .pages import approved_window_change, retention_ends_at

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


# Window changes: requested by one person with a public reason, approved by another


WINDOW_CHANGE_DECIDERS = (roles.REVIEWER, roles.COMMITTEE)


def _window_rules(page, opens_at, closes_at, reason, now):
    from publications.rules import windows as rules

    from .config import calendar, policy
    from .pages import level_of

    return rules.validate_approved_window_change(
        page.window_opens_at,
        page.window_closes_at,
        opens_at,
        closes_at,
        rules.DisclosureKind(page.kind),
        level_of(page),
        calendar(),
        policy(),
        reason=reason,
        now=now,
    )


@transaction.atomic
def request_window_change(page, *, user, opens_at: datetime, closes_at: datetime, reason: str,
                          now: datetime):  # fmt: skip
    """Ask for a window change of a published disclosure; nothing public changes yet.

    Refused (WindowActionRefused, Chinese message, nothing stored) for a disclosure that is not
    published, withdrawn or retired, one with a change already waiting, or a change the rules
    refuse (publications.rules.windows.validate_approved_window_change).
    """
    from publications.rules import windows as rules

    from .models import WindowChange

    page = DisclosurePage.objects.select_for_update().get(pk=page.pk).specific
    if not page.live or page.withdrawn_at or page.retired_at:
        raise WindowActionRefused("只有已发布且未撤下的公示才能变更公示期。")
    if not (page.window_opens_at and page.window_closes_at):
        raise WindowActionRefused("该公示没有设定公示期。")
    if WindowChange.objects.filter(page=page, status=WindowChange.Status.PENDING).exists():
        raise WindowActionRefused("该公示已有一项待审批的公示期变更。")
    errors = _window_rules(page, opens_at, closes_at, reason, now)
    if errors:
        raise WindowActionRefused("；".join(errors))
    return WindowChange.objects.create(
        page=page,
        kind=rules.classify_window_change(
            page.window_opens_at, page.window_closes_at, opens_at, closes_at
        ),
        old_opens_at=page.window_opens_at,
        old_closes_at=page.window_closes_at,
        new_opens_at=opens_at,
        new_closes_at=closes_at,
        reason=reason.strip(),
        requested_by=user,
        requested_at=now,
    )


def _decides_for_the_publishing_issuer(user, page) -> bool:
    """As for the review itself (ADR 0015): only the publishing issuer's own members count,
    and where its board names reviewers or a committee, only those named."""
    from publications.rights import boards

    return any(boards.counts_as_approver(user, page, stage) for stage in ("review", "committee"))


def _decider_refusal(change, user) -> str | None:
    if user.pk == change.requested_by_id:
        return "申请人不能审批自己提出的公示期变更：须由另一人审批。"
    if not user.groups.filter(name__in=WINDOW_CHANGE_DECIDERS).exists():
        return "只有初审人员或集体审定委员可以审批公示期变更。"
    if not _decides_for_the_publishing_issuer(user, change.page):
        return "只有发布该公示的机构本机构的初审人员或集体审定委员可以审批其公示期变更。"
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and not is_verified():
        return "审批前请先完成二次验证。"
    return None


@transaction.atomic
def approve_window_change(change, *, user, now: datetime, comment: str = ""):
    """Approve: the page gets a new revision with the new window, published at once, recorded
    as ``window_changed`` (its content hash, the reason, who asked and who approved)."""
    from publications.ledger.record import ledger_context
    from publications.workflow.models import ApprovedRevision

    from .models import WindowChange

    change = WindowChange.objects.select_for_update().get(pk=change.pk)
    if change.status != WindowChange.Status.PENDING:
        raise WindowActionRefused("该公示期变更已审批过。")
    refusal = _decider_refusal(change, user)
    if refusal:
        raise WindowActionRefused(refusal)
    page = DisclosurePage.objects.select_for_update().get(pk=change.page_id).specific
    if (page.window_opens_at, page.window_closes_at) != (change.old_opens_at, change.old_closes_at):
        raise WindowActionRefused("公示期在申请后已有变化，请重新申请。")
    if not page.live or page.withdrawn_at or page.retired_at:
        raise WindowActionRefused("只有已发布且未撤下的公示才能变更公示期。")
    errors = _window_rules(page, change.new_opens_at, change.new_closes_at, change.reason, now)
    if errors:
        raise WindowActionRefused("；".join(errors))
    # The page row holds the live content (drafts live in revisions): the new revision is the
    # live version with only its window changed.
    live = page
    live.window_opens_at, live.window_closes_at = change.new_opens_at, change.new_closes_at
    live.go_live_at = None  # already live: publish now, the window governs what is shown
    revision = live.save_revision(user=change.requested_by, clean=False, log_action=False)
    ApprovedRevision.objects.create(page_id=live.pk, revision=revision, approved_by=user)
    with (
        approved_window_change(),
        ledger_context(
            event="window_changed",
            reason=change.reason,
            change=change.kind,
            window_change_id=change.pk,
            old_window_opens_at=change.old_opens_at.isoformat(),
            old_window_closes_at=change.old_closes_at.isoformat(),
        ),
    ):
        revision.publish(user=user, skip_permission_checks=True, log_action=False)
    from publications.ledger.models import LedgerEntry

    entry = LedgerEntry.objects.filter(disclosure_id=live.pk).order_by("-seq").first()
    WindowChange.objects.filter(pk=change.pk).update(
        status=WindowChange.Status.APPROVED,
        decided_by=user,
        decided_at=now,
        decision_comment=comment,
        ledger_seq=entry.seq,
    )
    change.refresh_from_db()
    logger.info(
        "Window of disclosure %s changed (%s) by request %s", live.pk, change.kind, change.pk
    )
    return change


@transaction.atomic
def reject_window_change(change, *, user, now: datetime, comment: str):
    from .models import WindowChange

    change = WindowChange.objects.select_for_update().get(pk=change.pk)
    if change.status != WindowChange.Status.PENDING:
        raise WindowActionRefused("该公示期变更已审批过。")
    refusal = _decider_refusal(change, user)
    if refusal:
        raise WindowActionRefused(refusal)
    if not (comment or "").strip():
        raise WindowActionRefused("驳回时请填写理由。")
    WindowChange.objects.filter(pk=change.pk).update(
        status=WindowChange.Status.REJECTED, decided_by=user, decided_at=now,
        decision_comment=comment.strip(),
    )  # fmt: skip
    change.refresh_from_db()
    return change
