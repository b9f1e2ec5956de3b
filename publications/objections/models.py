"""Objections (异议、举报) raised by the public during a window, and their handling record.

Personal data of the objector (name, phone, e-mail, attachment) lives only on `Objection`,
is shown only to holders of `publications.handle_objection`, and is blanked by
`purge_objections` once the retention period after closing has run (ADR 0008).
The tracking code is never stored: only its SHA-256.
"""

import hashlib
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible

HANDLE_PERMISSION = "publications.handle_objection"
VIEW_PERMISSION = "publications.view_objection"
# The group that handles objections, created by migration 0008_objections_permissions.
HANDLER_GROUP = "异议处理人员"


@deconstructible
class PrivateAttachmentStorage(FileSystemStorage):
    """Files under OBJECTION_ATTACHMENT_ROOT, outside MEDIA_ROOT, with no public URL.

    The location is read from settings on every use, so tests can point it elsewhere.
    """

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(settings.OBJECTION_ATTACHMENT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("异议附件不对外提供网址，只能经后台下载。")


def attachment_path(instance, filename) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{uuid.uuid4().hex}.{extension}"


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    HANDLING = "handling", "处理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", "异议成立"
    PARTLY_UPHELD = "partly_upheld", "异议部分成立"
    NOT_UPHELD = "not_upheld", "异议不成立"
    NOT_ACCEPTED = "not_accepted", "不予受理"


class ObjectionQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(status__in=(ObjectionStatus.ANSWERED, ObjectionStatus.CLOSED))


class Objection(models.Model):
    disclosure = models.ForeignKey(
        "disclosure.DisclosurePage",
        verbose_name="所涉公示",
        on_delete=models.PROTECT,
        related_name="objections",
    )
    row_position = models.PositiveIntegerField("所涉行号", null=True, blank=True)
    entry = models.ForeignKey(
        "disclosure.CandidateEntry",
        verbose_name="所涉名单行",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code_hash = models.CharField("查询码哈希", max_length=64, unique=True, editable=False)
    received_at = models.DateTimeField("收到时间")

    # The objector's personal data: handlers only, purged after retention.
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    attachment = models.FileField(
        "附件",
        storage=PrivateAttachmentStorage(),
        upload_to=attachment_path,
        blank=True,
        max_length=200,
    )
    attachment_name = models.CharField("附件原名", max_length=200, blank=True)
    attachment_type = models.CharField("附件类型", max_length=40, blank=True)
    attachment_size = models.PositiveIntegerField("附件大小", null=True, blank=True)
    personal_data_purged_at = models.DateTimeField("个人信息删除时间", null=True, blank=True)

    content = models.TextField("异议内容")

    status = models.CharField(
        "状态", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    findings = models.TextField("调查核实情况", blank=True)
    outcome = models.CharField(
        "处理结论", max_length=20, choices=ObjectionOutcome.choices, blank=True
    )
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["disclosure", "status"])]
        permissions = [("handle_objection", "办理异议并查看异议人个人信息")]

    def __str__(self) -> str:
        return f"异议 #{self.pk}"

    @property
    def public_status(self) -> str:
        """What the objector sees: received, being handled, answered."""
        if self.status in (ObjectionStatus.ANSWERED, ObjectionStatus.CLOSED):
            return ObjectionStatus.ANSWERED.label
        return ObjectionStatus(self.status).label


class ObjectionEvent(models.Model):
    """One step of handling, for the record the inspector reads. Holds no personal data."""

    class Action(models.TextChoices):
        RECEIVED = "received", "收到异议"
        ASSIGNED = "assigned", "指派承办人"
        FINDINGS = "findings", "记录调查核实情况"
        ANSWERED = "answered", "答复"
        CLOSED = "closed", "办结"
        PURGED = "purged", "删除个人信息"

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("环节", max_length=20, choices=Action.choices)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "异议办理记录"
        verbose_name_plural = "异议办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.objection}：{self.get_action_display()}"
