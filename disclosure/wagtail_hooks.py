from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("imports/", admin_views.import_index, name="disclosure_imports"),
        path("imports/<int:job_id>/", admin_views.import_job, name="disclosure_import_job"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("disclosure.add_importjob")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("导入数据", reverse("disclosure_imports"), icon_name="upload", order=250)
