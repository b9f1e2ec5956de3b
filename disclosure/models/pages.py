"""Disclosure pages: one concrete base and a page type per kind of disclosure."""

import hashlib

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..validation import page_errors
from .datasets import Dataset, DatasetKind
from .issuers import Issuer

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class DisclosureKind(models.TextChoices):
    POLICY = "policy", "招生政策"
    QUOTA_PLAN = "quota_plan", "招生计划"
    CANDIDATE_LIST = "candidate_list", "考生资格名单"
    ADMISSION_RESULTS = "admission_results", "录取结果"
    NOTICE = "notice", "公告"


class CandidateListType(models.TextChoices):
    BONUS = "bonus", "加分照顾"
    RECOMMENDED = "recommended", "保送"
    SPECIAL_PLAN = "special_plan", "高校专项计划"
    SPORTS = "sports", "高水平运动队"
    ARTS = "arts", "艺术类"
    COMPREHENSIVE = "comprehensive", "综合评价"
    STRONG_BASE = "strong_base", "强基计划"
    OTHER = "other", "其他"


class NoticeType(models.TextChoices):
    CORRECTION = "correction", "更正"
    WITHDRAWAL = "withdrawal", "撤回"
    VIOLATION = "violation", "违规事件及处理结果"
    RECHECK = "recheck", "录取新生复查结果"
    OTHER = "other", "其他公告"


class DisclosurePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "disclosure.DisclosurePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class DisclosureIndexPage(Page):
    """Lists the disclosures below it, with filters (kind, year, level, issuer, status)."""

    intro = RichTextField("简介", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = [
        "disclosure.PolicyPage",
        "disclosure.QuotaPlanPage",
        "disclosure.CandidateListPage",
        "disclosure.AdmissionResultsPage",
        "disclosure.NoticePage",
    ]
    parent_page_types = ["sunshine.HomePage"]

    class Meta:
        verbose_name = "公示栏目"
        verbose_name_plural = "公示栏目"

    def get_context(self, request, *args, **kwargs):
        from disclosure.listing import filtered_disclosures

        context = super().get_context(request, *args, **kwargs)
        context.update(filtered_disclosures(self, request.GET))
        return context


class DisclosurePage(Page):
    """What every disclosure has: issuer, year, tags, summary and its publication window.

    The window fields are ruled on by `publications.rules.windows`; this model only holds them.
    """

    kind: str = ""
    dataset_kind: str | None = None

    issuer = models.ForeignKey(
        Issuer, verbose_name="发布机构", on_delete=models.PROTECT, related_name="disclosures"
    )
    admission_year = models.PositiveSmallIntegerField("招生年度")
    summary = models.TextField("摘要", blank=True, max_length=1000)
    body = RichTextField("正文", blank=True, features=RICH_TEXT_FEATURES)
    tags = ClusterTaggableManager("主题标签", through=DisclosurePageTag, blank=True)
    window_opens_at = models.DateTimeField("公示开始", null=True, blank=True)
    window_closes_at = models.DateTimeField("公示结束", null=True, blank=True)
    change_note = models.TextField(
        "更正说明", blank=True, help_text="更正时必填：向公众说明本次更改的内容与理由。"
    )
    # Set by actions, never by editors: a withdrawal notice's publication and the end of
    # retention. Not part of revisions; each is recorded in the ledger when it happens.
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True, editable=False)
    withdrawal_notice = models.ForeignKey(
        "disclosure.NoticePage",
        verbose_name="撤回公告",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retired_at = models.DateTimeField("保留期满撤下时间", null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("issuer"), FieldPanel("admission_year")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("window_opens_at"), FieldPanel("window_closes_at")],
            heading="公示期（北京时间）",
        ),
        FieldPanel("change_note"),
    ]
    # Go-live follows the window (set in clean); editors don't schedule by hand.
    settings_panels: list = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("admission_year"),
        index.FilterField("issuer"),
    ]
    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"

    def clean(self):
        super().clean()
        errors = {}
        if self.admission_year and not 2000 <= self.admission_year <= 2100:
            errors["admission_year"] = "招生年度应在2000至2100之间。"
        if (
            self.window_opens_at
            and self.window_closes_at
            and self.window_closes_at <= self.window_opens_at
        ):
            errors["window_closes_at"] = "公示结束时间必须晚于开始时间。"
        dataset = getattr(self, "dataset", None)
        if dataset is not None and dataset.kind != self.dataset_kind:
            errors["dataset"] = (
                f"数据集类型不符：此页面需要“{DatasetKind(self.dataset_kind).label}”。"
            )
        if errors:
            raise ValidationError(errors)
        # The window opens the disclosure: Wagtail's scheduled publishing follows it.
        self.go_live_at = self.window_opens_at
        registered = page_errors(self)
        if registered:
            raise ValidationError(registered)

    @property
    def kind_label(self) -> str:
        return DisclosureKind(self.kind).label if self.kind else ""


def dataset_field(kind: str) -> models.ForeignKey:
    return models.ForeignKey(
        Dataset,
        verbose_name="数据集",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": kind},
        help_text="在“导入数据”中上传表格后选择。更正名单请导入新的数据集。",
    )


class PolicyPage(DisclosurePage):
    """招生政策、招生章程、录取程序 …: rich text with attached documents and their hashes."""

    kind = DisclosureKind.POLICY
    content_panels = [*DisclosurePage.content_panels, InlinePanel("attachments", label="附件")]

    class Meta:
        verbose_name = "招生政策"
        verbose_name_plural = "招生政策"


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField("SHA-256", max_length=64, editable=False, blank=True)

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def save(self, *args, **kwargs):
        if self.document_id and not self.sha256:
            self.sha256 = file_sha256(self.document.file)
        super().save(*args, **kwargs)


def file_sha256(field_file) -> str:
    digest = hashlib.sha256()
    field_file.open("rb")
    try:
        for chunk in field_file.chunks():
            digest.update(chunk)
    finally:
        field_file.close()
    return digest.hexdigest()


class QuotaPlanPage(DisclosurePage):
    kind = DisclosureKind.QUOTA_PLAN
    dataset_kind = DatasetKind.QUOTA_PLAN
    dataset = dataset_field(DatasetKind.QUOTA_PLAN)
    content_panels = [*DisclosurePage.content_panels, FieldPanel("dataset")]

    class Meta:
        verbose_name = "招生计划"
        verbose_name_plural = "招生计划"

    def get_context(self, request, *args, **kwargs):
        from disclosure.presenters import quota_plan_context

        context = super().get_context(request, *args, **kwargs)
        context.update(quota_plan_context(self.dataset, request.GET))
        return context


class CandidateListPageForm(WagtailAdminPageForm):
    """Checks the chosen lower lists (逐级公示) against the issuer chosen in the same form."""

    def clean(self):
        from .chain import chain_errors

        cleaned = super().clean()
        formset = self.formsets.get("basis_lists")
        issuer = cleaned.get("issuer")
        if formset is None or issuer is None:
            return cleaned
        forms = [
            form
            for form in formset.forms
            if form.is_valid()
            and not (formset.can_delete and formset._should_delete_form(form))
            and form.cleaned_data.get("basis") is not None
        ]
        rows = []
        for form in forms:
            form.instance.basis = form.cleaned_data["basis"]
            rows.append(form.instance)
        page = self.instance
        facts_page = CandidateListPage(
            pk=page.pk,
            title=cleaned.get("title", page.title),
            admission_year=cleaned.get("admission_year"),
            list_type=cleaned.get("list_type", ""),
        )
        for position, message in chain_errors(facts_page, rows, issuer=issuer).items():
            forms[position].add_error("basis", message)
        # The chain was ruled on here with this form's own issuer; the model's clean, which
        # runs before the form's rows reach the page, need not rule on the stored rows again.
        page._basis_checked_by_form = True
        return cleaned


class CandidateListPage(DisclosurePage):
    kind = DisclosureKind.CANDIDATE_LIST
    dataset_kind = DatasetKind.CANDIDATE_LIST
    list_type = models.CharField("名单类型", max_length=20, choices=CandidateListType.choices)
    dataset = dataset_field(DatasetKind.CANDIDATE_LIST)
    content_panels = [
        *DisclosurePage.content_panels,
        FieldPanel("list_type"),
        FieldPanel("dataset"),
        InlinePanel(
            "basis_lists",
            label="所依据的下级名单",
            heading="逐级公示：所依据的下级名单",
            help_text="本名单以下级机构已公示的名单为依据时，在此选择；保存时记录其版本与哈希。",
        ),
    ]
    base_form_class = CandidateListPageForm

    class Meta:
        verbose_name = "考生资格名单"
        verbose_name_plural = "考生资格名单"

    def clean(self):
        super().clean()
        from .chain import chain_errors

        rows = [row for row in self.basis_lists.all() if row.basis_id is not None]
        # Drafts saved with save() are only minimally cleaned (Wagtail); save_revision() and
        # publishing clean fully, so no revision holds an unchecked or unpinned chain.
        if not getattr(self, "_basis_checked_by_form", False):
            errors = chain_errors(self, rows)
            if errors:
                raise ValidationError({NON_FIELD_ERRORS: list(errors.values())})
        self.pin_basis_lists()

    def save_revision(self, *args, **kwargs):
        # The admin saves some revisions with clean=False (its form has ruled already);
        # otherwise full_clean() rules on the chain first, then pins (see clean).
        if not kwargs.get("clean", True):
            self.pin_basis_lists()
        return super().save_revision(*args, **kwargs)

    def pin_basis_lists(self) -> None:
        """Pin newly chosen lower lists (ListBasis.pin); the rest keep what they pinned."""
        rows = list(self.basis_lists.all())
        if any(row.needs_pin for row in rows):
            for row in rows:
                if row.needs_pin:
                    row.pin()
            # Keep the pinned rows in memory: the revision is serialized from them.
            self.basis_lists = rows

    def get_context(self, request, *args, **kwargs):
        from disclosure.presenters import candidate_list_context, chain_context

        context = super().get_context(request, *args, **kwargs)
        context.update(candidate_list_context(self.dataset, request.GET))
        context.update(chain_context(self))
        return context


class AdmissionResultsPage(DisclosurePage):
    """Admission results: never listed; the public sees counts and uses the personal lookup."""

    kind = DisclosureKind.ADMISSION_RESULTS
    dataset_kind = DatasetKind.ADMISSION_RESULTS
    dataset = dataset_field(DatasetKind.ADMISSION_RESULTS)
    content_panels = [*DisclosurePage.content_panels, FieldPanel("dataset")]

    class Meta:
        verbose_name = "录取结果"
        verbose_name_plural = "录取结果"

    def get_context(self, request, *args, **kwargs):
        from disclosure.presenters import admission_results_context

        context = super().get_context(request, *args, **kwargs)
        context.update(admission_results_context(self.dataset))
        return context


class NoticePage(DisclosurePage):
    """Corrections, withdrawals, violations and how they were handled, re-check results."""

    kind = DisclosureKind.NOTICE
    notice_type = models.CharField("公告类型", max_length=20, choices=NoticeType.choices)
    target = models.ForeignKey(
        DisclosurePage,
        verbose_name="所涉公示",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    reason = models.TextField("理由", blank=True)
    content_panels = [
        *DisclosurePage.content_panels,
        FieldPanel("notice_type"),
        FieldPanel("target"),
        FieldPanel("reason"),
    ]

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = "公告"

    def clean(self):
        super().clean()
        if self.notice_type in (NoticeType.CORRECTION, NoticeType.WITHDRAWAL):
            errors = {}
            if not self.target_id:
                errors["target"] = "更正或撤回公告必须指明所涉公示。"
            if not self.reason.strip():
                errors["reason"] = "更正或撤回公告必须公开说明理由。"
            if errors:
                raise ValidationError(errors)


PAGE_MODELS_BY_KIND: dict[str, type[DisclosurePage]] = {
    DisclosureKind.POLICY: PolicyPage,
    DisclosureKind.QUOTA_PLAN: QuotaPlanPage,
    DisclosureKind.CANDIDATE_LIST: CandidateListPage,
    DisclosureKind.ADMISSION_RESULTS: AdmissionResultsPage,
    DisclosureKind.NOTICE: NoticePage,
}
