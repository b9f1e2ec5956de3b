"""What is disclosed. See the package docstring for the dependency rule."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class IssuerLevel(models.TextChoices):
    """Notices run at several levels (逐级公示)."""

    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    SCHOOL = "school", "学校"
    UNIVERSITY = "university", "高校"


# A parent issuer must sit at a higher level than its child.
_LEVEL_RANK = {
    IssuerLevel.PROVINCE: 0,
    IssuerLevel.UNIVERSITY: 0,
    IssuerLevel.CITY: 1,
    IssuerLevel.COUNTY: 2,
    IssuerLevel.SCHOOL: 3,
}


@register_snippet
class Issuer(index.Indexed, models.Model):
    """An exam office, school or university that publishes disclosures."""

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=20, choices=IssuerLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("region_code"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "发布机构"
        verbose_name_plural = "发布机构"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": "上级机构不能是其自身。"})
        if _LEVEL_RANK[self.parent.level] >= _LEVEL_RANK[self.level]:
            raise ValidationError({"parent": "上级机构的层级必须高于本机构。"})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "上级机构不能形成循环。"})
            ancestor = ancestor.parent
