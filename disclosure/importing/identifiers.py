"""Personal identifiers (考生号, 身份证号): keyed hashes for exact matching, masks for display.

Clear identifiers never leave the import pipeline. What is kept is:

- an HMAC-SHA256 under a key of its own (`IDENTIFIER_HMAC_KEY`, not `SECRET_KEY`), domain-
  separated by field, so the same digits as an exam number and as an ID number never share a
  hash, and a leaked table cannot be matched against another system's hashes;
- a mask that shows too little to identify anyone, only enough for a candidate to recognise
  their own row among namesakes:

  - exam number: first 4 and last 2 characters (``2541********01``). The first 4 are the
    year and province, the same for everyone on a provincial list; the last 2 leave one
    chance in a hundred.
  - ID number: first 3 and last 1 characters (``410**************X``). The first 3 name a
    province and a group of prefectures; the last is the check digit. Birth date, county
    and the sequence number (whose parity is the sex) stay hidden.

Message format (version 1), UTF-8::

    HMAC-SHA256(key, b"sunshine/identifier/v1\\0" + field + b"\\0" + normalised value)

The normalised value is NFKC (full-width digits become ASCII), stripped, upper-case (x → X).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable
from typing import Any

__all__ = [
    "IDENTIFIER_FIELDS",
    "IdentifierHasher",
    "hmac_identifier",
    "mask_exam_number",
    "mask_id_number",
    "matches",
    "normalise_identifier",
]

IDENTIFIER_FIELDS = ("exam_number", "id_number")
MIN_KEY_BYTES = 16
_DOMAIN = b"sunshine/identifier/v1\x00"
_STRIP = " \u3000\xa0\t\r\n"


def normalise_identifier(value: str) -> str:
    """The form identifiers are hashed in: NFKC, stripped, upper-case."""
    value = value.strip(_STRIP)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value).strip(_STRIP)
    return value.upper()


def _message_prefix(field: str) -> bytes:
    if field not in IDENTIFIER_FIELDS:
        raise ValueError(f"unknown identifier field {field!r}; expected one of {IDENTIFIER_FIELDS}")
    return _DOMAIN + field.encode("ascii") + b"\x00"


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the identifier HMAC key must be at least {MIN_KEY_BYTES} bytes")


def hmac_identifier(key: bytes, field: str, value: str) -> str:
    """HMAC-SHA256 (hex, 64 characters) of a normalised identifier, domain-separated by field."""
    _check_key(key)
    message = _message_prefix(field) + normalise_identifier(value).encode("utf-8")
    return hmac.digest(bytes(key), message, "sha256").hex()


def matches(key: bytes, field: str, value: str, stored_hmac: str) -> bool:
    """Whether `value` is the identifier behind `stored_hmac`, compared in constant time."""
    if not isinstance(stored_hmac, str) or not stored_hmac.isascii():
        return False
    if not normalise_identifier(value):
        return False
    return hmac.compare_digest(hmac_identifier(key, field, value), stored_hmac.lower())


class IdentifierHasher:
    """`hmac_identifier` for one key and field, about three times faster, for bulk imports.

    The inner and outer SHA-256 states (key XOR ipad / opad, RFC 2104) are computed once, with
    the field's message prefix already absorbed; each value then costs two state copies.
    `digest` takes an already-normalised value (the validators produce that form).
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes, field: str) -> None:
        _check_key(key)
        key = bytes(key)
        if len(key) > 64:  # SHA-256 block size
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\x00")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._inner.update(_message_prefix(field))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(self, normalised_value: str) -> bytes:
        inner = self._inner.copy()
        inner.update(normalised_value.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    @property
    def states(self) -> tuple[Callable[[], Any], Callable[[], Any]]:
        """The `copy` methods of the inner and outer states, for callers that inline `digest`."""
        return self._inner.copy, self._outer.copy

    def hexdigest(self, normalised_value: str) -> str:
        return self.digest(normalised_value).hex()


def mask_exam_number(value: str) -> str:
    """First 4 and last 2 characters of an exam number; shorter numbers show less."""
    value = normalise_identifier(value)
    n = len(value)
    if n >= 10:
        return value[:4] + "*" * (n - 6) + value[-2:]
    if n >= 6:
        return "*" * (n - 2) + value[-2:]
    return "*" * n


def mask_id_number(value: str) -> str:
    """First 3 and last 1 characters of an ID number; anything shorter than 15 is all stars."""
    value = normalise_identifier(value)
    n = len(value)
    if n >= 15:
        return value[:3] + "*" * (n - 4) + value[-1:]
    return "*" * n
