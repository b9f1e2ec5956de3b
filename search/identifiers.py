"""Adapter to the import pipeline's identifier HMAC (disclosure/importing/identifiers.py).

The lookup must hash a typed exam number exactly as the importer hashed the stored one. Until
the import pipeline is merged, this module carries a copy of its version-1 message format; once
`disclosure.importing.identifiers` exists, it is used instead, so there is one definition.
"""

import hashlib
import hmac
import unicodedata

from django.conf import settings

try:  # pragma: no cover - depends on what is merged
    from disclosure.importing.identifiers import hmac_identifier as _hmac_identifier
except ImportError:  # pragma: no cover
    _hmac_identifier = None

_DOMAIN = b"sunshine/identifier/v1\x00"
_STRIP = " \u3000\xa0\t\r\n"


def _normalise(value: str) -> str:
    value = value.strip(_STRIP)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value).strip(_STRIP)
    return value.upper()


def _fallback_hmac(key: bytes, field: str, value: str) -> str:
    message = _DOMAIN + field.encode("ascii") + b"\x00" + _normalise(value).encode("utf-8")
    return hmac.digest(key, message, hashlib.sha256).hex()


def hmac_identifier(key: bytes, field: str, value: str) -> str:
    if _hmac_identifier is not None:
        return _hmac_identifier(key, field, value)
    return _fallback_hmac(key, field, value)


def exam_number_hmac(exam_number: str) -> str:
    return hmac_identifier(settings.IDENTIFIER_HMAC_KEY.encode(), "exam_number", exam_number)
