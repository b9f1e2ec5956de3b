"""The three kinds of import file (shared/docs/contracts.md, "Import files") as column lists.

A column has its code name (`key`, the entry model's field name), its canonical Chinese header,
the English alias accepted in files, whether it is required, its length cap (the database
column's), a specific validator, and whether it is a personal identifier. Column order here is
the canonical order: the order of `canonical_row` and of the hashes.

Headers match after normalisation: NFKC (full-width letters and spaces to ASCII), case-folded,
without spaces, underscores, hyphens or a trailing required-mark "*". So "考 生 号",
"Exam_Number", "exam number" and "姓名*" are all recognised.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import validators as v

__all__ = [
    "ADMISSION_RESULTS",
    "CANDIDATE_LIST",
    "KINDS",
    "QUOTA_PLAN",
    "Column",
    "HeaderError",
    "Schema",
    "UniqueRule",
    "get_schema",
    "normalise_header",
]

Validator = Callable[[str], str]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    alias: str
    required: bool = False
    max_length: int = 128
    check: Validator | None = None
    identifier: bool = False
    fast: str | None = None

    def validator(self, exam_number_pattern: str = v.DEFAULT_EXAM_NUMBER_PATTERN) -> Validator:
        """The full validator of a cell of this column: common checks, then the specific one."""
        check = self.check
        if check is v.exam_number:
            check = functools.partial(v.exam_number, pattern=exam_number_pattern)
        max_length, is_required = self.max_length, self.required

        def validate(value: str) -> str:
            value = v.clean_cell(value, max_length=max_length, is_required=is_required)
            if value and check is not None:
                value = check(value)
            return value

        return validate

    def fast_fragment(self, fast: str | None = None) -> str:
        """Regex fragment of the values this column accepts unchanged (see validators)."""
        fragment = fast or self.fast
        if fragment is None:
            return v.text_fast_fragment(self.max_length, self.required)
        return f"(?:{fragment})" if self.required else f"(?:{fragment})?"


@dataclass(frozen=True)
class UniqueRule:
    """Rows may not repeat this key. Each part is a tuple of column keys: the first non-empty."""

    parts: tuple[tuple[str, ...], ...]
    label: str

    @property
    def is_identifier(self) -> bool:
        return len(self.parts) == 1 and self.parts[0][0] in ("exam_number", "id_number")


class HeaderError(ValueError):
    """The header row does not fit the kind: every problem, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


_HEADER_NOISE = re.compile(r"[\s_\-*]+")


def normalise_header(text: str) -> str:
    """The form headers are compared in (see the module docstring)."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Schema:
    kind: str
    label: str
    columns: tuple[Column, ...]
    unique: tuple[UniqueRule, ...] = ()
    summaries: tuple[str, ...] = ()
    totals: tuple[str, ...] = ()
    _lookup: dict[str, Column] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for column in self.columns:
            for name in (column.header, column.alias):
                self._lookup[normalise_header(name)] = column

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def lookup(self, header: str) -> Column | None:
        """The column a header cell names, in Chinese or English, or None."""
        return self._lookup.get(normalise_header(header))

    def is_known_header(self, header: str) -> bool:
        return normalise_header(header) in self._lookup

    def map_headers(self, headers: Sequence[str]) -> list[Column | None]:
        """The column of each header cell (None for an empty one); HeaderError if they don't fit.

        Unknown, duplicated and missing required columns are all reported together.
        """
        mapped: list[Column | None] = []
        unknown: list[str] = []
        positions: dict[str, list[int]] = {}
        for position, header in enumerate(headers, start=1):
            text = header.strip(v.STRIP_CHARS)
            if not normalise_header(text):
                mapped.append(None)
                continue
            column = self.lookup(text)
            if column is None:
                unknown.append(text)
            else:
                positions.setdefault(column.key, []).append(position)
            mapped.append(column)
        problems = []
        if unknown:
            names = "、".join(_shorten(name) for name in unknown)
            allowed = "、".join(c.header for c in self.columns)
            problems.append(f"未知列：{names}（{self.label}可用的列：{allowed}）")
        for key, where in positions.items():
            if len(where) > 1:
                cols = "、".join(str(p) for p in where)
                problems.append(f"列重复：{self.column(key).header}（第 {cols} 列）")
        missing = [c.header for c in self.columns if c.required and c.key not in positions]
        if missing:
            problems.append(f"缺少必填列：{'、'.join(missing)}")
        if problems:
            raise HeaderError(problems)
        return mapped


def _shorten(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _text(key: str, header: str, alias: str, max_length: int, required: bool = False) -> Column:
    return Column(key, header, alias, required=required, max_length=max_length)


_EXAM_NUMBER = Column(
    "exam_number",
    "考生号",
    "exam_number",
    max_length=32,
    check=v.exam_number,
    identifier=True,
    fast=v.EXAM_NUMBER_FAST,
)
_ID_NUMBER = Column(
    "id_number",
    "身份证号",
    "id_number",
    max_length=32,
    check=v.id_number,
    identifier=True,
    fast=v.ID_NUMBER_FAST,
)
_REMARKS = _text("remarks", "备注", "remarks", 500)

CANDIDATE_LIST = Schema(
    kind="candidate_list",
    label="考生名单",
    columns=(
        _text("serial", "序号", "row", 16),
        _text("name", "姓名", "name", 64, required=True),
        Column("gender", "性别", "gender", max_length=8, check=v.gender, fast=v.GENDER_FAST),
        _EXAM_NUMBER,
        _ID_NUMBER,
        _text("school", "所在中学", "school", 128, required=True),
        _text("category", "照顾类别", "category", 128, required=True),
        _text("qualification", "资格条件", "qualification", 255),
        _text("test_item", "测试项目", "test_item", 128),
        _text("test_score", "测试成绩", "test_score", 64),
        _text("pass_standard", "合格标准", "pass_standard", 128),
        _text("institution", "拟录高校", "institution", 128),
        _text("major", "拟录专业", "major", 128),
        Column(
            "bonus_points",
            "加分分值",
            "bonus_points",
            max_length=16,
            check=v.bonus_points,
            fast=v.BONUS_POINTS_FAST,
        ),
        _REMARKS,
    ),
    unique=(
        UniqueRule((("exam_number",),), "考生号"),
        UniqueRule((("id_number",),), "身份证号"),
    ),
    summaries=("category",),
)

QUOTA_PLAN = Schema(
    kind="quota_plan",
    label="招生计划",
    columns=(
        _text("institution_code", "院校代码", "institution_code", 16, required=True),
        _text("institution", "院校名称", "institution", 128, required=True),
        _text("major_code", "专业代码", "major_code", 16),
        _text("major", "专业名称", "major", 128, required=True),
        _text("track", "科类", "track", 32, required=True),
        _text("batch", "批次", "batch", 32, required=True),
        Column(
            "places",
            "计划数",
            "places",
            required=True,
            max_length=16,
            check=v.places,
            fast=v.PLACES_FAST,
        ),
        _text("years", "学制", "years", 8),
        Column("tuition", "学费", "tuition", max_length=16, check=v.amount, fast=v.AMOUNT_FAST),
        _REMARKS,
    ),
    unique=(
        UniqueRule(
            (("institution_code",), ("major_code", "major"), ("track",), ("batch",)),
            "院校代码、专业（代码或名称）、科类、批次",
        ),
    ),
    summaries=("institution",),
    totals=("places",),
)

ADMISSION_RESULTS = Schema(
    kind="admission_results",
    label="录取结果",
    columns=(
        Column(
            "exam_number",
            "考生号",
            "exam_number",
            required=True,
            max_length=32,
            check=v.exam_number,
            identifier=True,
            fast=v.EXAM_NUMBER_FAST,
        ),
        _text("name", "姓名", "name", 64, required=True),
        _ID_NUMBER,
        _text("batch", "批次", "batch", 32, required=True),
        _text("track", "科类", "track", 32, required=True),
        _text("institution_code", "院校代码", "institution_code", 16, required=True),
        _text("institution", "院校名称", "institution", 128, required=True),
        _text("major", "专业名称", "major", 128, required=True),
    ),
    unique=(UniqueRule((("exam_number",),), "考生号"),),
    summaries=("institution",),
)

KINDS: dict[str, Schema] = {s.kind: s for s in (CANDIDATE_LIST, QUOTA_PLAN, ADMISSION_RESULTS)}


def get_schema(kind: str) -> Schema:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"未知的导入类型：{kind}（可用：{'、'.join(KINDS)}）") from None
