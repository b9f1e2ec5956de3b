"""The exact bytes the ledger hashes, and the one timestamp form it uses.

``canonical_json`` is Python's ``json.dumps`` with fixed options, after a check
that the value holds only types whose JSON text is the same in every language:

- objects (``dict``) with string keys, written with keys sorted by code point;
- arrays (``list`` or ``tuple``), in order;
- strings, written as UTF-8; only ``"``, ``\\`` and U+0000..U+001F are
  escaped (``\\b \\f \\n \\r \\t`` or ``\\u00xx`` in lower-case hex);
- integers from -(2**53 - 1) to 2**53 - 1 (safe in JavaScript too);
- ``true``, ``false``, ``null``;
- no whitespace: separators are ``,`` and ``:``.

Floats, ``Decimal`` and ``NaN``/``Infinity`` are refused: pass amounts as
strings. Datetimes are refused: pass ``utc_timestamp(moment)``. Bytes are
refused: pass hex. For ASCII keys this is byte for byte RFC 8785 (JCS).
"""

import hashlib
import json
import re
from datetime import UTC, datetime

MAX_SAFE_INTEGER = 2**53 - 1

_UTC_TIMESTAMP = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})T(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]{1,6}))?Z"
)


def canonical_json(obj: object) -> bytes:
    """Serialise ``obj`` to canonical JSON bytes (UTF-8); see the module docstring.

    Raises TypeError for a type outside the canonical set, ValueError for an
    integer outside the safe range or a string holding a lone surrogate.
    """
    _check_canonical(obj, "$")
    text = json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lower-case hex characters."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"sha256_hex needs bytes, not {type(data).__name__}")
    return hashlib.sha256(data).hexdigest()


def utc_timestamp(moment: datetime) -> str:
    """The ledger's one timestamp form: ``2026-06-01T08:00:00.000000Z``.

    Always UTC, always six fractional digits, always ``Z``. A naive datetime
    is refused, since its zone is a guess.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("utc_timestamp needs a timezone-aware datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def is_utc_timestamp(text: object) -> bool:
    """True for an RFC 3339 UTC timestamp ending in ``Z`` with a real date and time.

    Accepted: ``YYYY-MM-DDTHH:MM:SSZ`` with an optional fraction of 1 to 6
    digits. Offsets other than ``Z``, lower-case ``t``/``z``, leap seconds and
    non-ASCII digits are refused.
    """
    if not isinstance(text, str):
        return False
    match = _UTC_TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    try:
        datetime.strptime(f"{match['date']}T{match['time']}", "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def _check_canonical(obj: object, path: str) -> None:
    if obj is None or isinstance(obj, bool):
        return
    if isinstance(obj, int):
        if not -MAX_SAFE_INTEGER <= obj <= MAX_SAFE_INTEGER:
            raise ValueError(f"{path}: integer outside ±(2**53 - 1) is not canonical")
        return
    if isinstance(obj, str):
        _check_text(obj, path)
        return
    if isinstance(obj, list | tuple):
        for position, item in enumerate(obj):
            _check_canonical(item, f"{path}[{position}]")
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: object keys must be str, not {type(key).__name__}")
            _check_text(key, path)
            _check_canonical(value, f"{path}.{key}")
        return
    raise TypeError(
        f"{path}: {type(obj).__name__} has no canonical JSON form "
        "(pass decimals and datetimes as strings, bytes as hex)"
    )


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{path}: string holds a lone surrogate, not valid UTF-8") from None
