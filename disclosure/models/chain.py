"""Level-by-level disclosure (逐级公示): a candidate list resting on lower lists.

A `ListBasis` row says "this list rests on that lower list" and pins what it rested on: the
lower list's dataset (immutable, so its rows can be compared for ever), that dataset's public
SHA-256, and the version and content hash the ledger recorded for the lower list when it was
chosen. The rows are an inline of the higher page, so they are saved in its revisions: the
approvers approve one exact chain, and the published version keeps it.

The ledger belongs to `publications`, which `disclosure` does not import: `publications`
registers the reader of a page's live ledger version here (`register_version_reader`).
"""

from collections.abc import Callable

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from .. import chain
from .issuers import tree_parents

# (page id) -> (version number, content SHA-256) of its live version, or None if not recorded.
VersionReader = Callable[[int], tuple[int, str] | None]
_version_readers: list[VersionReader] = []


def register_version_reader(reader: VersionReader) -> None:
    if reader not in _version_readers:
        _version_readers.append(reader)


def live_version(page_id: int) -> tuple[int, str] | None:
    for reader in _version_readers:
        found = reader(page_id)
        if found is not None:
            return found
    return None


def is_published(page) -> bool:
    """Published and still up: live, first published, neither withdrawn nor retired."""
    return bool(
        page.live
        and page.first_published_at is not None
        and page.withdrawn_at is None
        and page.retired_at is None
    )


def list_facts(page, issuer=None) -> chain.ListFacts:
    issuer = issuer or page.issuer
    return chain.ListFacts(
        pk=page.pk,
        title=page.title,
        issuer_id=issuer.pk,
        issuer_name=issuer.name,
        admission_year=page.admission_year,
        list_type=page.list_type,
        list_type_label=page.get_list_type_display() if page.list_type else "",
        published=is_published(page),
    )


class ListBasis(Orderable):
    """One lower list a candidate list rests on (逐级公示的下级名单), with what it pinned."""

    page = ParentalKey(
        "disclosure.CandidateListPage", related_name="basis_lists", on_delete=models.CASCADE
    )
    basis = models.ForeignKey(
        "disclosure.CandidateListPage",
        verbose_name="所依据的下级名单",
        on_delete=models.PROTECT,
        related_name="cited_by",
        help_text="只能选择本机构下级机构已发布的同类型、同年度名单。",
    )
    # Pinned when the lower list is chosen; never edited by hand.
    pinned_basis_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    basis_dataset = models.ForeignKey(
        "disclosure.Dataset",
        verbose_name="所依据的数据集",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dataset_sha256 = models.CharField(
        "所依据数据集的公开内容哈希（SHA-256）", max_length=64, blank=True, editable=False
    )
    basis_version = models.PositiveIntegerField(
        "所依据的版本", null=True, blank=True, editable=False
    )
    basis_content_sha256 = models.CharField(
        "所依据版本的内容哈希（SHA-256）", max_length=64, blank=True, editable=False
    )

    panels = [FieldPanel("basis")]

    class Meta(Orderable.Meta):
        verbose_name = "下级名单"
        verbose_name_plural = "下级名单"

    def __str__(self) -> str:
        return f"依据：{self.basis}"

    @property
    def needs_pin(self) -> bool:
        return self.basis_id is not None and self.pinned_basis_id != self.basis_id

    def pin(self) -> None:
        """Record what the lower list is now: its dataset, hashes and ledger version."""
        basis = self.basis
        self.pinned_basis_id = basis.pk
        self.basis_dataset_id = basis.dataset_id
        self.dataset_sha256 = basis.dataset.public_sha256 if basis.dataset_id else ""
        version = live_version(basis.pk)
        self.basis_version, self.basis_content_sha256 = version if version else (None, "")


def chain_errors(page, rows, *, issuer=None) -> dict[int, str]:
    """The rule of `disclosure.chain.basis_errors` for `rows` of `page` (each with a basis),
    read from the database; problems by position in `rows`."""
    if not rows or (issuer or getattr(page, "issuer", None)) is None:
        return {}
    from .pages import CandidateListPage

    bases = CandidateListPage.objects.select_related("issuer").in_bulk(
        {row.basis_id for row in rows}
    )
    facts = [list_facts(bases[row.basis_id]) for row in rows]
    newly = {i for i, row in enumerate(rows) if row.needs_pin}
    return chain.basis_errors(list_facts(page, issuer), facts, tree_parents(), newly_chosen=newly)
