"""Gathers from the database what the pure rules in `policies` need to decide."""

from wagtail.models import Revision, TaskState

from publications.rights import boards

from . import recusal
from .policies import ActFacts


def second_factor_verified(user) -> bool:
    """django-otp's middleware marks the request's user; a user loaded in code is unverified."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def authors_under_review(page, latest_revision) -> frozenset[int]:
    """Everyone who wrote a revision since the page's last approved revision."""
    from .models import ApprovedRevision

    revisions = Revision.page_revisions.filter(object_id=str(page.pk))
    last_approved = (
        ApprovedRevision.objects.filter(page_id=page.pk)
        .values_list("revision_id", flat=True)
        .first()
    )
    if last_approved:
        revisions = revisions.filter(pk__gt=last_approved)
    if latest_revision is not None:
        revisions = revisions.filter(pk__lte=latest_revision.pk)
    return frozenset(uid for uid in revisions.values_list("user_id", flat=True) if uid)


def stages_acted_at(workflow_state, task, user) -> frozenset[str]:
    """Names of the other tasks of this run at which `user` approved or voted."""
    from .models import QuorumVote

    approved = TaskState.objects.filter(
        workflow_state=workflow_state, finished_by=user, status=TaskState.STATUS_APPROVED
    ).exclude(task=task)
    voted = QuorumVote.objects.filter(
        task_state__workflow_state=workflow_state, member=user
    ).exclude(task_state__task=task)
    names = set(approved.values_list("task__name", flat=True))
    names |= set(voted.values_list("task_state__task__name", flat=True))
    return frozenset(names)


def act_facts(task, task_state, user) -> ActFacts:
    from .models import QuorumVote

    workflow_state = task_state.workflow_state
    page = workflow_state.content_object
    latest = page.get_latest_revision()
    issuer = boards.publishing_issuer(page)
    return ActFacts(
        user_id=user.pk,
        stage_name=task.name,
        in_stage_group=task._in_groups(user),
        counts_for_issuer=boards.counts_as_approver(user, page, task.board_stage),
        issuer_name=issuer.name if issuer else "",
        task_in_progress=task_state.status == TaskState.STATUS_IN_PROGRESS,
        second_factor_verified=second_factor_verified(user),
        requires_second_factor=task.requires_second_factor,
        authors=authors_under_review(page, latest),
        submitter_id=workflow_state.requested_by_id,
        owner_id=getattr(page, "owner_id", None),
        acted_at_other_stages=stages_acted_at(workflow_state, task, user),
        already_voted=QuorumVote.objects.filter(task_state=task_state, member=user).exists(),
        recusal_reasons=tuple(recusal.conflicts(user, page, [task_state.revision, latest])),
    )
