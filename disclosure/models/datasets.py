"""An immutable dataset: one import of one file, and the job that produced it."""

from django.conf import settings
from django.db import models


class DatasetKind(models.TextChoices):
    CANDIDATE_LIST = "candidate_list", "考生名单"
    QUOTA_PLAN = "quota_plan", "招生计划"
    ADMISSION_RESULTS = "admission_results", "录取结果"


class ImmutableError(Exception):
    """A dataset, once stored, is never changed; a correction is a new dataset."""


class Dataset(models.Model):
    """One import of one file. Its rows are in the entry model of its kind.

    `content_sha256` hashes the canonical rows with identifiers as HMACs;
    `public_sha256` hashes the rows as the public sees them (identifiers masked), which is
    what a journalist can recompute from the public CSV.
    """

    kind = models.CharField("类型", max_length=32, choices=DatasetKind.choices)
    source_filename = models.CharField("源文件名", max_length=255)
    source_size = models.PositiveBigIntegerField("源文件大小（字节）")
    source_sha256 = models.CharField("源文件 SHA-256", max_length=64)
    source_format = models.CharField("格式", max_length=8)
    source_encoding = models.CharField("编码", max_length=16, blank=True)
    row_count = models.PositiveIntegerField("行数")
    content_sha256 = models.CharField("内容哈希（SHA-256）", max_length=64, db_index=True)
    public_sha256 = models.CharField("公开内容哈希（SHA-256）", max_length=64)
    report = models.JSONField("导入报告", default=dict)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "数据集"
        verbose_name_plural = "数据集"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_filename}（{self.get_kind_display()}，{self.row_count}行）"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableError("数据集一经导入不可修改；更正请导入新的数据集。")
        super().save(*args, **kwargs)

    @property
    def entries(self):
        from .entries import ENTRY_MODELS

        return ENTRY_MODELS[self.kind].objects.filter(dataset=self).order_by("position")


class ImportJob(models.Model):
    """An upload being imported in the background, with its progress and outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        SUCCEEDED = "succeeded", "已完成"
        REJECTED = "rejected", "已拒绝"
        FAILED = "failed", "出错"

    kind = models.CharField("类型", max_length=32, choices=DatasetKind.choices)
    upload = models.FileField("上传文件", upload_to="imports/%Y/%m/")
    source_filename = models.CharField("源文件名", max_length=255)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("已处理行数", default=0)
    bytes_total = models.PositiveBigIntegerField("文件大小", default=0)
    bytes_done = models.PositiveBigIntegerField("已读取", default=0)
    report = models.JSONField("导入报告", default=dict, blank=True)
    dataset = models.OneToOneField(
        Dataset, verbose_name="数据集", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_filename}（{self.get_status_display()}）"
