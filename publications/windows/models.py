"""The holiday calendar editable in the admin, for years the chinese-calendar package lacks."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from publications.rules.workdays import WorkdayCalendar


def parse_dates(text: str, field_label: str) -> set[date]:
    """Dates written one per line or separated by commas or spaces, as 2027-10-01."""
    found: set[date] = set()
    for token in text.replace(",", " ").replace("，", " ").replace("、", " ").split():
        try:
            found.add(date.fromisoformat(token))
        except ValueError:
            raise ValidationError(
                f"{field_label}中的“{token[:20]}”不是有效日期，请写成 2027-10-01 的格式。"
            ) from None
    return found


@register_snippet
class HolidayYear(models.Model):
    """One year's official holidays and make-up working days (调休), as announced by the
    State Council. A year entered here replaces the package's data for that year."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    holidays = models.TextField(
        "放假日期",
        help_text="每行一个日期或用逗号分隔，如 2027-10-01。含周末在内的全部放假日均可列出。",
    )
    makeup_workdays = models.TextField(
        "调休上班日期", blank=True, help_text="需要上班的周六、周日，如 2027-09-26。"
    )
    source = models.CharField("依据", max_length=200, blank=True, help_text="国务院办公厅通知文号")

    panels = [
        FieldPanel("year"),
        FieldPanel("holidays"),
        FieldPanel("makeup_workdays"),
        FieldPanel("source"),
    ]

    class Meta:
        verbose_name = "节假日日历"
        verbose_name_plural = "节假日日历"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"

    def dates(self) -> tuple[set[date], set[date]]:
        return parse_dates(self.holidays, "放假日期"), parse_dates(
            self.makeup_workdays, "调休上班日期"
        )

    def clean(self):
        if not 2000 <= (self.year or 0) <= 2100:
            raise ValidationError({"year": "年份应在2000至2100之间。"})
        holidays, makeup = self.dates()
        try:
            WorkdayCalendar.from_years({self.year: (holidays, makeup)})
        except ValueError as error:
            raise ValidationError(str(error)) from None


class WindowChange(models.Model):
    """A request to extend, shorten or reschedule a published disclosure's window.

    Its own approved act (issue 18): one person asks, with a public reason; another person, a
    reviewer or committee member who is not the requester, approves it. Only then does the
    window change, as a new revision published with a ``window_changed`` ledger entry and a
    feed item (``publications.windows.actions``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    page = models.ForeignKey(
        "disclosure.DisclosurePage",
        verbose_name="公示",
        on_delete=models.PROTECT,
        related_name="window_changes",
    )
    kind = models.CharField("变更类型", max_length=16)  # extended | shortened | rescheduled
    old_opens_at = models.DateTimeField("原开始时间")
    old_closes_at = models.DateTimeField("原结束时间")
    new_opens_at = models.DateTimeField("新开始时间")
    new_closes_at = models.DateTimeField("新结束时间")
    reason = models.TextField("变更理由（公开）")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    ledger_seq = models.PositiveBigIntegerField("台账序号", null=True, blank=True)

    class Meta:
        verbose_name = "公示期变更"
        verbose_name_plural = "公示期变更"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page_id} 公示期变更（{self.get_status_display()}）"
