"""Admin views for importing a spreadsheet: upload, progress, report or preview, attach.

The upload request only stores the file and queues the import; a worker does the rest.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods
from wagtail import hooks

from .imports import MAX_UPLOAD_BYTES, job_progress, queue_import
from .models import DatasetKind, ImportJob, Issuer
from .presenters import dataset_preview

ALLOWED_SUFFIXES = (".csv", ".xlsx")


NO_ISSUER = "您尚未加入任何发布机构，不能导入数据；请联系平台管理员。"
ISSUER_OUT_OF_SCOPE = "只能为您所属的发布机构或其下级机构导入数据。"


# Issuer scoping is supplied by `publications` through these hooks (ADR 0015), as `disclosure`
# imports neither `publications` nor `search`:
# - "disclosure_import_issuers"(user) -> (issuers the user may import for, default or None)
# - "disclosure_import_jobs"(jobs, user) -> the jobs the user may see
# - "disclosure_import_uploaded"(job, issuer) -> records the job's issuer
def _hook(name):
    found = hooks.get_hooks(name)
    return found[-1] if found else None


def _import_issuers(user):
    hook = _hook("disclosure_import_issuers")
    if hook is None:
        return Issuer.objects.all(), None
    return hook(user)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=DatasetKind.choices)
    issuer = forms.ModelChoiceField(
        label="发布机构",
        queryset=Issuer.objects.none(),
        required=False,
        help_text="数据集只对本机构及上级机构的人员可见；只属于一个机构时可不选。",
        error_messages={"invalid_choice": ISSUER_OUT_OF_SCOPE},
    )
    file = forms.FileField(
        label="表格文件",
        help_text="CSV（UTF-8、带BOM的UTF-8或Excel导出的GBK）或XLSX；第一行（标题行之下）为表头。",
        error_messages={"required": "请选择要上传的文件。", "empty": "文件为空。"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset, self.default_issuer = _import_issuers(user)
        self.platform_wide = user is not None and user.is_superuser

    def clean_issuer(self):
        issuer = self.cleaned_data.get("issuer") or self.default_issuer
        if issuer is None and not self.platform_wide and _hook("disclosure_import_issuers"):
            raise forms.ValidationError(NO_ISSUER)
        return issuer

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("只接受 .csv 或 .xlsx 文件。")
        if upload.size == 0:
            raise forms.ValidationError("文件为空。")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件过大：上限为 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。"
            )
        return upload


def _require_import_permission(user):
    if not user.has_perm("disclosure.add_importjob"):
        raise PermissionDenied("您没有导入数据的权限。")


def _visible_jobs(user):
    jobs = ImportJob.objects.select_related("dataset", "created_by")
    scoped = _hook("disclosure_import_jobs")
    if scoped is not None:
        jobs = scoped(jobs, user)
    if user.is_superuser or user.has_perm("disclosure.view_importjob"):
        return jobs
    return jobs.filter(created_by=user)


@require_http_methods(["GET", "POST"])
def import_index(request):
    _require_import_permission(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = queue_import(form.cleaned_data["file"], form.cleaned_data["kind"], user=request.user)
        uploaded = _hook("disclosure_import_uploaded")
        if uploaded is not None and form.cleaned_data["issuer"] is not None:
            uploaded(job, form.cleaned_data["issuer"])
        messages.success(request, "文件已上传，正在后台导入。")
        return redirect("disclosure_import_job", job_id=job.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/import_index.html",
        {"form": form, "jobs": _visible_jobs(request.user)[:30], "page_title": "导入数据"},
        status=400 if request.method == "POST" else 200,
    )


def import_job(request, job_id: int):
    job = get_object_or_404(_visible_jobs(request.user), pk=job_id)
    if not (
        request.user.has_perm("disclosure.add_importjob")
        or request.user.is_superuser
        or request.user.has_perm("disclosure.view_importjob")
    ):
        raise PermissionDenied
    rows_done, bytes_done = job_progress(job)
    percent = min(100, int(bytes_done * 100 / job.bytes_total)) if job.bytes_total else 0
    context = {
        "job": job,
        "rows_done": rows_done,
        "percent": percent,
        "page_title": f"导入：{job.source_filename}",
    }
    if job.dataset_id:
        context["preview"] = dataset_preview(job.dataset)
    return TemplateResponse(request, "disclosure/admin/import_job.html", context)
