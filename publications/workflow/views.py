"""Admin views: declaring recusals, the inspectors' record of every review, the dashboard."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from disclosure.models import DisclosurePage
from publications.rights import access as rights

from .models import GuardedApprovalTask, QuorumVote, Recusal
from .recusal import exam_number_hmac, mask_exam_number

RECORD_PERMISSION = "publications.view_workflow_record"


class RecusalForm(forms.ModelForm):
    page = forms.ModelChoiceField(label="所涉公示", required=False, queryset=Page.objects.none())
    exam_number = forms.CharField(
        label="考生号", required=False, help_text="只保存其密钥哈希与遮蔽形式，不保存明文。"
    )

    class Meta:
        model = Recusal
        fields = ["page", "candidate_name", "candidate_school", "relationship"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        pages = Page.objects.type(DisclosurePage).order_by("title")
        # Only the disclosures of the person's own issuers and those below (ADR 0015).
        self.fields["page"].queryset = rights.filter_pages(pages, user)
        self.fields["page"].error_messages["invalid_choice"] = rights.OUT_OF_SCOPE

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("exam_number") or "").strip()
        if number:
            self.instance.exam_number_hmac = exam_number_hmac(number)
            self.instance.exam_number_masked = mask_exam_number(number)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        try:
            self.instance.clean()
        except ValidationError as error:
            self.add_error(None, error)


def recusals_view(request):
    form = RecusalForm(request.POST or None, user=request.user)
    form.instance.user = request.user
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "回避申报已登记；涉及的审批将不再向您提供。")
        return redirect("publications_recusals")
    return TemplateResponse(
        request,
        "publications/recusals.html",
        {"form": form, "recusals": Recusal.objects.filter(user=request.user)},
    )


def workflow_record_view(request):
    """Read-only: every review run, each task, each vote and each recusal."""
    if not request.user.has_perm(RECORD_PERMISSION):
        raise PermissionDenied
    runs = (
        rights.filter_pages(
            WorkflowState.objects.all(),
            request.user,
            field="object_id",
            as_text=True,
        )
        .select_related("workflow", "requested_by")
        .prefetch_related("task_states__task", "task_states__finished_by")
        .order_by("-created_at")[:200]
    )
    rows = []
    for run in runs:
        states = sorted(run.task_states.all(), key=lambda s: (s.started_at, s.pk))
        votes = QuorumVote.objects.filter(task_state__in=states).select_related("member")
        rows.append({"run": run, "page": run.content_object, "states": states, "votes": votes})
    return TemplateResponse(
        request,
        "publications/workflow_record.html",
        {"rows": rows, "recusals": visible_recusals(request.user).select_related("user", "page")},
    )


def visible_recusals(user):
    """Recusals about a disclosure in the person's scope, or declared by a member of an
    issuer in it; another issuer's recusals are not shown."""
    reach = rights.issuers_for(user)
    if reach is rights.scope.ALL_ISSUERS:
        return Recusal.objects.all()
    about_pages = rights.filter_pages(Recusal.objects.filter(page__isnull=False), user, "page_id")
    by_members = Recusal.objects.filter(
        page__isnull=True, user__issuer_memberships__issuer_id__in=list(reach)
    )
    return Recusal.objects.filter(pk__in=about_pages.values("pk")) | Recusal.objects.filter(
        pk__in=by_members.values("pk")
    )


def pending_tasks_for(user) -> list[dict]:
    """Each in-progress review task this person is a member for, and why they may not act."""
    items = []
    states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
        "workflow_state"
    )
    for state in states.order_by("-started_at"):
        task = state.task.specific
        if not isinstance(task, GuardedApprovalTask) or not task._in_groups(user):
            continue
        page = state.workflow_state.content_object
        if page is None or not rights.can_act_on_page(user, page):
            continue
        items.append(
            {"state": state, "task": task, "page": page, "reason": task.refusal_for(state, user)}
        )
    return items


class PendingTasksPanel(Component):
    name = "publications_pending_tasks"
    template_name = "publications/pending_tasks_panel.html"
    order = 210

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"items": pending_tasks_for(request.user), "request": request}
