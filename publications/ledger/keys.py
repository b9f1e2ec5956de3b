"""The ledger's signing keys over time: which public key signed which checkpoints, and the
rotation that retires one key and starts the next (``manage.py ledger rotate-key``).

Private keys never enter the database: the current one is ``LEDGER_SIGNING_KEY`` in the
environment, the next one is read from a file the operator holds (0600), and the old one must
be presented (the environment's, or ``--old-key-file``) and match the published current key,
else the rotation refuses and nothing changes. The database holds only public halves with
their validity range (``LedgerKey``); the ledger records each rotation (``key_rotated``).

``KeyRing`` is pure: it answers "may this checkpoint be checked against this key, at its
time?" for ``verify_ledger`` and mirrors what docs/verify_download.py does for journalists.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from publications.ledger.canonical import canonical_json, sha256_hex, utc_timestamp
from publications.ledger.checkpoint import (
    SigningKeyError,
    key_id,
    load_private_key,
    public_key_text,
)

ROTATION_SCHEMA = "sunshine-ledger-key-rotation/v1"


class RotationRefused(SigningKeyError):
    message_zh = "拒绝轮换台账签名密钥，原密钥保持在用"
    message_en = "Key rotation refused; the old key stays in use"


class RetiredSigningKey(SigningKeyError):
    message_zh = "配置的台账签名密钥已停用：请把 LEDGER_SIGNING_KEY 换成新密钥后重启"
    message_en = (
        "The configured ledger signing key is retired: set LEDGER_SIGNING_KEY to the new key "
        "and restart"
    )


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    public_key: str
    valid_from: str | None  # RFC 3339 UTC as checkpoints carry it; None: since always
    valid_until: str | None  # None: still in use

    def as_json(self) -> dict:
        return {
            "key_id": self.key_id,
            "public_key": self.public_key,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "status": "retired" if self.valid_until else "active",
        }


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[PublishedKey, ...]

    @classmethod
    def single(cls, public_key_b64: str) -> "KeyRing":
        """One key, valid at all times (``verify_ledger --public-key``, older set-ups)."""
        return cls((PublishedKey(key_id(public_key_b64), public_key_b64, None, None),))

    def find(self, kid: str) -> PublishedKey | None:
        return next((key for key in self.keys if key.key_id == kid), None)

    def refusal(self, kid: str, time: str) -> tuple[str, str] | None:
        """(English, Chinese) reason a checkpoint of key ``kid`` at ``time`` is refused."""
        key = self.find(kid)
        if key is None:
            return (
                f"it names key {kid}, which is not one of the ledger's published keys",
                f"检查点的密钥编号 {kid} 不是台账公布的密钥",
            )
        if key.valid_until is not None and time > key.valid_until:
            return (
                f"it was signed at {time} by key {kid}, retired at {key.valid_until}: "
                "a retired key signs nothing after its end",
                f"检查点于 {time} 由已于 {key.valid_until} 停用的密钥 {kid} 签署：停用后的签名无效",
            )
        if key.valid_from is not None and time < key.valid_from:
            return (
                f"it was signed at {time} by key {kid}, which only came into use at "
                f"{key.valid_from}",
                f"检查点于 {time} 签署，而密钥 {kid} 自 {key.valid_from} 起才启用",
            )
        return None


def rotation_document(old: str, new: str, at: str) -> dict:
    """What a ``key_rotated`` entry's content_sha256 hashes (canonical JSON)."""
    return {
        "schema": ROTATION_SCHEMA,
        "old_key_id": key_id(old),
        "old_public_key": old,
        "new_key_id": key_id(new),
        "new_public_key": new,
        "at": at,
    }


def _timestamp(moment: datetime | None) -> str | None:
    return utc_timestamp(moment) if moment is not None else None


def published_keys() -> list[PublishedKey]:
    from publications.ledger.models import LedgerKey

    return [
        PublishedKey(
            row.key_id, row.public_key, _timestamp(row.valid_from), _timestamp(row.valid_until)
        )
        for row in LedgerKey.objects.order_by("valid_from", "id")
    ]


def verification_keys() -> KeyRing:
    """The published keys; before any rotation, the configured key, valid at all times."""
    from publications.ledger.record import public_key_text as configured_public_key

    keys = published_keys()
    return KeyRing(tuple(keys)) if keys else KeyRing.single(configured_public_key())


def active_public_key() -> str:
    """The key signing checkpoints now: the published active one, else the configured one."""
    from publications.ledger.models import LedgerKey
    from publications.ledger.record import public_key_text as configured_public_key

    row = LedgerKey.objects.filter(valid_until__isnull=True).order_by("-valid_from").first()
    return row.public_key if row is not None else configured_public_key()


def ensure_may_sign(private) -> None:
    """Refuse to sign with a key the ledger has retired (a process not yet restarted)."""
    from publications.ledger.models import LedgerKey

    row = LedgerKey.objects.filter(key_id=key_id(private)).first()
    if row is not None and row.valid_until is not None:
        raise RetiredSigningKey(f"key {row.key_id} retired at {utc_timestamp(row.valid_until)}")
    if row is None and LedgerKey.objects.exists():
        raise RetiredSigningKey(f"key {key_id(private)} is not the ledger's published key")


def rotate(old_key_text: str | None, new_key_text: str, *, at: datetime):
    """Retire the current key at ``at`` and start the new one; returns the new ``LedgerKey``.

    In one transaction: a last checkpoint signed by the old key at ``at``; the old key's row
    closed at ``at`` (created first if no rotation happened before); the new key's row from
    ``at``; a ``key_rotated`` ledger entry hashing both keys and the time; a first checkpoint
    signed by the new key. Refuses (RotationRefused, nothing written) when the old key is
    missing, unreadable or not the ledger's current key, or when the new key is the old one.
    """
    from publications.ledger.models import Checkpoint, LedgerEntry, LedgerEvent, LedgerKey
    from publications.ledger.record import append_entry, lock_ledger, sign_checkpoint_now

    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    try:
        old = load_private_key(old_key_text)
    except SigningKeyError as error:
        raise RotationRefused(f"the old key is not available: {error}") from None
    try:
        new = load_private_key(new_key_text)
    except SigningKeyError as error:
        raise RotationRefused(f"the new key cannot be read: {error}") from None
    old_public, new_public = public_key_text(old), public_key_text(new)
    if old_public == new_public:
        raise RotationRefused("the new key is the old key")
    with transaction.atomic():
        lock_ledger()
        current = LedgerKey.objects.select_for_update().filter(valid_until__isnull=True).first()
        if current is None and LedgerKey.objects.exists():
            raise RotationRefused("the ledger has no key in use")
        if current is not None and current.public_key != old_public:
            raise RotationRefused(
                f"the old key given ({key_id(old)}) is not the ledger's current key "
                f"({current.key_id})"
            )
        if current is None:
            signed_by_others = Checkpoint.objects.exclude(key_id=key_id(old)).exists()
            if signed_by_others:
                raise RotationRefused(
                    f"checkpoints exist that key {key_id(old)} did not sign: the old key given "
                    "is not the ledger's key"
                )
            first = Checkpoint.objects.order_by("time").values_list("time", flat=True).first()
            first_entry = LedgerEntry.objects.order_by("seq").values_list("at", flat=True).first()
            starts = min((t for t in (first, first_entry) if t is not None), default=at)
            current = LedgerKey.objects.create(
                key_id=key_id(old), public_key=old_public, valid_from=min(starts, at)
            )
        if LedgerKey.objects.filter(public_key=new_public).exists():
            raise RotationRefused("the new key was used before: a retired key never returns")
        sign_checkpoint_now(at, key=old, check_active=False)
        LedgerKey.objects.filter(pk=current.pk).update(valid_until=at)
        new_row = LedgerKey.objects.create(key_id=key_id(new), public_key=new_public, valid_from=at)
        document = rotation_document(old_public, new_public, utc_timestamp(at))
        append_entry(
            LedgerEvent.KEY_ROTATED,
            content_sha256=sha256_hex(canonical_json(document)),
            detail={
                "old_key_id": document["old_key_id"],
                "new_key_id": document["new_key_id"],
                "new_public_key": new_public,
            },
            at=at,
        )
        sign_checkpoint_now(at, key=new)
    return new_row
