"""No other road to the public: the last line of defence on disclosure pages.

Two layers:
- `DisclosurePagePermissionTester`: nobody (superusers included) may publish, unpublish,
  unschedule or restrict a disclosure page from the admin, so the buttons, bulk actions and
  `PublishPageRevisionAction`'s own check all refuse.
- `refuse_bypass` (pre_save on every disclosure page): a disclosure page goes live only with
  the revision the workflow approved most recently, and comes down only by expiry of its
  window or inside `withdrawal()` (the future `publications.actions.withdraw`). This also
  covers code that skips permission checks, copies, reverts and scheduled publishing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import Page, PagePermissionTester

from disclosure.models import DisclosurePage

PUBLISH_REFUSED = "公示页面只能经初审和集体审定通过后由系统发布，不能直接发布。"
UNPUBLISH_REFUSED = "公示页面不能直接撤下：须通过撤回程序（经审批发布撤回公告）办理。"
COPY_PUBLISH_REFUSED = "复制公示时不能同时发布：复制件须重新提交审批。"

_withdrawing: ContextVar[bool] = ContextVar("publications_withdrawing", default=False)


class BypassRefused(PermissionDenied):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@contextmanager
def withdrawal():
    """Allow disclosure pages to come down; for the withdrawal action only."""
    token = _withdrawing.set(True)
    try:
        yield
    finally:
        _withdrawing.reset(token)


class DisclosurePagePermissionTester(PagePermissionTester):
    def can_publish(self):
        return False

    def can_unpublish(self):
        return False

    def can_unschedule(self):
        return False

    def can_set_view_restrictions(self):
        return False


def disclosure_permissions_for_user(self, user):
    return DisclosurePagePermissionTester(user, self)


def install_permission_tester() -> None:
    """Installed from the app's ready(): `disclosure` must not import `publications`."""
    DisclosurePage.permissions_for_user = disclosure_permissions_for_user


def latest_approved_revision_id(page_id) -> int | None:
    from .models import ApprovedRevision

    if page_id is None:
        return None
    return (
        ApprovedRevision.objects.filter(page_id=page_id)
        .values_list("revision_id", flat=True)
        .first()
    )


def refuse_bypass(sender, instance, raw=False, **kwargs):
    if raw or not isinstance(instance, DisclosurePage):
        return
    before = None
    if instance.pk is not None:
        before = Page.objects.filter(pk=instance.pk).values("live", "live_revision_id").first()
    was_live = bool(before and before["live"])
    was_revision = before["live_revision_id"] if before else None
    if instance.live and (not was_live or instance.live_revision_id != was_revision):
        approved = latest_approved_revision_id(instance.pk)
        if approved is None or instance.live_revision_id != approved:
            raise BypassRefused(PUBLISH_REFUSED)
    if was_live and not instance.live:
        expiring = bool(
            instance.expired and instance.expire_at and instance.expire_at <= timezone.now()
        )
        if not (expiring or _withdrawing.get()):
            raise BypassRefused(UNPUBLISH_REFUSED)
