"""Decisions taken in the page editor (通过 / 退回修改 in its footer) are only decisions.

Wagtail's editor posts its whole form with a workflow action and, when the form differs from
the latest revision, first saves it as a new revision in the decider's name. Whether it
differs depends on the browser, not on the person: before the rich-text editor's script has
run, an empty body comes back as a contentstate block (`<p data-block-key="…"></p>`, not the
stored ""), and the window fields are shown to the minute, so a window stored with seconds
comes back changed. That revision made the reviewer an author of the content under review,
the separation of duties then refused their own decision (as Wagtail's generic "no
permission"), and they stayed barred from this run.

So a decision from the editor is taken as one from the dashboard is: on the revision the
person was shown, without saving the form. Reviewers do not edit content under review
(ADR 0005); editors change content with 保存 and 提交.
"""

import json

from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request

from .models import APPROVE, GuardedApprovalTask, WorkflowActionRefused

STALE = "该内容在您打开后已有新的修改，请查看最新内容后再审批。"
DECIDED = {APPROVE: "通过", "reject": "退回修改"}


def _comment(request) -> str:
    """The comment Wagtail's modal collected (通过并附意见, 退回修改), if any."""
    try:
        extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        return ""
    comment = extra.get("comment", "") if isinstance(extra, dict) else ""
    return comment if isinstance(comment, str) else ""


def decide_without_saving(request, page):
    """`before_edit_page` hook: act on the review task and return, never saving the form."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    state = page.current_workflow_task_state
    task = state.task.specific if state else None
    if not isinstance(task, GuardedApprovalTask):
        return None
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    loaded = request.POST.get("loaded_revision_id")
    latest = page.get_latest_revision()
    if loaded and latest is not None and loaded != str(latest.pk):
        messages.error(request, STALE)
        return redirect(edit_url)
    action = request.POST.get("workflow-action-name", "")
    try:
        task.on_action(state, request.user, action, comment=_comment(request))
    except WorkflowActionRefused as refused:
        messages.error(request, refused.reason)
        return redirect(edit_url)
    title = page.get_admin_display_title()
    messages.success(request, f"已记录您对“{title}”的审批决定：{DECIDED.get(action, action)}。")
    return redirect(
        get_valid_next_url_from_request(request)
        or reverse("wagtailadmin_explore", args=(page.get_parent().id,))
    )
