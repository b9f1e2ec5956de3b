"""Canonical rows and the hashes over them.

A canonical row is the list of a kind's column values in schema order (`schemas.py`), as
validation normalised them, "" for an empty or absent column. Identifiers appear in it only
as stand-ins, never in clear:

- content row: each identifier replaced by its HMAC (hex, "" when empty);
- public row: each identifier replaced by its mask (as the public sees the list).

Each row is one line of canonical JSON, ``json.dumps(row, ensure_ascii=False,
separators=(",", ":")) + "\\n"``, encoded in UTF-8; a hash is the SHA-256 of all lines in file
order (no header line; zero rows hash the empty string). So ``content_sha256`` and
``public_sha256`` do not depend on the file's format, encoding, column order, title or note
rows, or on optional columns being absent rather than empty. ``content_sha256`` depends on the
HMAC key; ``public_sha256`` can be recomputed by anyone from the public rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring  # the encoder's own string quoting (C when built)

from .schemas import get_schema

__all__ = ["RowsHasher", "canonical_line", "canonical_row", "encoded_line", "hash_rows"]


def canonical_row(kind: str, mapping: Mapping[str, str]) -> list[str]:
    """The values of `mapping` (by column key) in the kind's column order; "" where absent."""
    keys = get_schema(kind).keys
    unknown = set(mapping) - set(keys)
    if unknown:
        raise ValueError(f"not columns of {kind}: {sorted(unknown)}")
    row = []
    for key in keys:
        value = mapping.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise TypeError(f"{key}: canonical values are text, not {type(value).__name__}")
        row.append(value)
    return row


def canonical_line(row: Sequence[str]) -> str:
    """One canonical JSON line (the definition; `RowsHasher` produces the same text faster)."""
    return json.dumps(list(row), ensure_ascii=False, separators=(",", ":")) + "\n"


def encoded_line(encoded: Iterable[str]) -> str:
    """A canonical line from values already quoted by `json.encoder.encode_basestring`."""
    return "[" + ",".join(encoded) + "]\n"


class RowsHasher:
    """SHA-256 over canonical JSON lines, streamed; lines are hashed in batches."""

    __slots__ = ("_sha", "lines")
    _BATCH = 4096

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.lines: list[str] = []  # pending lines; a caller may append canonical lines here

    def add(self, row: Sequence[str]) -> None:
        """Add a canonical row (a list of text values)."""
        self.add_line(encoded_line(map(encode_basestring, row)))

    def add_line(self, line: str) -> None:
        """Add a line that is already canonical (ends with a newline)."""
        self.lines.append(line)
        if len(self.lines) >= self._BATCH:
            self.flush()

    def flush(self) -> None:
        """Hash the pending lines."""
        if self.lines:
            self._sha.update("".join(self.lines).encode("utf-8"))
            self.lines.clear()

    def hexdigest(self) -> str:
        self.flush()
        return self._sha.hexdigest()


def hash_rows(kind: str, rows: Iterable[Mapping[str, str]]) -> str:
    """The hash of rows given as mappings, e.g. `public_sha256` from the public entries."""
    hasher = RowsHasher()
    for mapping in rows:
        hasher.add(canonical_row(kind, mapping))
    return hasher.hexdigest()
