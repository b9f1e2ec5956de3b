"""Issuer-scoped rights on Wagtail's page tree.

All disclosures sit under one index page whatever their issuer, so Wagtail's tree-based page
permissions cannot tell a county's draft from the province's (ADR 0015). Instead:

- `IssuerScopedPagePolicy`, registered for `Page`, removes other issuers' disclosure pages
  from every queryset the admin builds from the policy (explorer listing, sidebar explorer and
  its admin API, admin search, dashboard panels, reports; `explorable_instances` builds on
  `instances_user_has_any_permission_for`) and refuses every permission on them per object;
- `ScopedPermissionTester` (the tester of `DisclosurePage`) answers False to every `can_*`
  question on another issuer's page, so the edit, revisions, compare, preview, history,
  delete, copy, move, lock and bulk-action views refuse it (403);
- the page chooser and the dashboard's page count use the same filter (hooks below).
"""

from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from publications.workflow.guard import DisclosurePagePermissionTester

from . import access


class IssuerScopedPagePolicy(PagePermissionPolicy):
    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not access.can_act_on_page(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return access.filter_pages(
            super().instances_user_has_any_permission_for(user, actions), user
        )


def _scoped(name):
    inherited = getattr(DisclosurePagePermissionTester, name)

    def method(self, *args, **kwargs):
        if not self.in_scope:
            return False
        return inherited(self, *args, **kwargs)

    method.__name__ = name
    return method


class ScopedPermissionTester(DisclosurePagePermissionTester):
    """Every `can_*` is False on a disclosure of an issuer the user may not act on."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.in_scope = access.can_act_on(user, page.issuer_id)


for _name in dir(DisclosurePagePermissionTester):
    if _name.startswith("can_"):
        setattr(ScopedPermissionTester, _name, _scoped(_name))


def scoped_permissions_for_user(self, user):
    return ScopedPermissionTester(user, self)


def install() -> None:
    """From the app's ready(): `disclosure` must not import `publications`."""
    from wagtail.permissions import policy_registry

    from disclosure.models import DisclosurePage

    policy_registry.register(Page, IssuerScopedPagePolicy(Page))
    DisclosurePage.permissions_for_user = scoped_permissions_for_user


def filter_chooser(pages, request):
    """The page chooser (and its search) lists no other issuer's disclosures."""
    return access.filter_pages(pages, request.user)


class ScopedPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count counts only pages the user may see."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        root_page = context["root_page"]
        if root_page is not None:
            pages = access.filter_pages(
                Page.objects.descendant_of(root_page, inclusive=True), self.request.user
            )
            context["total_pages"] = pages.exclude(depth=1).count()
        return context


def scope_summary_items(request, items):
    for position, item in enumerate(items):
        if type(item) is PagesSummaryItem:
            items[position] = ScopedPagesSummaryItem(request)
