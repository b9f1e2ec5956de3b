"""The office's admin for objections: list, detail with the handling steps, attachment download.

Who sees what (ADR 0008):
- `publications.view_objection` (编辑, 纪检监察, 平台管理员): every objection and its handling
  record, read-only, without the objector's personal data.
- `publications.handle_objection` (异议处理人员): the same plus the objector's name, phone,
  e-mail and attachment, and the steps: assign, record findings, answer, close.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin import messages

from publications.rights import access as rights

from . import actions, rules
from .forms import AnswerForm, AssignForm, FindingsForm
from .models import HANDLE_PERMISSION, VIEW_PERMISSION, Objection, ObjectionStatus


def may_view(user) -> bool:
    return user.has_perm(VIEW_PERMISSION) or user.has_perm(HANDLE_PERMISSION)


def _require_view(request):
    if not may_view(request.user):
        raise PermissionDenied


def visible_objections(user):
    """Only objections to disclosures of the user's issuers and those below (ADR 0015):
    another issuer's are not listed, not counted and answer 404."""
    return rights.filter_by_issuer(Objection.objects.all(), user, field="disclosure__issuer")


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


def index_view(request):
    _require_view(request)
    objections = visible_objections(request.user).select_related("disclosure", "assignee")
    status = request.GET.get("status", "")
    if status in ObjectionStatus.values:
        objections = objections.filter(status=status)
    return _no_store(
        TemplateResponse(
            request,
            "publications/objections/admin_index.html",
            {
                "objections": objections[:500],
                "statuses": ObjectionStatus.choices,
                "current_status": status,
                "handler": request.user.has_perm(HANDLE_PERMISSION),
            },
        )
    )


STEPS = {
    "assign": AssignForm,
    "findings": FindingsForm,
    "answer": AnswerForm,
}


def detail_view(request, pk):
    _require_view(request)
    objection = get_object_or_404(
        visible_objections(request.user).select_related("disclosure", "entry", "assignee"), pk=pk
    )
    handler = request.user.has_perm(HANDLE_PERMISSION)
    forms = {}
    if handler and objection.status != ObjectionStatus.CLOSED:
        forms = {
            "assign": AssignForm(
                initial={"assignee": objection.assignee_id},
                prefix="assign",
                issuer=objection.disclosure.specific.issuer,
            ),
            "findings": FindingsForm(initial={"findings": objection.findings}, prefix="findings"),
            "answer": AnswerForm(
                initial={"answer": objection.answer, "outcome": objection.outcome},
                prefix="answer",
            ),
        }
    if request.method == "POST":
        if not handler:
            raise PermissionDenied
        step = request.POST.get("step", "")
        try:
            if step == "close":
                actions.close(objection, request.user, now=rules.now())
            elif step in STEPS:
                extra = {"issuer": objection.disclosure.specific.issuer} if step == "assign" else {}
                form = STEPS[step](request.POST, prefix=step, **extra)
                forms[step] = form
                if not form.is_valid():
                    raise actions.ObjectionActionError("请按提示修改后重新提交。")
                _perform(step, objection, request.user, form.cleaned_data)
            else:
                raise actions.ObjectionActionError("未知的办理操作。")
        except actions.ObjectionActionError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "已保存。")
            return redirect("publications_objections:detail", pk=objection.pk)
    return _no_store(
        TemplateResponse(
            request,
            "publications/objections/admin_detail.html",
            {
                "objection": objection,
                "title": f"异议 #{objection.pk}",
                "disclosure": objection.disclosure.specific,
                "handler": handler,
                "forms": forms,
                "events": objection.events.select_related("actor"),
            },
        )
    )


def _perform(step, objection, user, data):
    now = rules.now()
    if step == "assign":
        actions.assign(objection, user, data["assignee"], now=now)
    elif step == "findings":
        actions.record_findings(objection, user, data["findings"], now=now)
    elif step == "answer":
        actions.answer(objection, user, data["answer"], data["outcome"], now=now)


def attachment_view(request, pk):
    """The attachment, to handlers only: always a download, never rendered by the browser."""
    if not request.user.has_perm(HANDLE_PERMISSION):
        raise PermissionDenied
    objection = get_object_or_404(visible_objections(request.user), pk=pk)
    if not objection.attachment:
        raise Http404("该异议没有附件。")
    extension = objection.attachment.name.rsplit(".", 1)[-1]
    response = FileResponse(
        objection.attachment.open("rb"),
        as_attachment=True,
        filename=f"objection-{objection.pk}.{extension}",
        content_type=objection.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _no_store(response)
