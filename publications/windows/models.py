"""The holiday calendar editable in the admin, for years the chinese-calendar package lacks."""

from datetime import date

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
