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


@hooks.register("before_delete_snippet")
def refuse_to_delete_an_issuer_in_use(request, instances):
    """An issuer with disclosures or issuers below it stays (its foreign keys are PROTECT):
    say why in Chinese, before anything is deleted, instead of Wagtail's bare refusal."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import DisclosurePage, Issuer

    refusals = []
    for issuer in instances:
        if not isinstance(issuer, Issuer):
            continue
        disclosures = DisclosurePage.objects.filter(issuer=issuer).count()
        children = Issuer.objects.filter(parent=issuer).count()
        reasons = []
        if disclosures:
            reasons.append(f"有 {disclosures} 项公示以其为发布机构")
        if children:
            reasons.append(f"其下有 {children} 个下级机构")
        if reasons:
            refusals.append(f"不能删除发布机构“{issuer.name}”：{'，'.join(reasons)}。")
    if not refusals:
        return None
    for refusal in refusals:
        messages.error(request, refusal + "请先把公示和下级机构移交其他机构。")
    return redirect("wagtailsnippets_disclosure_issuer:list")
