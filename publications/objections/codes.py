"""Tracking codes (查询码): 160 random bits, readable aloud, stored only as a hash.

A code is 32 characters of lower-case base32 (a-z, 2-7), shown in groups of four. Case,
spaces and dashes are ignored when it is typed back, so it can be dictated over the phone.
"""

import base64
import re
import secrets

CODE_BYTES = 20  # 160 bits
CODE_CHARS = 32
_CODE = re.compile(r"[a-z2-7]{32}")


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").lower()


def normalise_code(value: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one."""
    compact = re.sub(r"[\s\-]", "", value or "").lower()
    return compact if _CODE.fullmatch(compact) else None


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
