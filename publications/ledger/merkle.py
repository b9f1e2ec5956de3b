"""RFC 6962 Merkle tree hashing and proofs (the same as RFC 9162 section 2.1).

A leaf is the 32 raw bytes of a ledger entry's hash (``bytes.fromhex(entry_hash)``),
in seq order; any bytes work as leaves, which is how the RFC test vectors run.

- leaf hash: SHA-256(0x00 || leaf); node hash: SHA-256(0x01 || left || right);
- the root of no leaves is SHA-256 of nothing (``EMPTY_ROOT``);
- n > 1 leaves split at k, the largest power of two smaller than n:
  root(D[0:n]) = node_hash(root(D[0:k]), root(D[k:n])).

Proofs are lists of 32-byte hashes, ordered from the leaf upward, exactly as
RFC 9162 defines PATH and PROOF. The verifiers follow RFC 9162 2.1.3.2 and
2.1.4.2 step by step and answer False, never raise, on bad input.

To get the root while streaming the ledger table, feed a ``MerkleAccumulator``
one leaf at a time: O(log n) memory.
"""

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(_LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


class MerkleAccumulator:
    """Appends leaves one by one and gives the RFC 6962 root at any size.

    It keeps the roots of the perfect subtrees that make up the tree (one per
    set bit of the size, largest first), so memory is O(log n).
    """

    def __init__(self) -> None:
        self._size = 0
        self._peaks: list[bytes] = []

    @classmethod
    def resume(cls, size: int, peaks: Sequence[bytes]) -> "MerkleAccumulator":
        """An accumulator at ``size`` from its saved ``peaks()``, to go on appending.

        Raises ValueError unless there is one 32-byte peak per set bit of ``size``.
        """
        if not isinstance(size, int) or size < 0 or len(peaks) != size.bit_count():
            raise ValueError(f"a tree of size {size!r} has {size.bit_count()} peaks")
        if not _all_hashes(peaks):
            raise ValueError("peaks must be 32-byte hashes")
        accumulator = cls()
        accumulator._size = size
        accumulator._peaks = list(peaks)
        return accumulator

    @property
    def size(self) -> int:
        return self._size

    def peaks(self) -> list[bytes]:
        """The roots of the perfect subtrees, largest first: with ``size``, the whole state."""
        return list(self._peaks)

    def append(self, leaf: bytes) -> None:
        """Add the next leaf (its raw bytes, not its leaf hash)."""
        merged = leaf_hash(leaf)
        size = self._size
        while size & 1:
            merged = node_hash(self._peaks.pop(), merged)
            size >>= 1
        self._peaks.append(merged)
        self._size += 1

    def root(self) -> bytes:
        if not self._peaks:
            return EMPTY_ROOT
        merged = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            merged = node_hash(peak, merged)
        return merged


def root(leaves: Iterable[bytes]) -> bytes:
    """The Merkle tree hash of ``leaves``; iterative, streams any iterable."""
    accumulator = MerkleAccumulator()
    for leaf in leaves:
        accumulator.append(leaf)
    return accumulator.root()


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """RFC 9162 PATH(index, leaves): the audit path of one leaf, leaf upward."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"index {index} is outside a tree of {len(leaves)} leaves")
    path: list[bytes] = []
    start, end, offset = 0, len(leaves), index
    while end - start > 1:
        split = _split(end - start)
        if offset < split:
            path.append(root(leaves[start + split : end]))
            end = start + split
        else:
            path.append(root(leaves[start : start + split]))
            start, offset = start + split, offset - split
    path.reverse()
    return path


def consistency_proof(leaves: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 PROOF(old_size, leaves[:new_size]); empty when old_size is 0 or new_size."""
    if not 0 <= old_size <= new_size <= len(leaves):
        raise ValueError(f"need 0 <= old_size <= new_size <= {len(leaves)}")
    if old_size == 0:
        return []
    proof: list[bytes] = []
    start, end, offset = 0, new_size, old_size
    old_tree_is_a_subtree = True
    while end - start != offset:
        split = _split(end - start)
        if offset <= split:
            proof.append(root(leaves[start + split : end]))
            end = start + split
        else:
            proof.append(root(leaves[start : start + split]))
            start, offset = start + split, offset - split
            old_tree_is_a_subtree = False
    if not old_tree_is_a_subtree:
        proof.append(root(leaves[start:end]))
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: is ``leaf`` (raw bytes) at ``index`` of the tree with ``root``?"""
    if not 0 <= index < tree_size or not _all_hashes(proof, root):
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)?

    Beyond the RFC's 0 < old_size < new_size: equal sizes need an empty proof
    and equal roots; old_size 0 needs an empty proof and old_root EMPTY_ROOT.
    """
    if not 0 <= old_size <= new_size or not _all_hashes(proof, old_root, new_root):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


def _split(size: int) -> int:
    """The largest power of two smaller than ``size`` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def _all_hashes(proof: Sequence[bytes], *roots: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in (*proof, *roots))
