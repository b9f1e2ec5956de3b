"""Admin pages for window changes: ask for one (editors of the page), decide one (a reviewer or
committee member other than the requester). The rules and the refusals are the actions'."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin import messages

from disclosure.models import DisclosurePage
from publications import roles
from publications.rights import access

from .actions import (
    WindowActionRefused,
    approve_window_change,
    reject_window_change,
    request_window_change,
)
from .models import WindowChange


class WindowChangeForm(forms.Form):
    opens_at = forms.DateTimeField(
        label="新的公示开始时间（北京时间）",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label="新的公示结束时间（北京时间）",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(
        label="变更理由（向公众公开）", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


def _same_unless_moved(entered, current):
    """The form shows times to the second: an unchanged field keeps the stored time exactly."""
    if current is not None and entered == current.replace(microsecond=0):
        return current
    return entered


def request_view(request, page_id: int):
    if not 0 < page_id < 2**31:  # past the id column's range: SQLite and PostgreSQL raise
        raise Http404("没有这项公示。")
    page = get_object_or_404(DisclosurePage, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    initial = {
        "opens_at": timezone.localtime(page.window_opens_at) if page.window_opens_at else None,
        "closes_at": timezone.localtime(page.window_closes_at) if page.window_closes_at else None,
    }
    form = WindowChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            request_window_change(
                page,
                user=request.user,
                opens_at=_same_unless_moved(form.cleaned_data["opens_at"], page.window_opens_at),
                closes_at=_same_unless_moved(form.cleaned_data["closes_at"], page.window_closes_at),
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except WindowActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, "公示期变更申请已提交，须由另一位初审人员或集体审定委员批准。"
            )
            return redirect("publications_window_changes")
    return TemplateResponse(
        request, "publications/window_change_request.html", {"form": form, "page": page}
    )


SEES_WINDOW_CHANGES = (roles.EDITOR, roles.REVIEWER, roles.COMMITTEE, roles.INSPECTOR)


def _in_scope(changes, user):
    """Another issuer's window changes (their pages, reasons, people) are not shown (ADR 0015)."""
    return access.filter_pages(changes, user, field="page")


def _pk(request) -> int:
    try:
        return int(request.POST.get("change", ""))
    except ValueError:
        raise Http404("没有这项公示期变更。") from None


def list_view(request):
    user = request.user
    if not (user.is_superuser or user.groups.filter(name__in=SEES_WINDOW_CHANGES).exists()):
        raise PermissionDenied
    if request.method == "POST":
        change = get_object_or_404(_in_scope(WindowChange.objects, user), pk=_pk(request))
        comment = request.POST.get("comment", "")
        try:
            if request.POST.get("decision") == "approve":
                approve_window_change(
                    change, user=request.user, now=timezone.now(), comment=comment
                )
                messages.success(request, "已批准：公示期已变更，并记入公示台账。")
            else:
                reject_window_change(change, user=request.user, now=timezone.now(), comment=comment)
                messages.success(request, "已驳回该公示期变更申请。")
        except WindowActionRefused as refused:
            messages.error(request, str(refused))
        return redirect("publications_window_changes")
    changes = _in_scope(
        WindowChange.objects.select_related("page", "requested_by", "decided_by"), user
    )[:200]
    return TemplateResponse(request, "publications/window_changes.html", {"changes": changes})
