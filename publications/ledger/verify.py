"""Everything ``manage.py verify_ledger`` checks, in one pass over the ledger in seq order.

For each entry, in order:

1. its hash and its link to the entry before (``chain.verify_chain``);
2. for an entry carrying content (``published``/``corrected``, or any entry whose
   ``detail`` names a ``revision_id``): the public content document is rebuilt from
   the stored revision, with the dataset's row count and hashes recomputed from its
   rows in the entry table, and must hash to the entry's ``content_sha256``; the
   recomputed dataset hashes must also equal those stored on the ``Dataset``;
   for the latest such entry of a live disclosure, the live page must hash the same;
3. when the tree reaches a checkpoint's size: the checkpoint's root must be the
   Merkle root of the entries so far, and its signature must verify under the
   ledger's public key.

Checkpoints larger than the ledger (entries cut off the end) fail at the end.
Disclosures taken down at the end of retention (``retention_taken_down``) have lost
their rows on purpose: their contents are not recomputed, and the report counts them.
The first problem stops the run; the report names it, in English and Chinese.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from wagtail.models import Revision

from disclosure.models import Dataset, DisclosurePage
from publications.ledger import datasets
from publications.ledger.canonical import canonical_json, sha256_hex, utc_timestamp
from publications.ledger.chain import GENESIS_PREV_HASH, verify_chain
from publications.ledger.checkpoint import BadPublicKey, verify_checkpoint
from publications.ledger.content import content_sha256, public_content
from publications.ledger.keys import KeyRing, rotation_document
from publications.ledger.merkle import MerkleAccumulator
from publications.ledger.models import Checkpoint, LedgerEntry, LedgerEvent

CHUNK = 2000


@dataclass(frozen=True)
class Problem:
    where: str  # "seq 12", "checkpoint 4"
    reason: str
    reason_zh: str
    seq: int | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.reason} / {self.reason_zh}"


@dataclass
class Report:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_PREV_HASH
    checkpoints: int = 0
    versions_recomputed: int = 0
    datasets_recomputed: int = 0
    taken_down_skipped: int = 0
    problem: Problem | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def verify_ledger(keys: "KeyRing | str", *, contents: bool = True) -> Report:
    """Verify the whole ledger against ``keys``: the published keys with their validity
    (``keys.verification_keys()``), or one public key (base64) valid at all times."""
    report = Report()
    ring = keys if isinstance(keys, KeyRing) else KeyRing.single(keys)
    try:
        _run(report, ring, contents)
    except _Stop as stop:
        report.problem = stop.problem
    return report


def _entries() -> Iterator[LedgerEntry]:
    after = 0
    while True:
        chunk = list(LedgerEntry.objects.filter(seq__gt=after).order_by("seq")[:CHUNK])
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq


def _run(report: Report, ring: KeyRing, contents: bool) -> None:
    checkpoints = list(Checkpoint.objects.order_by("size", "id"))
    taken_down = set(
        LedgerEntry.objects.filter(event=LedgerEvent.RETENTION_TAKEN_DOWN).values_list(
            "disclosure_id", flat=True
        )
    )
    latest_content = _latest_content_seq_per_disclosure()
    contents_checker = _Contents(report) if contents else None
    accumulator = MerkleAccumulator()
    pending = 0
    pending = _check_checkpoints(checkpoints, pending, accumulator, ring, report)

    for entry in _entries():
        fields = entry.hashed_fields()
        result = verify_chain([fields], after_seq=report.head_seq, after_hash=report.head_hash)
        if not result.ok:
            raise _Stop(
                Problem(f"seq {result.bad_seq}", result.reason, result.reason_zh, result.bad_seq)
            )
        report.entries += 1
        report.head_seq, report.head_hash = result.head_seq, result.head_hash
        if entry.event == LedgerEvent.KEY_ROTATED:
            _check_rotation(entry, ring)
        if contents_checker is not None and _carries_content(entry):
            if entry.disclosure_id in taken_down:
                report.taken_down_skipped += 1
            else:
                is_latest = latest_content.get(entry.disclosure_id) == entry.seq
                contents_checker.check(entry, check_live=is_latest)
        accumulator.append(bytes.fromhex(entry.entry_hash))
        pending = _check_checkpoints(checkpoints, pending, accumulator, ring, report)

    if pending < len(checkpoints):
        checkpoint = checkpoints[pending]
        raise _Stop(
            Problem(
                f"checkpoint {checkpoint.pk}",
                f"it signs a ledger of {checkpoint.size} entries, but only {report.entries} "
                "exist: entries were removed from the end",
                f"检查点记录数为 {checkpoint.size}，而台账只有 {report.entries} 条记录："
                "末尾的记录被删除",
                report.entries + 1,
            )
        )


def _check_checkpoints(checkpoints, pending, accumulator, ring, report) -> int:
    while pending < len(checkpoints) and checkpoints[pending].size == accumulator.size:
        checkpoint = checkpoints[pending]
        where = f"checkpoint {checkpoint.pk} (size {checkpoint.size})"
        if checkpoint.root != accumulator.root().hex():
            raise _Stop(
                Problem(
                    where,
                    f"its root is not the Merkle root of the first {checkpoint.size} entries",
                    f"检查点的树根与前 {checkpoint.size} 条记录的默克尔树根不一致",
                    checkpoint.size or None,
                )
            )
        key = ring.find(checkpoint.key_id)
        try:
            signed_ok = key is not None and verify_checkpoint(
                key.public_key, checkpoint.as_signed()
            )
        except BadPublicKey as error:
            raise _Stop(Problem(where, f"cannot check: {error}", f"无法校验：{error}")) from None
        if not signed_ok:
            raise _Stop(
                Problem(
                    where,
                    "its signature does not verify under the ledger's public key "
                    f"(key id {checkpoint.key_id}): forged or altered",
                    f"签名无法用台账公钥验证（密钥编号 {checkpoint.key_id}）：伪造或被改动",
                    checkpoint.size or None,
                )
            )
        refused = ring.refusal(checkpoint.key_id, utc_timestamp(checkpoint.time))
        if refused is not None:
            raise _Stop(Problem(where, refused[0], refused[1], checkpoint.size or None))
        report.checkpoints += 1
        pending += 1
    return pending


def _check_rotation(entry: LedgerEntry, ring: KeyRing) -> None:
    """A ``key_rotated`` entry hashes both keys and the time: the published ranges must agree."""
    at = utc_timestamp(entry.at)
    new_id = entry.detail.get("new_key_id") if isinstance(entry.detail, dict) else None
    new = ring.find(new_id) if new_id else None
    old = next((key for key in ring.keys if key.valid_until == at), None)
    if len(ring.keys) == 1 and ring.keys[0].valid_from is None:
        return  # one key given by hand (--public-key): no published ranges to compare
    document = rotation_document(old.public_key, new.public_key, at) if old and new else None
    if (
        document is None
        or sha256_hex(canonical_json(document)) != entry.content_sha256
        or (new.valid_from != at)
    ):
        raise _Stop(
            Problem(
                f"seq {entry.seq}",
                "the published keys and their validity ranges do not match this key rotation "
                "entry: a key or a range was changed behind the application's back",
                "公布的密钥及其有效期与本条密钥轮换记录不符：密钥或有效期被绕过系统改动",
                entry.seq,
            )
        )


def _carries_content(entry: LedgerEntry) -> bool:
    if not entry.content_sha256:
        return False
    return entry.event in (LedgerEvent.PUBLISHED, LedgerEvent.CORRECTED) or bool(
        entry.detail.get("revision_id") if isinstance(entry.detail, dict) else False
    )


def _latest_content_seq_per_disclosure() -> dict[int, int]:
    latest: dict[int, int] = {}
    rows = (
        LedgerEntry.objects.exclude(content_sha256="")
        .exclude(disclosure_id=None)
        .order_by("seq")
        .values_list("disclosure_id", "seq")
    )
    for disclosure_id, seq in rows.iterator(chunk_size=CHUNK):
        latest[disclosure_id] = seq
    return latest


class _Contents:
    """Rebuilds content documents, with datasets recomputed from rows (once each)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.summaries: dict[int, dict] = {}
        self.entry: LedgerEntry | None = None

    def check(self, entry: LedgerEntry, *, check_live: bool) -> None:
        self.entry = entry
        where = f"seq {entry.seq} (disclosure {entry.disclosure_id}, version {entry.version})"
        revision_id = entry.detail.get("revision_id") if isinstance(entry.detail, dict) else None
        revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
        if revision is None or revision.object_id != str(entry.disclosure_id):
            raise _Stop(
                Problem(
                    where,
                    f"the published revision {revision_id} is missing: its content cannot be "
                    "recomputed (deleted or purged)",
                    f"已发布的修订版本 {revision_id} 不存在，无法重算内容（被删除或清除）",
                    entry.seq,
                )
            )
        document = public_content(revision.as_object(), dataset_summary=self.summary)
        if content_sha256(document) != entry.content_sha256:
            raise _Stop(
                Problem(
                    where,
                    f"the content of revision {revision.pk} no longer hashes to the entry's "
                    "content_sha256: a field was changed behind the application's back",
                    f"修订版本 {revision.pk} 的内容与记录的内容哈希不符：字段被绕过系统改动",
                    entry.seq,
                )
            )
        self.report.versions_recomputed += 1
        if check_live:
            page = DisclosurePage.objects.filter(pk=entry.disclosure_id).first()
            if page is not None and page.live:
                live = public_content(page.specific, dataset_summary=self.summary)
                if content_sha256(live) != entry.content_sha256:
                    raise _Stop(
                        Problem(
                            where,
                            "the live page no longer hashes to its latest ledger entry: "
                            "a field was changed behind the application's back",
                            "线上页面的内容与其最新台账记录不符：字段被绕过系统改动",
                            entry.seq,
                        )
                    )

    def summary(self, dataset_id: int) -> dict:
        if dataset_id not in self.summaries:
            self.summaries[dataset_id] = self._recompute(dataset_id)
        return self.summaries[dataset_id]

    def _recompute(self, dataset_id: int) -> dict:
        entry = self.entry
        where = f"seq {entry.seq} (disclosure {entry.disclosure_id}, version {entry.version})"
        dataset = Dataset.objects.filter(pk=dataset_id).first()
        if dataset is None:
            raise _Stop(
                Problem(
                    where,
                    f"dataset {dataset_id} is missing",
                    f"数据集 {dataset_id} 不存在",
                    entry.seq,
                )
            )
        public, rows = datasets.recompute_public_sha256(dataset)
        content, _ = datasets.recompute_content_sha256(dataset)
        self.report.datasets_recomputed += 1
        stored = (dataset.row_count, dataset.public_sha256, dataset.content_sha256)
        if (rows, public, content) != stored:
            raise _Stop(
                Problem(
                    where,
                    f"dataset {dataset.pk}: its {rows} rows, recomputed from the table, do not "
                    f"match the hashes stored at import (rows {dataset.row_count}, public "
                    f"{dataset.public_sha256[:12]}…, recomputed {public[:12]}…): rows were "
                    "changed, added or deleted after import",
                    f"数据集 {dataset.pk}：按数据表重算的 {rows} 行与导入时保存的哈希不符："
                    "导入后有行被改动、增加或删除",
                    entry.seq,
                )
            )
        return {
            "id": dataset.pk,
            "kind": dataset.kind,
            "row_count": rows,
            "public_sha256": public,
            "content_sha256": content,
        }
