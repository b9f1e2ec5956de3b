"""Who belongs to which issuer, and who reviews and decides for it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from disclosure.models import Issuer, IssuerLevel


class IssuerMembership(models.Model):
    """An account belongs to an issuer: its roles (Django groups) hold there and below."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="issuer_memberships",
    )
    issuer = models.ForeignKey(
        Issuer, verbose_name="所属机构", on_delete=models.CASCADE, related_name="memberships"
    )
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "机构成员"
        verbose_name_plural = "机构成员"
        ordering = ["issuer__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "issuer"], name="one_membership_per_issuer")
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.issuer.name}）"


class ReviewBoard(models.Model):
    """审批组: for one issuer, or by default for every issuer of a level, who reviews
    (初审), who sits on the committee (集体审定) and the committee's quorum.

    Empty lists mean "every member of the publishing issuer holding the role"; an empty
    quorum means the workflow task's own. Either way an approval counts only from members
    of the issuer that publishes.
    """

    issuer = models.OneToOneField(
        Issuer,
        verbose_name="机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_board",
    )
    level = models.CharField(
        "层级默认",
        max_length=20,
        choices=IssuerLevel.choices,
        blank=True,
        help_text="不指定机构时，作为该层级所有机构的默认审批组。",
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="初审人员", blank=True, related_name="+"
    )
    committee = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="集体审定委员", blank=True, related_name="+"
    )
    quorum = models.PositiveSmallIntegerField(
        "通过所需人数", null=True, blank=True, help_text="留空则按审批流程中集体审定任务的设置。"
    )

    class Meta:
        verbose_name = "审批组"
        verbose_name_plural = "审批组"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(issuer__isnull=False) & models.Q(level=""))
                | (models.Q(issuer__isnull=True) & ~models.Q(level="")),
                name="review_board_for_an_issuer_or_a_level",
            ),
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(issuer__isnull=True),
                name="one_default_board_per_level",
            ),
        ]

    def __str__(self) -> str:
        if self.issuer_id:
            return f"{self.issuer.name}审批组"
        return f"{self.get_level_display()}默认审批组"

    def clean(self):
        if bool(self.issuer_id) == bool(self.level):
            raise ValidationError("请指定机构或层级（二选一）。")
        if self.quorum is not None and self.quorum < 1:
            raise ValidationError({"quorum": "通过所需人数至少为1。"})
        if (
            self.level
            and ReviewBoard.objects.filter(issuer__isnull=True, level=self.level)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"level": "该层级已有默认审批组。"})


class UploadIssuer(models.Model):
    """The issuer an import upload (and so the dataset it makes) was made for."""

    job = models.OneToOneField(
        "disclosure.ImportJob",
        verbose_name="导入任务",
        on_delete=models.CASCADE,
        related_name="upload_issuer",
    )
    issuer = models.ForeignKey(
        Issuer, verbose_name="发布机构", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "导入所属机构"
        verbose_name_plural = "导入所属机构"

    def __str__(self) -> str:
        return f"{self.job_id} → {self.issuer.name}"
