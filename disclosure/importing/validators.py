"""Cell validators: pure functions from a cell's text to its normalised value.

Every validator returns the normalised value or raises `CellError` with the reason in Chinese.
Reasons never repeat an identifier's value (exam numbers and ID numbers are personal data and
reports are shown and stored); other values may be quoted to help the editor find the cell.

`clean_cell` holds the checks every cell passes (surrounding spaces stripped, required,
length cap, control characters, formulas); the specific validators (`id_number`,
`exam_number`, `gender`, `bonus_points`, `places`, `amount`) take a cleaned, non-empty value
but strip it again, so they can be used on their own.

Each specific validator also has a `*_FAST` regular-expression fragment: the values it accepts
*unchanged*. The pipeline's fast path matches a whole row against these fragments at once and
falls back to the validators cell by cell when the row does not match, so the fragments must
stay strictly inside what the validators accept as-is (a test checks this).
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "BONUS_POINTS_MAX",
    "DEFAULT_EXAM_NUMBER_PATTERN",
    "FAST_SEPARATOR",
    "FORMULA_PREFIXES",
    "ID_TAILS",
    "PLACES_MAX",
    "STRIP_CHARS",
    "CellError",
    "amount",
    "bonus_points",
    "check_control_characters",
    "check_formula",
    "clean_cell",
    "exam_number",
    "exam_number_fast",
    "exam_number_regex",
    "gender",
    "id_number",
    "id_number_checker",
    "id_number_is_valid",
    "places",
    "required",
    "text_fast_fragment",
]


class CellError(ValueError):
    """A cell's value is refused; `reason` says why, in Chinese, for the editor."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Stripped from both ends of every cell: ASCII space, ideographic (full-width) space, NBSP.
# Tabs, CR and LF are not stripped: they are refused (leading tab/CR as a formula prefix,
# elsewhere as control characters), so no stored value ever carries them.
STRIP_CHARS = " \u3000\xa0"

# Characters that make spreadsheet programs treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = frozenset("=+-@\t\r")

# C0 and C1 controls, DEL, and invisible format characters that can disguise text:
# line/paragraph separators, bidirectional overrides and marks, zero-width characters, BOM.
_CONTROL_CLASS = (
    "\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
_CONTROL = re.compile(f"[{_CONTROL_CLASS}]")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")

REQUIRED_REASON = "必填，不能为空"
FORMULA_REASON = "疑似公式，不予接受（单元格不能以 = + - @ 开头，纯数字除外）"


def check_control_characters(value: str) -> str:
    """Refuse control characters and invisible format characters anywhere in the value."""
    found = _CONTROL.search(value)
    if found:
        raise CellError(f"含有控制字符或不可见字符（U+{ord(found.group()):04X}），不予接受")
    return value


def check_formula(value: str) -> str:
    """Refuse a value that a spreadsheet would run as a formula, unless it is a plain number.

    The system refuses formulas instead of storing them, so nothing stored can turn into a
    formula when the public downloads a list and opens it in Excel.
    """
    if value and value[0] in FORMULA_PREFIXES and not _PLAIN_NUMBER.fullmatch(value):
        raise CellError(FORMULA_REASON)
    return value


def required(value: str) -> str:
    """Refuse an empty (or blank) value."""
    if not value.strip(STRIP_CHARS):
        raise CellError(REQUIRED_REASON)
    return value


def clean_cell(value: str | None, *, max_length: int, is_required: bool = False) -> str:
    """The checks every cell passes. Returns the stripped value ("" for an empty optional cell)."""
    value = (value or "").strip(STRIP_CHARS)
    if not value:
        if is_required:
            raise CellError(REQUIRED_REASON)
        return ""
    check_control_characters(value)
    if len(value) > max_length:
        raise CellError(f"过长：最多 {max_length} 个字符（实为 {len(value)} 个）")
    check_formula(value)
    return value


def _quoted(value: str, limit: int = 12) -> str:
    """A short quotation of a (non-identifier) value for an error message."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return f"“{shown}”"


def _ascii(value: str) -> str:
    """Full-width digits and letters (typed with a Chinese IME) to ASCII; others unchanged."""
    value = value.strip(STRIP_CHARS)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value).strip()
    return value


# --- 身份证号: GB 11643-1999 ------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
# The sum of the weights is 100, so summing ASCII codes adds exactly 48 * 100.
_ID_ASCII_OFFSET = 48 * sum(_ID_WEIGHTS)
_ID_ASCII_OFFSET_14 = 48 * sum(_ID_WEIGHTS[:14])
ID_NUMBER_FAST = "[0-9]{17}[0-9X]"


def _id_check_digit(first17: bytes) -> str:
    total = sum(map(operator.mul, first17, _ID_WEIGHTS)) - _ID_ASCII_OFFSET
    return _ID_CHECK[total % 11]


@functools.lru_cache(maxsize=65536)
def _birth_date_is_valid(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if year < 1900:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def id_number_is_valid(value: str) -> bool:
    """True for a canonical ID number (18 characters, upper-case X) with valid date and check."""
    return (
        len(value) == 18
        and _ID_SHAPE.fullmatch(value) is not None
        and _birth_date_is_valid(value[6:14])
        and _id_check_digit(value[:17].encode("ascii")) == value[17]
    )


# The last four characters (sequence and check digit) → the residue mod 11 that the weighted
# sum of the first fourteen must have for the check digit to be right.
ID_TAILS = {
    f"{i:03d}{check}": (
        residue - sum(int(d) * w for d, w in zip(f"{i:03d}", _ID_WEIGHTS[14:], strict=True))
    )
    % 11
    for i in range(1000)
    for residue, check in enumerate(_ID_CHECK)
}


def id_number_checker(cache_size: int = 200_000) -> Callable[[str], bool]:
    """`id_number_is_valid` for bulk use, per import (so its cache goes with it).

    The first 14 characters (region and birth date: few distinct values in a province) map,
    cached in `is_valid.prefixes`, to their weighted sum mod 11 (-1 when not digits or not a
    date); a value is valid when that equals `ID_TAILS[last four]`."""
    prefixes: dict[str, int] = {}
    tails = ID_TAILS

    def is_valid(value: str) -> bool:
        if len(value) != 18:
            return False
        prefix = value[:14]
        residue = prefixes.get(prefix)
        if residue is None:
            if len(prefixes) >= cache_size:
                prefixes.clear()
            residue = -1
            if prefix.isascii() and prefix.isdigit() and _birth_date_is_valid(prefix[6:]):
                residue = sum(map(operator.mul, prefix.encode("ascii"), _ID_WEIGHTS)) % 11
                residue = (residue - _ID_ASCII_OFFSET_14) % 11
            prefixes[prefix] = residue
        return residue == tails.get(value[14:])

    is_valid.prefixes = prefixes  # type: ignore[attr-defined]  # the pipeline inlines the lookup
    return is_valid


def id_number(value: str) -> str:
    """A resident ID number (GB 11643-1999): 17 digits and a check digit (0-9 or X).

    Normalised to upper-case X. The birth date (positions 7-14) must be a real date from 1900
    on. The reasons never quote the number.
    """
    value = _ascii(value).upper()
    if len(value) != 18:
        raise CellError(f"应为 18 位（实为 {len(value)} 位）")
    if not _ID_SHAPE.fullmatch(value):
        raise CellError("格式不正确：前 17 位应为数字，末位应为数字或 X")
    if not _birth_date_is_valid(value[6:14]):
        raise CellError("其中的出生日期无效")
    if _id_check_digit(value[:17].encode("ascii")) != value[17]:
        raise CellError("校验位错误（不符合 GB 11643-1999）")
    return value


# --- 考生号 -----------------------------------------------------------------------------

DEFAULT_EXAM_NUMBER_PATTERN = r"\d{14}"
EXAM_NUMBER_FAST = "[0-9A-Z]{1,32}"


@functools.lru_cache(maxsize=32)
def exam_number_regex(pattern: str) -> re.Pattern[str]:
    """The configured exam-number pattern, compiled ASCII-only (so \\d means 0-9)."""
    return re.compile(pattern, re.ASCII)


def _describe_pattern(pattern: str) -> str:
    found = re.fullmatch(r"\\d\{(\d+)\}|\[0-9\]\{(\d+)\}", pattern)
    if found:
        return f"应为 {found.group(1) or found.group(2)} 位数字"
    return f"应符合格式 {pattern}"


def exam_number(value: str, pattern: str = DEFAULT_EXAM_NUMBER_PATTERN) -> str:
    """An exam number (考生号) matching `pattern` in full (default: 14 digits). Upper-cased."""
    value = _ascii(value).upper()
    if len(value) > 32 or not exam_number_regex(pattern).fullmatch(value):
        raise CellError(f"格式不正确：{_describe_pattern(pattern)}")
    return value


# --- 性别 -------------------------------------------------------------------------------

GENDER_FAST = "[男女]"


def gender(value: str) -> str:
    """男 or 女, nothing else (no M/F: the lists are in Chinese)."""
    value = value.strip(STRIP_CHARS)
    if value not in ("男", "女"):
        raise CellError(f"应为“男”或“女”（实为{_quoted(value)}）")
    return value


# --- numbers ----------------------------------------------------------------------------

_DECIMAL = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]*))?")

# No national bonus item above 20 points was found (the 2015 reform capped national items
# at 20; provincial items are usually 5-20). 50 leaves room for provincial rules while
# catching slips such as 500 for 5.0. A setting, if a province ever needs more.
BONUS_POINTS_MAX = 50
BONUS_POINTS_FAST = "(?:[0-9]|[1-4][0-9])(?:\\.[1-9])?|50"

PLACES_MAX = 100_000
PLACES_FAST = "0|[1-9][0-9]{0,4}"

AMOUNT_MAX = 1_000_000
AMOUNT_FAST = "0|[1-9][0-9]{0,5}"


def _decimal(value: str) -> tuple[str, str, str]:
    """(sign, integer digits without leading zeros, fraction digits without trailing zeros)."""
    text = _ascii(value)
    found = _DECIMAL.fullmatch(text)
    if not found:
        raise CellError(f"应为数字（实为{_quoted(value.strip(STRIP_CHARS))}）")
    sign, whole, fraction = found.groups()
    whole = whole.lstrip("0") or "0"
    fraction = (fraction or "").rstrip("0")
    if sign == "-" and (whole != "0" or fraction):
        raise CellError("不能为负数")
    return sign, whole, fraction


def bonus_points(value: str) -> str:
    """Bonus points (加分分值): a number from 0 to BONUS_POINTS_MAX, at most one decimal place.

    Normalised without leading zeros or trailing decimal zeros: "05" → "5", "7.50" → "7.5".
    """
    _, whole, fraction = _decimal(value)
    if len(fraction) > 1:
        raise CellError("最多保留一位小数")
    if (
        len(whole) > 3
        or int(whole) > BONUS_POINTS_MAX
        or (int(whole) == BONUS_POINTS_MAX and fraction)
    ):
        raise CellError(f"超过上限（最多 {BONUS_POINTS_MAX} 分）")
    return f"{whole}.{fraction}" if fraction else whole


def places(value: str) -> str:
    """A number of places (计划数): an integer from 0 to PLACES_MAX. "22.0" is accepted as 22."""
    _, whole, fraction = _decimal(value)
    if fraction:
        raise CellError("应为整数")
    if len(whole) > 6 or int(whole) > PLACES_MAX:
        raise CellError(f"超过上限（最多 {PLACES_MAX}）")
    return whole


def amount(value: str) -> str:
    """An amount of money in yuan (学费): from 0 to AMOUNT_MAX, at most two decimal places."""
    _, whole, fraction = _decimal(value)
    if len(fraction) > 2:
        raise CellError("最多保留两位小数")
    if len(whole) > 7 or int(whole) > AMOUNT_MAX or (int(whole) == AMOUNT_MAX and fraction):
        raise CellError(f"超过上限（最多 {AMOUNT_MAX} 元）")
    return f"{whole}.{fraction}" if fraction else whole


# --- the fast path's fragments ----------------------------------------------------------

# The pipeline joins a row's cells with FAST_SEPARATOR and, if the text `isprintable()` (so
# it has no control, format or non-ASCII space character), matches it against the columns'
# fragments joined by the same separator. No fragment may match the separator, so a match
# aligns with the cells. U+FFFD (the replacement character) is also what a cell could only
# contain after a decoding accident: nothing is lost by sending such rows the slow way.
FAST_SEPARATOR = "\ufffd"


def text_fast_fragment(max_length: int, is_required: bool) -> str:
    """Free text that `clean_cell` accepts unchanged: no surrounding space, no formula."""
    low = 1 if is_required else 0
    return f"(?![ =+\\-@])[^{FAST_SEPARATOR}]{{{low},{max_length}}}(?<! )"


_SIMPLE_DIGITS = re.compile(r"(?:\\d|\[0-9\])\{(\d+)(?:,(\d+))?\}")


def exam_number_fast(pattern: str) -> tuple[str, bool]:
    """The exam number's fragment, and whether `exam_number_regex(pattern)` must still run.

    A pattern of the form \\d{n} or \\d{m,n} is exactly a fragment; any other pattern is
    checked separately on shapes that the fragment lets through.
    """
    found = _SIMPLE_DIGITS.fullmatch(pattern)
    if found and int(found.group(2) or found.group(1)) <= 32:
        return f"[0-9]{{{found.group(1)}{',' + found.group(2) if found.group(2) else ''}}}", False
    return EXAM_NUMBER_FAST, True
