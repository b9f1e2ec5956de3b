"""What is disclosed. See the package docstring for the dependency rule."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .. import hierarchy


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
    # For the open-data validators (Last-Modified of /api/v1/issuers/), never edited by hand.
    updated_at = models.DateTimeField("更新时间", auto_now=True)

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

    def save(self, *args, **kwargs):
        """Every save path (the snippet admin, the API, code) refuses a cycle, not only forms."""
        if self.parent_id is not None and (
            self.parent_id == self.pk
            or (
                self.pk is not None
                and hierarchy.would_cycle(tree_parents(), self.pk, self.parent_id)
            )
        ):
            raise ValidationError({"parent": "上级机构不能是其自身或其下级机构（不能形成循环）。"})
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                errors["parent"] = "上级机构不能是其自身。"
            elif self.pk is not None and hierarchy.would_cycle(
                tree_parents(), self.pk, self.parent_id
            ):
                errors["parent"] = "上级机构不能是本机构的下级机构（不能形成循环）。"
            elif self.level in _LEVEL_RANK and (
                _LEVEL_RANK[self.parent.level] >= _LEVEL_RANK[self.level]
            ):
                errors["parent"] = "上级机构的层级必须高于本机构。"
        if self.pk is not None and self.level in _LEVEL_RANK:
            # Changing the level must keep every child below it.
            for child in Issuer.objects.filter(parent_id=self.pk).exclude(pk=self.pk):
                if _LEVEL_RANK[child.level] <= _LEVEL_RANK[self.level]:
                    errors["level"] = (
                        f"下级机构“{child.name}”（{child.get_level_display()}）的层级"
                        f"须低于本机构，不能把本机构改为“{self.get_level_display()}”。"
                    )
                    break
        if errors:
            raise ValidationError(errors)

    def subtree_ids(self) -> set[int]:
        """This issuer and every issuer below it."""
        return issuer_subtree_ids(self.pk)

    def ancestors(self) -> list["Issuer"]:
        """The issuers above this one, nearest first."""
        ids = hierarchy.ancestors(tree_parents(), self.pk)
        by_pk = Issuer.objects.in_bulk(ids)
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def is_below(self, other: "Issuer") -> bool:
        """Is this issuer directly or transitively below `other`?"""
        return hierarchy.is_below(tree_parents(), self.pk, other.pk)


def tree_parents() -> dict[int, int | None]:
    """The whole issuer tree in one query: id → parent id."""
    return dict(Issuer.objects.values_list("pk", "parent_id"))


def issuer_subtree_ids(root: int) -> set[int]:
    return hierarchy.subtree(Issuer.objects.values_list("pk", "parent_id"), root)
