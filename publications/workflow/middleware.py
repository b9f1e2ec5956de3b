"""Refuse, with the reason in Chinese, admin requests that would skip the review rules.

Wagtail answers a refused workflow action or publish with a generic "no permission"; this
middleware looks at the admin views that change what the public sees, before they run, and
explains the refusal instead. The rules themselves live in `policies` and `guard`; the same
rules hold without this middleware (the task's `on_action`, the permission tester and the
pre-save guard), it only makes the refusal readable.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.models import Page, TaskState

from disclosure.models import DisclosurePage

from . import guard
from .models import GuardedApprovalTask

WORKFLOW_ACTION_VIEWS = {
    "wagtailadmin_pages:workflow_action",
    "wagtailadmin_pages:collect_workflow_action_data",
}
EDIT_VIEWS = {"wagtailadmin_pages:edit", "wagtailadmin_pages:revisions_revert"}
# Every view `refusal` looks at; any other request passes without touching the session.
GATED_VIEWS = (
    WORKFLOW_ACTION_VIEWS
    | EDIT_VIEWS
    | {
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:copy",
        "wagtail_bulk_action",
    }
)


def is_disclosure(page) -> bool:
    return page is not None and issubclass(page.specific_class or Page, DisclosurePage)


def has_disclosures(page) -> bool:
    return is_disclosure(page) or any(
        issubclass(p.specific_class or Page, DisclosurePage)
        for p in page.get_descendants().only("content_type")
    )


# Wagtail's page-types report counts every page of every issuer and names the last edited.
PLATFORM_REPORTS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}
PLATFORM_REPORT_REFUSED = "该报表统计全平台所有机构的页面，仅平台管理员可查看。"


def _scoped_view(view_name: str) -> bool:
    """Admin views the issuer scope is checked for here (public requests never are: their
    session is not even loaded)."""
    return (
        view_name.startswith("wagtailadmin_pages:")
        or view_name in PLATFORM_REPORTS
        or view_name == "wagtail_bulk_action"
    )


def refuse_out_of_scope(request, view_name, args, kwargs) -> None:
    """Issuer-scoped rights (ADR 0015): every admin view of one page, and every bulk action,
    refuses another issuer's disclosure with 403 and the reason in Chinese, before the view
    runs (so nothing changes, and no title is shown). The page permission tester refuses the
    same per object; this makes the answer a plain 403 instead of Wagtail's redirect."""
    from publications.rights.access import OUT_OF_SCOPE, can_act_on_page

    if view_name.startswith("wagtailadmin_pages:"):
        page_id = kwargs.get("page_id") or kwargs.get("pk") or (args[0] if args else None)
        page = _page(int(page_id)) if str(page_id or "").isdigit() else None
        if page is not None and not can_act_on_page(request.user, page):
            raise PermissionDenied(OUT_OF_SCOPE)
    elif view_name in PLATFORM_REPORTS:
        from publications.rights.access import is_platform_administrator

        if not is_platform_administrator(request.user):
            raise PermissionDenied(PLATFORM_REPORT_REFUSED)
    elif view_name == "wagtail_bulk_action" and kwargs.get("model_name") == "page":
        ids = [
            int(i) for i in request.GET.getlist("id") + request.POST.getlist("id") if i.isdigit()
        ]
        for page in Page.objects.filter(pk__in=ids):
            if not can_act_on_page(request.user, page):
                raise PermissionDenied(OUT_OF_SCOPE)


def _page(page_id):
    return Page.objects.filter(pk=page_id).first()


class WorkflowGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and _scoped_view(match.view_name) and request.user.is_authenticated:
            refuse_out_of_scope(request, match.view_name, view_args, view_kwargs)
        if match is None or match.view_name not in GATED_VIEWS:
            return None
        if not (request.user.is_authenticated):
            return None
        reason = self.refusal(request, match.view_name, view_args, view_kwargs)
        if not reason:
            return None
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return HttpResponseForbidden(reason, content_type="text/plain; charset=utf-8")
        messages.error(request, reason)
        page_id = view_kwargs.get("page_id") or (view_args[0] if view_args else None)
        if page_id and match.view_name in EDIT_VIEWS | WORKFLOW_ACTION_VIEWS:
            return redirect(reverse("wagtailadmin_pages:edit", args=(page_id,)))
        return redirect("wagtailadmin_home")

    def refusal(self, request, view_name, args, kwargs) -> str | None:
        post = request.method == "POST"
        if view_name in WORKFLOW_ACTION_VIEWS:
            return self.workflow_refusal(request, kwargs.get("task_state_id"))
        if view_name in EDIT_VIEWS and post:
            page = _page(kwargs.get("page_id") or (args[0] if args else None))
            if request.POST.get("action-publish") and is_disclosure(page):
                return guard.PUBLISH_REFUSED
            if request.POST.get("action-workflow-action") and page is not None:
                state = page.specific_deferred.current_workflow_task_state
                return self.workflow_refusal(request, state.pk if state else None)
        if view_name == "wagtailadmin_pages:add" and post and request.POST.get("action-publish"):
            model = _model(kwargs)
            if model is not None and issubclass(model, DisclosurePage):
                return guard.PUBLISH_REFUSED
        if view_name == "wagtailadmin_pages:unpublish":
            if is_disclosure(_page(kwargs.get("page_id") or (args[0] if args else None))):
                return guard.UNPUBLISH_REFUSED
        if view_name == "wagtailadmin_pages:copy" and post and request.POST.get("publish_copies"):
            page = _page(kwargs.get("page_id") or (args[0] if args else None))
            if page is not None and has_disclosures(page):
                return guard.COPY_PUBLISH_REFUSED
        if view_name == "wagtail_bulk_action" and kwargs.get("model_name") == "page":
            action = kwargs.get("action")
            if action in ("publish", "unpublish"):
                ids = request.GET.getlist("id")
                if any(is_disclosure(p) for p in Page.objects.filter(pk__in=ids)):
                    return guard.PUBLISH_REFUSED if action == "publish" else guard.UNPUBLISH_REFUSED
        return None

    def workflow_refusal(self, request, task_state_id) -> str | None:
        state = TaskState.objects.filter(pk=task_state_id).first() if task_state_id else None
        if state is None:
            return None
        task = state.task.specific
        if not isinstance(task, GuardedApprovalTask):
            return None
        return task.refusal_for(state, request.user)


def _model(kwargs):
    from django.contrib.contenttypes.models import ContentType

    try:
        ct = ContentType.objects.get_by_natural_key(
            kwargs.get("content_type_app_name"), kwargs.get("content_type_model_name")
        )
    except ContentType.DoesNotExist:
        return None
    return ct.model_class()
