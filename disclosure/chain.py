"""Level-by-level disclosure (逐级公示): the rules of a list resting on lower lists.

Pure functions over plain data (no ORM, no clock), called by the page model, the admin form
and the public page alike:

- `basis_errors`: which lower lists a candidate list may rest on (the lists of issuers
  directly or transitively below its own issuer, published, of the same type and year);
- `compare_rows`: which rows were added or removed between the lower lists and the higher
  one, matching a row by the strongest identity both sides carry (the HMAC of the exam
  number, then of the ID number, else name + school). Identifiers never leave this module:
  the changes carry only what the public list shows.
"""

from dataclasses import dataclass, field

from . import hierarchy


@dataclass(frozen=True)
class ListFacts:
    """What the rules need to know of a candidate list."""

    pk: int | None
    title: str
    issuer_id: int
    issuer_name: str
    admission_year: int | None
    list_type: str
    list_type_label: str = ""
    published: bool = True


def basis_errors(
    page: ListFacts,
    bases: list[ListFacts],
    parents: dict[int, int | None],
    *,
    newly_chosen: set[int] | None = None,
) -> dict[int, str]:
    """Problems by position in `bases`; empty when the chain is sound.

    `newly_chosen` are the positions being chosen now: only they must be published at this
    moment (a lower list withdrawn after the higher one rested on it stays on the record,
    and the public page says so). `None` means every position is new.
    """
    errors: dict[int, str] = {}
    seen: set[int] = set()
    for position, basis in enumerate(bases):
        new = newly_chosen is None or position in newly_chosen
        if basis.pk is not None and basis.pk == page.pk:
            errors[position] = "名单不能以其自身为依据。"
        elif basis.pk in seen:
            errors[position] = f"同一下级名单只能选择一次：“{basis.title}”。"
        elif not hierarchy.is_below(parents, basis.issuer_id, page.issuer_id):
            errors[position] = (
                f"只能选择本机构下级机构发布的名单：“{basis.title}”由{basis.issuer_name}发布，"
                f"{basis.issuer_name}不是{page.issuer_name}的下级机构。"
            )
        elif new and not basis.published:
            errors[position] = f"只能选择已发布（且未撤下）的名单：“{basis.title}”不符合。"
        elif page.admission_year and basis.admission_year != page.admission_year:
            errors[position] = (
                f"所依据名单“{basis.title}”的招生年度（{basis.admission_year}年）"
                f"与本名单（{page.admission_year}年）不同。"
            )
        elif page.list_type and basis.list_type != page.list_type:
            errors[position] = (
                f"所依据名单“{basis.title}”的名单类型（{basis.list_type_label or basis.list_type}）"
                f"与本名单（{page.list_type_label or page.list_type}）不同。"
            )
        if basis.pk is not None:
            seen.add(basis.pk)
    return errors


@dataclass(frozen=True)
class Row:
    """A row of a candidate list: its identity (never shown) and what the public sees."""

    exam_hmac: str
    id_hmac: str
    name: str
    school: str
    shown: dict = field(default_factory=dict, compare=False, hash=False)
    source: int | None = None  # which lower list it came from (its page id)


@dataclass(frozen=True)
class RowChanges:
    added: list[Row]
    removed: list[Row]
    kept: int

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def _conflicts(a: Row, b: Row) -> bool:
    """Two rows with the same name and school are different people if an identifier differs."""
    return bool(
        (a.exam_hmac and b.exam_hmac and a.exam_hmac != b.exam_hmac)
        or (a.id_hmac and b.id_hmac and a.id_hmac != b.id_hmac)
    )


def compare_rows(higher: list[Row], lower: list[Row]) -> RowChanges:
    """Rows of `higher` not in `lower` (added) and of `lower` not in `higher` (removed)."""
    by_exam: dict[str, list[int]] = {}
    by_id: dict[str, list[int]] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(lower):
        if row.exam_hmac:
            by_exam.setdefault(row.exam_hmac, []).append(i)
        if row.id_hmac:
            by_id.setdefault(row.id_hmac, []).append(i)
        by_name.setdefault((row.name, row.school), []).append(i)
    matched: set[int] = set()

    def take(candidates: list[int], row: Row) -> bool:
        for i in candidates:
            if i not in matched and not _conflicts(row, lower[i]):
                matched.add(i)
                return True
        return False

    added = []
    for row in higher:
        if row.exam_hmac and take(by_exam.get(row.exam_hmac, []), row):
            continue
        if row.id_hmac and take(by_id.get(row.id_hmac, []), row):
            continue
        if take(by_name.get((row.name, row.school), []), row):
            continue
        added.append(row)
    removed = [row for i, row in enumerate(lower) if i not in matched]
    return RowChanges(added=added, removed=removed, kept=len(higher) - len(added))
