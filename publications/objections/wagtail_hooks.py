"""Admin wiring for objections: URLs and a menu item for those who may see objections.

Imported by publications/wagtail_hooks.py (Wagtail auto-loads only `<app>/wagtail_hooks.py`).
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urlpatterns = [
    path("", admin_views.index_view, name="index"),
    path("<int:pk>/", admin_views.detail_view, name="detail"),
    path("<int:pk>/attachment/", admin_views.attachment_view, name="attachment"),
]


@hooks.register("register_admin_urls")
def register_objection_urls():
    return [
        path(
            "objections/",
            include(
                (admin_urlpatterns, "publications_objections"), namespace="publications_objections"
            ),
        )
    ]


class ObjectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_view(request.user)


@hooks.register("register_admin_menu_item")
def objections_menu_item():
    return ObjectionsMenuItem(
        "异议受理", reverse("publications_objections:index"), icon_name="mail", order=903
    )
