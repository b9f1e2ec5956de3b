"""Pure checks of what an objector types and uploads; every refusal is a Chinese sentence.

No database here: each function takes a value and returns its normal form or raises
`InputError` with the message to show next to the field.
"""

import re
import unicodedata
from dataclasses import dataclass


class InputError(ValueError):
    """A value the public typed that cannot be accepted; `str(error)` is the message."""


NAME_MAX_CHARS = 50
CONTENT_MAX_CHARS = 5000

_SEPARATORS = re.compile(r"[\s\-()（）]")
_COUNTRY = r"(?:\+86|0086|86)"
_MOBILE = re.compile(rf"{_COUNTRY}?(1[3-9]\d{{9}})")
# Area codes: 010, 02x (three digits), 03xx-09xx (four). Local numbers: 7-8 digits, not 0 or 1.
_LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})(?:(?:转|ext\.?|#)(\d{1,6}))?")
_LANDLINE_INTL = re.compile(
    rf"{_COUNTRY}((?:10|2\d|[3-9]\d{{2}}))([2-9]\d{{6,7}})(?:(?:转|ext\.?|#)(\d{{1,6}}))?"
)


def _has_control(value: str, allowed: str = "") -> bool:
    # Cc: control characters; Cf: invisible format characters (zero-width, bidi overrides).
    return any(unicodedata.category(c) in ("Cc", "Cf") and c not in allowed for c in value)


def normalise_name(value: str) -> str:
    """A real name: required, at most NAME_MAX_CHARS, no control or invisible characters."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    if not value:
        raise InputError("请填写真实姓名（单位提出异议的，填写单位名称及联系人）。")
    if _has_control(value):
        raise InputError("姓名含有不可见的控制字符，请重新输入。")
    if len(value) > NAME_MAX_CHARS:
        raise InputError(f"姓名不能超过{NAME_MAX_CHARS}个字符。")
    return re.sub(r"\s+", " ", value)


def normalise_phone(value: str) -> str:
    """A Chinese mobile (13812345678) or landline with area code (0371-65432100, 转 extension).

    Full-width digits, spaces, dashes, brackets and a +86/0086 prefix are accepted.
    """
    raw = unicodedata.normalize("NFKC", value or "").strip()
    if not raw:
        raise InputError("请填写联系电话。")
    compact = _SEPARATORS.sub("", raw).lower()
    if match := _MOBILE.fullmatch(compact):
        return match.group(1)
    match = _LANDLINE.fullmatch(compact) or _LANDLINE_INTL.fullmatch(compact)
    if match:
        area, local, extension = match.groups()
        area = area if area.startswith("0") else "0" + area
        number = f"{area}-{local}"
        return f"{number}转{extension}" if extension else number
    raise InputError(_PHONE_FORMAT)


_PHONE_FORMAT = (
    "联系电话格式不正确：请填写11位手机号码（如13812345678），"
    "或带区号的固定电话（如0371-65432100）。"
)


def normalise_content(value: str, min_chars: int, max_chars: int = CONTENT_MAX_CHARS) -> str:
    """The objection itself: specific (at least `min_chars` non-blank characters), bounded."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if _has_control(value, allowed="\n\t"):
        raise InputError("异议内容含有不可见的控制字符，请删除后重新提交。")
    substantive = len(re.sub(r"\s", "", value))
    if substantive < min_chars:
        raise InputError(
            f"异议内容须真实、具体、明确，至少{min_chars}个字"
            f"（不含空格），目前{substantive}个字。请写明所涉考生或事项、具体问题及依据。"
        )
    if len(value) > max_chars:
        raise InputError(f"异议内容不能超过{max_chars}个字，目前{len(value)}个字。")
    return value


@dataclass(frozen=True)
class AttachmentType:
    content_type: str
    extension: str
    label: str


PDF = AttachmentType("application/pdf", "pdf", "PDF")
JPEG = AttachmentType("image/jpeg", "jpg", "JPEG")
PNG = AttachmentType("image/png", "png", "PNG")
EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG}


def sniff(head: bytes) -> AttachmentType | None:
    """The type the bytes say, from their magic number; None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def check_attachment(filename: str, size: int, head: bytes, max_bytes: int) -> AttachmentType:
    """An attachment is a PDF, JPEG or PNG by its bytes and its name alike, within the cap."""
    if size > max_bytes:
        raise InputError(
            f"附件不能超过{_megabytes(max_bytes)}，该文件为{_megabytes(size)}。"
            "如材料较多，请通过举报信箱或通讯地址提交。"
        )
    if size == 0:
        raise InputError("附件是空文件，请重新选择。")
    detected = sniff(head)
    if detected is None:
        raise InputError("附件只接受PDF、JPEG或PNG文件：该文件的内容不是其中任何一种。")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if EXTENSIONS.get(extension) != detected:
        raise InputError(
            f"附件的文件名与内容不符：内容是{detected.label}，"
            f"文件名应以 .{detected.extension} 结尾。"
        )
    return detected


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
