"""The public objection form and the handlers' forms. Checks live in `validators`."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

from disclosure.models import CandidateEntry, DatasetKind, DisclosurePage, QuotaEntry

from . import validators
from .models import ObjectionOutcome
from .validators import InputError

HONEYPOT_FIELD = "website"
HONEYPOT_MESSAGE = "提交未通过校验：请不要填写标有“请勿填写”的一栏，清空后重新提交。"

ROW_MODELS = {DatasetKind.CANDIDATE_LIST: CandidateEntry, DatasetKind.QUOTA_PLAN: QuotaEntry}


def min_content_chars() -> int:
    return int(getattr(settings, "OBJECTION_CONTENT_MIN_CHARS", 20))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "OBJECTION_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


def find_disclosure(value) -> DisclosurePage | None:
    """A live disclosure page by its id, as the specific page type; None if there is none."""
    try:
        page_id = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not 0 < page_id < 2**31:  # past the id column's range: SQLite and PostgreSQL raise
        return None
    page = DisclosurePage.objects.live().filter(pk=page_id).first()
    return page.specific if page is not None else None


def find_row(page, position: int):
    """(row exists, the CandidateEntry or None) for `position` in the page's dataset."""
    dataset = getattr(page, "dataset", None)
    model = ROW_MODELS.get(getattr(page, "dataset_kind", None))
    if dataset is None or model is None:
        return False, None
    row = model.objects.filter(dataset=dataset, position=position).first()
    if row is None:
        return False, None
    return True, row if model is CandidateEntry else None


def _validated(function, *args):
    try:
        return function(*args)
    except InputError as error:
        raise forms.ValidationError(str(error), code="invalid") from error


class ObjectionForm(forms.Form):
    disclosure = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "未指明所涉公示：请从公示页面上的“提出异议”链接进入。"},
    )
    row = forms.CharField(
        label="所涉名单行号（选填）",
        required=False,
        help_text="针对名单中某一行提出异议时填写；针对整份公示可留空。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label="真实姓名",
        strip=False,
        help_text="单位提出异议的，填写单位名称及联系人。",
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": "50"}),
        error_messages={"required": "请填写真实姓名（单位提出异议的，填写单位名称及联系人）。"},
    )
    phone = forms.CharField(
        label="联系电话",
        strip=False,
        help_text="11位手机号码，或带区号的固定电话，如 0371-65432100。",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "请填写联系电话。"},
    )
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        max_length=254,
        help_text="用于联系您，不会公开。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "电子邮箱格式不正确，例如 name@example.com；也可以不填。",
            "max_length": "电子邮箱不能超过254个字符。",
        },
    )
    content = forms.CharField(
        label="异议内容",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "请填写异议内容。"},
    )
    attachment = forms.FileField(
        label="证明材料（选填）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "invalid": "附件上传不完整，请重新选择文件。",
            "empty": "附件是空文件，请重新选择。",
        },
    )
    # A field people never see; bots fill every field they find.
    website = forms.CharField(
        label="请勿填写",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = None
        self.entry = None
        self.attachment_type = None
        minimum, megabytes = min_content_chars(), max_attachment_bytes() // (1024 * 1024)
        self.fields["content"].help_text = (
            f"请写明所涉考生或事项、具体问题及依据，至少{minimum}个字，"
            f"不超过{validators.CONTENT_MAX_CHARS}个字。"
        )
        self.fields["content"].widget.attrs["maxlength"] = str(validators.CONTENT_MAX_CHARS)
        self.fields["attachment"].help_text = f"PDF、JPEG或PNG文件，不超过{megabytes} MB。"

    def describe_fields(self):
        """Tie each visible field to its help text and its errors (aria-describedby)."""
        for name, field in self.fields.items():
            if field.widget.is_hidden or name == HONEYPOT_FIELD:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}-help"] if field.help_text else []
            if bound.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            if field.required:
                field.widget.attrs["aria-required"] = "true"
        return self

    def clean_disclosure(self):
        value = self.cleaned_data["disclosure"]
        page = find_disclosure(value)
        if page is None:
            raise forms.ValidationError(
                "未找到所涉公示（编号不存在或未发布）。请从公示页面上的“提出异议”链接进入。",
                code="unknown",
            )
        self.page = page
        return page.pk

    def clean_name(self):
        return _validated(validators.normalise_name, self.cleaned_data["name"])

    def clean_phone(self):
        return _validated(validators.normalise_phone, self.cleaned_data["phone"])

    def clean_content(self):
        return _validated(
            validators.normalise_content, self.cleaned_data["content"], min_content_chars()
        )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        detected = _validated(
            validators.check_attachment, upload.name, upload.size, head, max_attachment_bytes()
        )
        self.attachment_type = detected.content_type
        return upload

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(HONEYPOT_MESSAGE, code="honeypot")
        return ""

    def clean(self):
        cleaned = super().clean()
        raw_row = (cleaned.get("row") or "").strip()
        cleaned["row"] = None
        if raw_row and self.page is not None:
            if not raw_row.isdigit():
                self.add_error("row", "行号应为正整数，例如 12。")
            else:
                exists, entry = find_row(self.page, int(raw_row))
                if not exists:
                    self.add_error(
                        "row",
                        f"该公示中没有第 {int(raw_row)} 行。请核对行号，或留空只针对整份公示。",
                    )
                else:
                    cleaned["row"] = int(raw_row)
                    self.entry = entry
        return cleaned


def handlers():
    """Active users who may handle objections (directly, by group, or as superusers)."""
    permission = Permission.objects.get(
        content_type__app_label="publications", codename="handle_objection"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions=permission)
            | Q(groups__permissions=permission)
        )
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="承办人", queryset=None, error_messages={"required": "请选择承办人。"}
    )

    def __init__(self, *args, issuer=None, **kwargs):
        super().__init__(*args, **kwargs)
        from publications.rights.access import handlers_for

        # Only handlers whose rights reach the disclosure's issuer (ADR 0015).
        self.fields["assignee"].queryset = handlers_for(handlers(), issuer)
        self.fields["assignee"].error_messages["invalid_choice"] = (
            "请选择本机构或上级机构的承办人。"
        )


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label="调查核实情况",
        widget=forms.Textarea,
        error_messages={"required": "请填写调查核实情况。"},
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="处理结论",
        choices=ObjectionOutcome.choices,
        error_messages={"required": "请选择处理结论。"},
    )
    answer = forms.CharField(
        label="答复（异议人凭查询码可见）",
        widget=forms.Textarea,
        error_messages={"required": "请填写答复内容。"},
    )
