"""The home page and the site-wide settings of an exam office's disclosure site."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: what is on notice now, with windows and countdowns."""

    intro = RichTextField("简介", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def get_context(self, request, *args, **kwargs):
        from django.utils import timezone

        from publications.windows.listing import on_notice

        context = super().get_context(request, *args, **kwargs)
        context["on_notice"] = list(on_notice(timezone.now()).specific()[:50])
        return context


@register_setting(icon="site")
class OfficeSettings(BaseSiteSetting):
    """Who runs this site and where the public may object (举报、申诉渠道).

    The rules require the office to publish its complaint e-mail, telephone,
    the unit that takes complaints and its postal address.
    """

    office_name = models.CharField("招生考试机构名称", max_length=100, default="")
    complaint_unit = models.CharField(
        "受理举报的单位",
        max_length=100,
        blank=True,
        help_text="例如：省教育考试院纪检监察室",
    )
    complaint_phone = models.CharField("举报电话", max_length=40, blank=True)
    complaint_email = models.EmailField("举报电子信箱", blank=True)
    complaint_address = models.CharField("通讯地址", max_length=200, blank=True)
    consultation_phone = models.CharField("咨询电话", max_length=40, blank=True)

    panels = [
        FieldPanel("office_name"),
        MultiFieldPanel(
            [
                FieldPanel("complaint_unit"),
                FieldPanel("complaint_phone"),
                FieldPanel("complaint_email"),
                FieldPanel("complaint_address"),
                FieldPanel("consultation_phone"),
            ],
            heading="异议、举报渠道",
        ),
    ]

    class Meta:
        verbose_name = "站点设置"
        verbose_name_plural = "站点设置"

    @property
    def has_objection_channels(self) -> bool:
        return bool(self.complaint_phone or self.complaint_email or self.complaint_address)
