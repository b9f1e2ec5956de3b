"""Writing to the ledger: one entry per state change, in the caller's transaction.

``append_entry`` is the one way in. It takes the ledger lock, chains the new
entry to the head, writes it, and, for the events in ``CHECKPOINT_EVENTS``,
signs a checkpoint over the new tree, all inside ``transaction.atomic()``: when
the caller's transaction rolls back, the entry and the checkpoint go with it.

The lock: on PostgreSQL a transaction-scoped advisory lock (held until the
caller's transaction ends, so concurrent appends get consecutive seqs and the
head read is never stale); on SQLite writes are serialised by the database
(transactions begin IMMEDIATE, see settings/environment.py).

Callers pass the time (``at``, timezone-aware); nothing here reads the clock.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from publications.ledger.canonical import utc_timestamp
from publications.ledger.chain import next_entry
from publications.ledger.checkpoint import (
    MissingSigningKey,
    load_private_key,
    sign_checkpoint,
)
from publications.ledger.checkpoint import public_key_text as _public_key_text
from publications.ledger.merkle import MerkleAccumulator
from publications.ledger.models import (
    CHECKPOINT_EVENTS,
    CONTENT_EVENTS,
    Checkpoint,
    LedgerEntry,
    LedgerEvent,
)

# Any fixed 64-bit number: the advisory lock key of the ledger ("ledger" in ASCII).
LEDGER_LOCK_ID = 0x6C6564676572

_context: ContextVar[dict | None] = ContextVar("ledger_context", default=None)


class LedgerError(Exception):
    """The ledger cannot record this change; the change must not go ahead."""


def signing_key():
    """The configured Ed25519 key; MissingSigningKey (zh/en message) when unset.

    Call it before a change that will be recorded, to refuse early and clearly.
    """
    try:
        return load_private_key(getattr(settings, "LEDGER_SIGNING_KEY", None))
    except MissingSigningKey:
        raise MissingSigningKey(
            "set LEDGER_SIGNING_KEY; nothing can be published until it is set "
            "（请设置 LEDGER_SIGNING_KEY，设置前不能发布）"
        ) from None


def public_key_text() -> str:
    """The configured key's public half, as base64 of its 32 raw bytes."""
    return _public_key_text(signing_key())


def lock_ledger() -> None:
    """Take the ledger lock until the current transaction ends (needs one open)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_ID])


def append_entry(
    event: str,
    *,
    page=None,
    version: int | None = None,
    content_sha256: str = "",
    detail: dict | None = None,
    at: datetime,
) -> LedgerEntry:
    """Append one entry in the current transaction and return it.

    ``event`` is a ``LedgerEvent`` value; ``page`` the disclosure it concerns (its pk
    becomes ``disclosure_id``; its title goes into ``detail`` unless given); ``version``
    the disclosure's version (see ``current_version``); ``content_sha256`` the hash of
    the public content (``content.page_content_sha256``) or "" for events without new
    content; ``detail`` a JSON object for people (reason, title, revision id), not hashed.
    Values from ``ledger_context`` are merged into ``detail``.

    Raises ValueError on an unknown event, MissingSigningKey (before writing
    anything) if the event needs a checkpoint and no key is configured.
    """
    if event not in LedgerEvent.values:
        raise ValueError(f"unknown ledger event {event!r} (known: {', '.join(LedgerEvent)})")
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    key = signing_key() if event in CHECKPOINT_EVENTS else None
    if key is not None:
        from publications.ledger.keys import ensure_may_sign

        ensure_may_sign(key)  # a retired key refuses before anything is written
    merged = dict(detail or {})
    if page is not None and "title" not in merged:
        merged["title"] = page.title
    merged.update((_context.get() or {}).get("detail", {}))
    with transaction.atomic():
        lock_ledger()
        head = LedgerEntry.objects.order_by("-seq").first()
        fields = next_entry(
            head.hashed_fields() if head else None,
            at=utc_timestamp(at),
            event=event,
            disclosure_id=page.pk if page is not None else None,
            version=version,
            content_sha256=content_sha256,
        )
        entry = LedgerEntry(
            seq=fields["seq"],
            at=at,
            event=event,
            disclosure_id=fields["disclosure_id"],
            version=version,
            content_sha256=content_sha256,
            prev_hash=fields["prev_hash"],
            entry_hash=fields["entry_hash"],
            detail=merged,
        )
        entry.save()
        if key is not None:
            sign_checkpoint_now(at, key=key)
    return entry


def sign_checkpoint_now(at: datetime, *, key=None, check_active: bool = True) -> Checkpoint:
    """Sign and store a checkpoint over every entry so far, at time ``at``.

    The root is carried on from the last checkpoint's accumulator state, so this
    reads only the entries after it. A key the ledger has retired refuses
    (``keys.RetiredSigningKey``); only the rotation itself signs with the old key, once,
    at the moment it retires it (``check_active=False``).
    """
    from publications.ledger.keys import ensure_may_sign

    key = key or signing_key()
    if check_active:
        ensure_may_sign(key)
    with transaction.atomic():
        lock_ledger()
        accumulator = MerkleAccumulator()
        last = Checkpoint.objects.order_by("-size", "-id").first()
        if last is not None:
            try:
                accumulator = MerkleAccumulator.resume(
                    last.size, [bytes.fromhex(peak) for peak in last.peaks]
                )
            except (TypeError, ValueError):
                accumulator = MerkleAccumulator()  # unreadable state: start over
        hashes = (
            LedgerEntry.objects.filter(seq__gt=accumulator.size)
            .order_by("seq")
            .values_list("entry_hash", flat=True)
        )
        for entry_hash in hashes.iterator(chunk_size=5000):
            accumulator.append(bytes.fromhex(entry_hash))
        signed = sign_checkpoint(key, accumulator.size, accumulator.root().hex(), utc_timestamp(at))
        checkpoint = Checkpoint(
            size=signed.size,
            root=signed.root_hex,
            time=at,
            key_id=signed.key_id,
            signature=signed.signature,
            peaks=[peak.hex() for peak in accumulator.peaks()],
        )
        checkpoint.save()
    return checkpoint


def current_version(disclosure_id: int) -> int | None:
    """The disclosure's latest published version number, or None if never published."""
    last = (
        LedgerEntry.objects.filter(disclosure_id=disclosure_id, event__in=CONTENT_EVENTS)
        .order_by("-seq")
        .values_list("version", flat=True)
        .first()
    )
    return last


@contextmanager
def ledger_context(*, event: str | None = None, **detail):
    """Tell the publish/unpublish receivers what a change is, and why.

    ``with ledger_context(event="retention_taken_down", reason="保留期满"): page.unpublish()``
    records ``retention_taken_down`` instead of ``withdrawn``; ``detail`` keys (``reason``,
    ``decided_by`` …) are merged into the entry's detail. Used by the windows and
    workflow code, which own those changes.
    """
    if event is not None and event not in LedgerEvent.values:
        raise ValueError(f"unknown ledger event {event!r}")
    token = _context.set({"event": event, "detail": detail})
    try:
        yield
    finally:
        _context.reset(token)


def context_event() -> str | None:
    return (_context.get() or {}).get("event")


def record_publication(page, revision, *, at: datetime) -> LedgerEntry:
    """``published`` (first time) or ``corrected`` (already published) for ``revision``."""
    from publications.ledger.content import content_sha256 as hash_content
    from publications.ledger.content import public_content

    signing_key()  # refuse before anything else is done
    document = public_content(revision.as_object())
    with transaction.atomic():
        lock_ledger()
        previous = current_version(page.pk)
        event = context_event() or (
            LedgerEvent.CORRECTED if previous is not None else LedgerEvent.PUBLISHED
        )
        detail = {
            "title": page.title,
            "kind": str(page.kind),
            "revision_id": revision.pk,
        }
        if previous is not None and page.change_note and event != LedgerEvent.WINDOW_CHANGED:
            detail["change_note"] = page.change_note
        # A window change is not a new version of the list: it keeps the version number of the
        # content it concerns, and its content_sha256 is that of the page with its new window.
        version = previous if event == LedgerEvent.WINDOW_CHANGED else (previous or 0) + 1
        return append_entry(
            event,
            page=page,
            version=version,
            content_sha256=hash_content(document),
            detail=detail,
            at=at,
        )


def record_unpublication(page, *, at: datetime) -> LedgerEntry:
    """``withdrawn`` (or the event named by ``ledger_context``) for a live disclosure."""
    event = context_event() or LedgerEvent.WITHDRAWN
    with transaction.atomic():
        lock_ledger()
        return append_entry(
            event,
            page=page,
            version=current_version(page.pk),
            detail={"title": page.title, "kind": str(page.kind)},
            at=at,
        )
