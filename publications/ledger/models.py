"""The ledger's tables: entries (append-only, hash-chained) and signed checkpoints.

Both tables are append-only three times over: ``save`` refuses to change a stored
row, ``delete`` refuses, and database triggers (migration ``0004_ledger_tables``,
see ``triggers``) refuse UPDATE and DELETE from any client, SQLite or PostgreSQL.
Rows are written only by ``publications.ledger.record``.

No foreign keys: the ledger outlives what it describes (a deleted page, a
purged revision), and nothing may cascade into it.
"""

from django.db import models

from publications.ledger.canonical import utc_timestamp


class AppendOnlyError(Exception):
    """A ledger row, once written, is never changed or deleted."""


class LedgerEvent(models.TextChoices):
    PUBLISHED = "published", "发布"
    CORRECTED = "corrected", "更正"
    WITHDRAWN = "withdrawn", "撤回"
    WINDOW_CHANGED = "window_changed", "公示期变更"
    RETENTION_TAKEN_DOWN = "retention_taken_down", "保留期满撤下"
    WORKFLOW_DECISION = "workflow_decision", "审批决定"
    KEY_ROTATED = "key_rotated", "签名密钥轮换"


# Events whose entry carries the content hash of a version of a disclosure.
CONTENT_EVENTS = frozenset({LedgerEvent.PUBLISHED, LedgerEvent.CORRECTED})
# Events after which a checkpoint is signed at once (the rest wait for the daily one).
CHECKPOINT_EVENTS = frozenset(
    {
        LedgerEvent.PUBLISHED,
        LedgerEvent.CORRECTED,
        LedgerEvent.WITHDRAWN,
        LedgerEvent.WINDOW_CHANGED,
        LedgerEvent.RETENTION_TAKEN_DOWN,
    }
)


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}一经写入不可修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}不可删除。")


class LedgerEntry(AppendOnlyModel):
    """One state change, chained to the one before it (docs/adr/0003-ledger-hashing.md).

    The hashed fields are exactly ``chain.ENTRY_FIELDS``; ``detail`` (title, reason,
    revision id, ...) is for people reading the ledger and is not hashed.
    """

    seq = models.PositiveBigIntegerField("序号", primary_key=True)
    at = models.DateTimeField("时间（UTC）")
    event = models.CharField("事件", max_length=32, choices=LedgerEvent.choices)
    disclosure_id = models.PositiveBigIntegerField("公示编号", null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField("版本", null=True, blank=True)
    content_sha256 = models.CharField("内容哈希", max_length=64, blank=True)
    prev_hash = models.CharField("前一记录哈希", max_length=64)
    entry_hash = models.CharField("记录哈希", max_length=64, unique=True)
    detail = models.JSONField("说明（不计入哈希）", default=dict, blank=True)

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_event_display()}"

    def hashed_fields(self) -> dict[str, object]:
        """The fields as the chain hashes them (``at`` in the one timestamp form)."""
        return {
            "seq": self.seq,
            "at": utc_timestamp(self.at),
            "event": self.event,
            "disclosure_id": self.disclosure_id,
            "version": self.version,
            "content_sha256": self.content_sha256,
            "prev_hash": self.prev_hash,
            "entry_hash": self.entry_hash,
        }


class Checkpoint(AppendOnlyModel):
    """The ledger's size and Merkle root at a time, signed with the ledger key.

    ``peaks`` is the Merkle accumulator's state at ``size`` (hex, largest subtree
    first), so the next checkpoint need not re-read the whole ledger. It is not
    signed; ``verify_ledger`` recomputes every root from the entries anyway.
    """

    size = models.PositiveBigIntegerField("记录数", db_index=True)
    root = models.CharField("默克尔树根", max_length=64)
    time = models.DateTimeField("签署时间（UTC）")
    key_id = models.CharField("密钥编号", max_length=16)
    signature = models.CharField("签名（base64）", max_length=100)
    peaks = models.JSONField("累加器状态", default=list, blank=True)

    class Meta:
        verbose_name = "台账检查点"
        verbose_name_plural = "台账检查点"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"检查点 {self.size} @ {utc_timestamp(self.time)}"

    def as_signed(self):
        from publications.ledger.checkpoint import Checkpoint as SignedCheckpoint

        return SignedCheckpoint(
            size=self.size,
            root_hex=self.root,
            time=utc_timestamp(self.time),
            key_id=self.key_id,
            signature=self.signature,
        )


class LedgerKey(models.Model):
    """A public key that signs (or signed) checkpoints, and when: [valid_from, valid_until].

    Public halves only: the private key lives in the environment (``LEDGER_SIGNING_KEY``),
    never in the database (docs/adr/0018-trust-and-operations.md). Rows are written only by
    ``publications.ledger.keys.rotate``; the one change a row ever gets is its ``valid_until``,
    set once at the rotation that retires it, and the rotation's ``key_rotated`` ledger entry
    hashes both keys and the time, so ``verify_ledger`` notices a validity edited afterwards.
    """

    key_id = models.CharField("密钥编号", max_length=16, unique=True)
    public_key = models.CharField("公钥（base64）", max_length=64, unique=True)
    valid_from = models.DateTimeField("启用时间（UTC）")
    valid_until = models.DateTimeField("停用时间（UTC）", null=True, blank=True)

    class Meta:
        verbose_name = "台账签名公钥"
        verbose_name_plural = "台账签名公钥"
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.key_id}（{'停用' if self.valid_until else '在用'}）"


__all__ = [
    "CHECKPOINT_EVENTS",
    "CONTENT_EVENTS",
    "AppendOnlyError",
    "Checkpoint",
    "LedgerEntry",
    "LedgerEvent",
    "LedgerKey",
]
