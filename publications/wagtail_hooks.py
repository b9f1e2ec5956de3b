"""Admin wiring for review and approval: URLs, menu items, the dashboard panel, log actions."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from publications.objections import wagtail_hooks as objections_hooks  # noqa: F401
from publications.rights import admin as rights_admin
from publications.windows import admin_views as window_admin
from publications.workflow import editor, second_factor, views
from publications.workflow.models import GuardedApprovalTask

rights_admin.register()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("second-factor/", second_factor.second_factor_view, name="publications_second_factor"),
        path("recusals/", views.recusals_view, name="publications_recusals"),
        path("workflow-record/", views.workflow_record_view, name="publications_workflow_record"),
        path("window-changes/", window_admin.list_view, name="publications_window_changes"),
        path(
            "window-changes/new/<int:page_id>/",
            window_admin.request_view,
            name="publications_window_change_request",
        ),
    ]


def _is_reviewer(request) -> bool:
    from wagtail.models import Task

    return any(
        isinstance(task, GuardedApprovalTask) and task._in_groups(request.user)
        for task in Task.objects.filter(active=True).specific()
    )


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_reviewer(request)


class InspectorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.RECORD_PERMISSION)


@hooks.register("register_admin_menu_item")
def second_factor_menu_item():
    return ReviewerMenuItem(
        "二次验证", reverse("publications_second_factor"), icon_name="key", order=900
    )


@hooks.register("register_admin_menu_item")
def recusals_menu_item():
    return ReviewerMenuItem(
        "回避申报", reverse("publications_recusals"), icon_name="warning", order=901
    )


@hooks.register("register_admin_menu_item")
def window_changes_menu_item():
    return MenuItem(
        "公示期变更", reverse("publications_window_changes"), icon_name="date", order=903
    )


@hooks.register("register_admin_menu_item")
def workflow_record_menu_item():
    return InspectorMenuItem(
        "审批记录", reverse("publications_workflow_record"), icon_name="history", order=902
    )


# Before Wagtail's editor saves its form: a decision posted from the editor saves nothing.
hooks.register("before_edit_page", editor.decide_without_saving)


@hooks.register("construct_homepage_panels")
def add_pending_tasks_panel(request, panels):
    panels.append(views.PendingTasksPanel())


@hooks.register("construct_homepage_panels")
def add_holiday_calendar_panel(request, panels):
    from publications.windows.calendar_check import CalendarPanel

    panels.append(CalendarPanel())


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("publications.workflow.vote", "集体审定表决", "集体审定表决")


@hooks.register("before_serve_page")
def serve_disclosures_by_their_window(page, request, serve_args, serve_kwargs):
    from publications.windows.serving import serve_by_window

    return serve_by_window(page, request, serve_args, serve_kwargs)


# --- issuer-scoped rights (ADR 0015) ---------------------------------------------------------
@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    from publications.rights.pages import filter_chooser

    return filter_chooser(pages, request)


@hooks.register("construct_homepage_summary_items", order=1000)  # after Wagtail's own
def scope_summary_items(request, items):
    from publications.rights.pages import scope_summary_items as scope

    scope(request, items)


@hooks.register("disclosure_import_issuers")
def import_issuers(user):
    """The issuers a user may import for, and the default when they belong to only one."""
    from publications.rights import access

    issuers = access.visible_issuers(user)
    member_of = access.member_of(user)
    default = issuers.filter(pk=next(iter(member_of))).first() if len(member_of) == 1 else None
    return issuers, default


@hooks.register("disclosure_import_jobs")
def import_jobs(jobs, user):
    from publications.rights.datasets import visible_jobs

    return visible_jobs(jobs, user)


@hooks.register("disclosure_import_uploaded")
def import_uploaded(job, issuer):
    from publications.rights.datasets import record

    record(job, issuer)
