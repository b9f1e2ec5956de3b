"""The platform administrator's admin for memberships and review boards (snippets).

Only accounts holding the model permissions (the 平台管理员 group, superusers) see them;
Wagtail's snippet views check those permissions on every request.
"""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import IssuerMembership, ReviewBoard


class IssuerMembershipViewSet(SnippetViewSet):
    model = IssuerMembership
    icon = "group"
    menu_label = "机构成员"
    list_display = ["user", "issuer", "added_at"]
    list_filter = ["issuer"]
    search_fields = ["user__username", "user__first_name", "issuer__name"]
    panels = [FieldPanel("user"), FieldPanel("issuer")]


class ReviewBoardViewSet(SnippetViewSet):
    model = ReviewBoard
    icon = "tasks"
    menu_label = "审批组"
    list_display = ["__str__", "quorum"]
    panels = [
        FieldPanel("issuer"),
        FieldPanel("level"),
        FieldPanel("reviewers"),
        FieldPanel("committee"),
        FieldPanel("quorum"),
    ]


def register() -> None:
    register_snippet(IssuerMembershipViewSet)
    register_snippet(ReviewBoardViewSet)
