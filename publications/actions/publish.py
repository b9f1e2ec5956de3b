"""Publishing: the single place a disclosure revision goes live."""

from django.db import transaction
from wagtail.models import TaskState, WorkflowState

from publications.workflow.guard import BypassRefused
from publications.workflow.models import ApprovedRevision

NOT_APPROVED = "该版本未经初审和集体审定全部通过，不能发布。"


@transaction.atomic
def publish_approved_revision(revision, user):
    """Record `revision` as approved by its finished workflow run and publish it.

    Refused unless the page's latest workflow run finished approved with every active task
    approved on this very revision. A future `go_live_at` schedules instead of publishing.
    """
    page = revision.content_object
    run = (
        WorkflowState.objects.filter(
            base_content_type_id=revision.base_content_type_id,
            object_id=revision.object_id,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None or run.status != WorkflowState.STATUS_APPROVED:
        raise BypassRefused(NOT_APPROVED)
    required = set(run.workflow.tasks.filter(active=True).values_list("pk", flat=True))
    approved = set(
        TaskState.objects.filter(
            workflow_state=run, revision=revision, status=TaskState.STATUS_APPROVED
        ).values_list("task_id", flat=True)
    )
    if not required or not required <= approved:
        raise BypassRefused(NOT_APPROVED)
    ApprovedRevision.objects.get_or_create(
        revision=revision,
        defaults={"page_id": page.pk, "workflow_state": run, "approved_by": user},
    )
    revision.publish(user=user, skip_permission_checks=True)
