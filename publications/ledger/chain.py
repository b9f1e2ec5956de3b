"""Ledger entries as a hash chain: hashing one entry, verifying them all.

An entry's hash covers exactly ``ENTRY_FIELDS``::

    entry_hash = sha256_hex(canonical_json({field: entry[field] for field in ENTRY_FIELDS}))

and each entry's ``prev_hash`` is the ``entry_hash`` of the entry before it
(``GENESIS_PREV_HASH``, 64 zeros, for seq 1). Editing, deleting, inserting or
reordering an entry breaks the chain at the first affected seq, unless every
later entry is rewritten too. That, and cutting entries off the end, only a
signed checkpoint held by someone else reveals (see ``checkpoint``).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from publications.ledger.canonical import (
    MAX_SAFE_INTEGER,
    canonical_json,
    is_utc_timestamp,
    sha256_hex,
)

ENTRY_FIELDS = ("seq", "at", "event", "disclosure_id", "version", "content_sha256", "prev_hash")
GENESIS_PREV_HASH = "0" * 64

_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")


class MalformedEntry(ValueError):
    """An entry's fields do not have the shapes the ledger allows."""


class ChainProblem(StrEnum):
    MALFORMED = "malformed"
    SEQ_GAP = "seq_gap"
    SEQ_OUT_OF_ORDER = "seq_out_of_order"
    PREV_HASH_MISMATCH = "prev_hash_mismatch"
    ENTRY_HASH_MISMATCH = "entry_hash_mismatch"


@dataclass(frozen=True)
class ChainResult:
    """What ``verify_chain`` found.

    ``count``, ``head_seq`` and ``head_hash`` describe the verified prefix: on
    success, the whole ledger (``head_hash`` is the value the next entry's
    ``prev_hash`` must hold); on failure, everything before ``bad_seq``, the
    first seq at which the ledger does not verify.
    """

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None = None
    bad_seq: int | None = None
    reason: str = ""
    reason_zh: str = ""


def check_entry_fields(fields: Mapping) -> None:
    """Raise MalformedEntry unless every hashed field has an allowed shape."""
    missing = [name for name in ENTRY_FIELDS if name not in fields]
    if missing:
        raise MalformedEntry(f"missing fields: {', '.join(missing)}")
    seq = fields["seq"]
    if not _is_int(seq) or not 1 <= seq <= MAX_SAFE_INTEGER:
        raise MalformedEntry(f"seq must be an integer from 1, not {seq!r}")
    if not is_utc_timestamp(fields["at"]):
        raise MalformedEntry(f"at must be an RFC 3339 UTC time ending in Z, not {fields['at']!r}")
    if not isinstance(fields["event"], str) or not fields["event"]:
        raise MalformedEntry(f"event must be a non-empty string, not {fields['event']!r}")
    for name in ("disclosure_id", "version"):
        value = fields[name]
        if value is not None and (not _is_int(value) or value < 1):
            raise MalformedEntry(f"{name} must be a positive integer or None, not {value!r}")
    content = fields["content_sha256"]
    if content != "" and not _is_hex_sha256(content):
        raise MalformedEntry(f"content_sha256 must be 64 lower-case hex or '', not {content!r}")
    if not _is_hex_sha256(fields["prev_hash"]):
        raise MalformedEntry(f"prev_hash must be 64 lower-case hex, not {fields['prev_hash']!r}")


def entry_hash(fields: Mapping) -> str:
    """SHA-256 hex of the canonical JSON of exactly the hashed fields.

    Other keys in ``fields`` (``entry_hash``, a primary key, ...) are ignored.
    Raises MalformedEntry if a hashed field is missing or mis-shaped.
    """
    check_entry_fields(fields)
    return sha256_hex(canonical_json({name: fields[name] for name in ENTRY_FIELDS}))


def next_entry(
    previous: Mapping | None,
    *,
    at: str,
    event: str,
    disclosure_id: int | None = None,
    version: int | None = None,
    content_sha256: str = "",
) -> dict[str, object]:
    """The entry that follows ``previous`` (None for the first), with its entry_hash."""
    if previous is None:
        seq, prev_hash = 1, GENESIS_PREV_HASH
    else:
        seq, prev_hash = previous["seq"] + 1, previous["entry_hash"]
    fields: dict[str, object] = {
        "seq": seq,
        "at": at,
        "event": event,
        "disclosure_id": disclosure_id,
        "version": version,
        "content_sha256": content_sha256,
        "prev_hash": prev_hash,
    }
    fields["entry_hash"] = entry_hash(fields)
    return fields


def verify_chain(
    entries: Iterable[Mapping],
    *,
    after_seq: int = 0,
    after_hash: str = GENESIS_PREV_HASH,
) -> ChainResult:
    """Check entries streamed in seq order; stop at the first bad one.

    Each entry is a mapping with the hashed fields and its stored
    ``entry_hash``. Memory stays constant, so a cursor over millions of rows
    is fine. To check only entries after a known-good one (an API ``since``),
    pass that entry's seq and entry_hash as ``after_seq`` and ``after_hash``.
    """
    count, head_seq, head_hash = 0, after_seq, after_hash
    for entry in entries:
        expected = head_seq + 1
        problem = _first_problem(entry, expected, head_hash)
        if problem is not None:
            kind, reason, reason_zh = problem
            return ChainResult(
                ok=False,
                count=count,
                head_seq=head_seq,
                head_hash=head_hash,
                problem=kind,
                bad_seq=expected,
                reason=reason,
                reason_zh=reason_zh,
            )
        count, head_seq, head_hash = count + 1, expected, entry["entry_hash"]
    return ChainResult(ok=True, count=count, head_seq=head_seq, head_hash=head_hash)


def _first_problem(
    entry: Mapping, expected: int, head_hash: str
) -> tuple[ChainProblem, str, str] | None:
    try:
        if not isinstance(entry, Mapping):
            raise MalformedEntry(f"expected a mapping, not {type(entry).__name__}")
        recomputed = entry_hash(entry)
        if not _is_hex_sha256(entry.get("entry_hash")):
            raise MalformedEntry("entry_hash must be 64 lower-case hex")
    except MalformedEntry as error:
        return (
            ChainProblem.MALFORMED,
            f"the entry at seq {expected} is malformed: {error}",
            f"序号 {expected} 的记录格式不正确：{error}",
        )
    seq = entry["seq"]
    if seq > expected:
        return (
            ChainProblem.SEQ_GAP,
            f"seq {expected} is missing: seq {seq} comes after seq {expected - 1}",
            f"缺少序号 {expected} 的记录：序号 {expected - 1} 之后是序号 {seq}",
        )
    if seq < expected:
        return (
            ChainProblem.SEQ_OUT_OF_ORDER,
            f"seq {seq} comes after seq {expected - 1}: entries repeated or out of order",
            f"序号 {seq} 出现在序号 {expected - 1} 之后：记录重复或顺序错乱",
        )
    if entry["prev_hash"] != head_hash:
        before = "the genesis value (64 zeros)" if expected == 1 else f"seq {expected - 1}"
        before_zh = "创世值（64 个 0）" if expected == 1 else f"序号 {expected - 1} 的哈希"
        return (
            ChainProblem.PREV_HASH_MISMATCH,
            f"seq {expected}: prev_hash does not match {before}",
            f"序号 {expected}：prev_hash 与{before_zh}不一致",
        )
    if entry["entry_hash"] != recomputed:
        return (
            ChainProblem.ENTRY_HASH_MISMATCH,
            f"seq {expected}: entry_hash does not match its fields (the entry was changed)",
            f"序号 {expected}：entry_hash 与记录内容不符（记录被改动过）",
        )
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_hex_sha256(value: object) -> bool:
    return isinstance(value, str) and _HEX_SHA256.fullmatch(value) is not None
