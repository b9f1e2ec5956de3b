"""Inclusion and consistency proofs computed from the ledger table.

The leaves are the entries' hashes in seq order (docs/adr/0003-ledger-hashing.md).
Each proof reads the ``entry_hash`` column up to the tree size asked for: about
32 MB and a second of CPU per million entries (docs/adr/0006-ledger-storage.md).
"""

from dataclasses import dataclass

from publications.ledger.merkle import consistency_proof, inclusion_proof, root
from publications.ledger.models import Checkpoint, LedgerEntry


class ProofError(ValueError):
    """The proof asked for does not exist (sizes out of range); messages in zh and en."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


@dataclass(frozen=True)
class Inclusion:
    seq: int
    tree_size: int
    entry_hash: str
    root: str
    proof: list[str]


@dataclass(frozen=True)
class Consistency:
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]


def ledger_size() -> int:
    return LedgerEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-id").first()


def leaves(size: int) -> list[bytes]:
    hashes = (
        LedgerEntry.objects.filter(seq__lte=size)
        .order_by("seq")
        .values_list("entry_hash", flat=True)
        .iterator(chunk_size=10_000)
    )
    return [bytes.fromhex(h) for h in hashes]


def inclusion(seq: int, tree_size: int) -> Inclusion:
    size = ledger_size()
    if not 1 <= seq <= tree_size <= size:
        raise ProofError(
            f"need 1 <= seq <= size <= {size} (the ledger's size); got seq {seq}, size {tree_size}",
            f"需要 1 ≤ 序号 ≤ 树大小 ≤ {size}（台账记录数）；收到序号 {seq}、树大小 {tree_size}",
        )
    hashes = leaves(tree_size)
    return Inclusion(
        seq=seq,
        tree_size=tree_size,
        entry_hash=hashes[seq - 1].hex(),
        root=root(hashes).hex(),
        proof=[h.hex() for h in inclusion_proof(hashes, seq - 1)],
    )


def consistency(first: int, second: int) -> Consistency:
    size = ledger_size()
    if not 0 <= first <= second <= size:
        raise ProofError(
            f"need 0 <= from <= to <= {size} (the ledger's size); got from {first}, to {second}",
            f"需要 0 ≤ from ≤ to ≤ {size}（台账记录数）；收到 from {first}、to {second}",
        )
    hashes = leaves(second)
    return Consistency(
        first=first,
        second=second,
        first_root=root(hashes[:first]).hex(),
        second_root=root(hashes).hex(),
        proof=[h.hex() for h in consistency_proof(hashes, first, second)],
    )
