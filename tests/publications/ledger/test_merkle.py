"""RFC 6962 / RFC 9162 Merkle trees, against published vectors and the RFC's own definitions.

The known answers are the test vectors Certificate Transparency implementations
share (Trillian's and transparency-dev/merkle's verifier tests): eight leaves,
the root of every prefix, and some inclusion and consistency proofs.
"""

import hashlib

import pytest

from publications.ledger.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]

CT_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# (0-based leaf index, tree size, audit path)
CT_INCLUSION_PROOFS = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]

# (old size, new size, consistency proof)
CT_CONSISTENCY_PROOFS = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

MAX_SIZE = 40
LEAVES = [hashlib.sha256(f"entry {n}".encode()).digest() for n in range(MAX_SIZE)]


def hexes(hashes):
    return [h.hex() for h in hashes]


def flip(data, byte=0):
    return data[:byte] + bytes([data[byte] ^ 1]) + data[byte + 1 :]


# The RFC 9162 2.1 definitions, transcribed recursively, as an independent reference.


def reference_root(leaves):
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(
        b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:])
    ).digest()


def reference_path(m, leaves):
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*reference_path(m, leaves[:k]), reference_root(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), reference_root(leaves[:k])]


def reference_subproof(m, leaves, complete):
    n = len(leaves)
    if m == n:
        return [] if complete else [reference_root(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*reference_subproof(m, leaves[:k], complete), reference_root(leaves[k:])]
    return [*reference_subproof(m - k, leaves[k:], False), reference_root(leaves[:k])]


ROOTS = [reference_root(LEAVES[:n]) for n in range(MAX_SIZE + 1)]

# Known answers


def test_the_empty_tree_root_is_sha256_of_nothing():
    assert root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT == root([])


def test_leaf_and_node_hashes_are_domain_separated_by_0x00_and_0x01():
    assert leaf_hash(b"ab") == hashlib.sha256(b"\x00ab").digest()
    assert (
        node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    )


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_roots_match_the_certificate_transparency_vectors(size):
    assert root(CT_LEAVES[:size]).hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION_PROOFS)
def test_inclusion_proofs_match_the_certificate_transparency_vectors(index, size, path):
    proof = inclusion_proof(CT_LEAVES[:size], index)
    assert hexes(proof) == path
    assert verify_inclusion(CT_LEAVES[index], index, size, proof, bytes.fromhex(CT_ROOTS[size]))


@pytest.mark.parametrize(("old_size", "new_size", "path"), CT_CONSISTENCY_PROOFS)
def test_consistency_proofs_match_the_certificate_transparency_vectors(old_size, new_size, path):
    proof = consistency_proof(CT_LEAVES, old_size, new_size)
    assert hexes(proof) == path
    old_root, new_root = (bytes.fromhex(CT_ROOTS[size]) for size in (old_size, new_size))
    assert verify_consistency(old_size, new_size, old_root, new_root, proof)


# Agreement with the RFC's recursive definitions


def test_roots_match_the_rfc_definition_for_every_size_up_to_40():
    for size in range(MAX_SIZE + 1):
        assert root(LEAVES[:size]) == ROOTS[size], size


def test_inclusion_proofs_are_the_rfc_audit_paths():
    for size in range(1, MAX_SIZE + 1):
        for index in range(size):
            expected = reference_path(index, LEAVES[:size])
            assert inclusion_proof(LEAVES[:size], index) == expected, (index, size)


def test_consistency_proofs_are_the_rfc_subproofs():
    for new_size in range(1, MAX_SIZE + 1):
        for old_size in range(1, new_size + 1):
            expected = reference_subproof(old_size, LEAVES[:new_size], True)
            assert consistency_proof(LEAVES, old_size, new_size) == expected, (old_size, new_size)


def test_the_accumulator_root_equals_the_batch_root_at_every_size_up_to_100():
    leaves = [hashlib.sha256(str(n).encode()).digest() for n in range(100)]
    accumulator = MerkleAccumulator()
    assert (accumulator.size, accumulator.root()) == (0, EMPTY_ROOT)
    for size in range(1, 101):
        accumulator.append(leaves[size - 1])
        assert accumulator.size == size
        assert accumulator.root() == reference_root(leaves[:size]) == root(leaves[:size]), size


def test_the_accumulator_keeps_one_hash_per_set_bit_of_its_size():
    accumulator = MerkleAccumulator()
    for n in range(1, 1025):
        accumulator.append(n.to_bytes(4, "big"))
        assert len(accumulator._peaks) == n.bit_count()


def test_an_accumulator_resumed_from_saved_peaks_goes_on_to_the_same_roots():
    leaves = [hashlib.sha256(str(n).encode()).digest() for n in range(70)]
    for saved_at in range(0, 70, 7):
        first = MerkleAccumulator()
        for leaf in leaves[:saved_at]:
            first.append(leaf)
        resumed = MerkleAccumulator.resume(first.size, first.peaks())
        for size in range(saved_at + 1, 71):
            resumed.append(leaves[size - 1])
            assert resumed.root() == root(leaves[:size]), (saved_at, size)


@pytest.mark.parametrize(
    ("size", "peaks"),
    [(3, [b"\x00" * 32]), (1, [b"\x00" * 31]), (2, ["00" * 32]), (-1, [])],
)
def test_resuming_refuses_peaks_that_do_not_fit_the_size(size, peaks):
    with pytest.raises(ValueError):
        MerkleAccumulator.resume(size, peaks)


# Inclusion proofs


def inclusion_cases():
    for size in range(1, MAX_SIZE + 1):
        for index in range(size):
            yield index, size, inclusion_proof(LEAVES[:size], index)


def test_every_inclusion_proof_in_trees_of_1_to_40_leaves_verifies():
    for index, size, proof in inclusion_cases():
        assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size]), (index, size)


def test_an_inclusion_proof_fails_for_another_leaf():
    for index, size, proof in inclusion_cases():
        assert not verify_inclusion(b"another leaf", index, size, proof, ROOTS[size])
        other = LEAVES[(index + 1) % MAX_SIZE]
        assert not verify_inclusion(other, index, size, proof, ROOTS[size]), (index, size)


def test_an_inclusion_proof_fails_at_any_other_index():
    for index, size, proof in inclusion_cases():
        for other in range(-1, MAX_SIZE + 1):
            if other != index:
                assert not verify_inclusion(LEAVES[index], other, size, proof, ROOTS[size])


def test_an_inclusion_proof_fails_for_any_other_size_with_that_size_root():
    for index, size, proof in inclusion_cases():
        for other in range(MAX_SIZE + 1):
            if other != size:
                assert not verify_inclusion(LEAVES[index], index, other, proof, ROOTS[other])


def test_an_inclusion_proof_fails_for_double_or_half_the_size_with_the_same_root():
    # A path binds the tree's shape, not its exact size: sizes whose paths have the
    # same shape accept it. The signed checkpoint binds size and root together.
    for index, size, proof in inclusion_cases():
        for other in {size * 2, size // 2} - {size}:
            assert not verify_inclusion(LEAVES[index], index, other, proof, ROOTS[size])


def test_an_inclusion_proof_fails_against_a_changed_root():
    for index, size, proof in inclusion_cases():
        for byte in (0, 31):
            assert not verify_inclusion(LEAVES[index], index, size, proof, flip(ROOTS[size], byte))
        assert not verify_inclusion(LEAVES[index], index, size, proof, EMPTY_ROOT)


def test_an_inclusion_proof_fails_when_any_element_is_changed():
    for index, size, proof in inclusion_cases():
        for position in range(len(proof)):
            for byte in (0, 31):
                tampered = [*proof]
                tampered[position] = flip(proof[position], byte)
                assert not verify_inclusion(LEAVES[index], index, size, tampered, ROOTS[size])


def test_an_inclusion_proof_fails_when_shortened_or_lengthened():
    for index, size, proof in inclusion_cases():
        leaf, tree_root = LEAVES[index], ROOTS[size]
        if proof:
            assert not verify_inclusion(leaf, index, size, proof[:-1], tree_root)
            assert not verify_inclusion(leaf, index, size, proof[1:], tree_root)
        for extra in (tree_root, EMPTY_ROOT, b"", b"\x00" * 33):
            assert not verify_inclusion(leaf, index, size, [*proof, extra], tree_root)
            assert not verify_inclusion(leaf, index, size, [extra, *proof], tree_root)


def test_an_inclusion_proof_given_as_hex_text_fails_rather_than_raising():
    for index, size, proof in inclusion_cases():
        leaf, tree_root = LEAVES[index], ROOTS[size]
        if proof:
            assert not verify_inclusion(leaf, index, size, hexes(proof), tree_root)
        assert not verify_inclusion(leaf, index, size, proof, tree_root.hex())


def test_inclusion_in_an_empty_tree_never_verifies():
    assert not verify_inclusion(b"", 0, 0, [], EMPTY_ROOT)


def test_an_inclusion_proof_for_a_leaf_outside_the_tree_is_refused():
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(LEAVES[:5], 5)


# Consistency proofs


def consistency_cases(include_trivial=False):
    for new_size in range(MAX_SIZE + 1):
        for old_size in range(new_size + 1):
            if include_trivial or 0 < old_size < new_size:
                yield old_size, new_size, consistency_proof(LEAVES, old_size, new_size)


def test_every_consistency_proof_between_sizes_0_to_40_verifies():
    for old_size, new_size, proof in consistency_cases(include_trivial=True):
        assert verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)


def test_the_empty_tree_and_an_unchanged_tree_are_consistent_with_an_empty_proof():
    assert consistency_proof(LEAVES, 0, 7) == []
    assert consistency_proof(LEAVES, 7, 7) == []
    assert verify_consistency(0, 7, EMPTY_ROOT, ROOTS[7], [])
    assert verify_consistency(7, 7, ROOTS[7], ROOTS[7], [])


def test_trivial_consistency_fails_with_a_wrong_root_or_a_non_empty_proof():
    assert not verify_consistency(0, 7, ROOTS[1], ROOTS[7], [])
    assert not verify_consistency(7, 7, ROOTS[7], ROOTS[6], [])
    assert not verify_consistency(0, 7, EMPTY_ROOT, ROOTS[7], [ROOTS[7]])
    assert not verify_consistency(7, 7, ROOTS[7], ROOTS[7], [ROOTS[7]])


def test_a_tree_cannot_shrink():
    assert not verify_consistency(8, 7, ROOTS[8], ROOTS[7], [])
    assert not verify_consistency(1, 0, ROOTS[1], EMPTY_ROOT, [])


def test_a_consistency_proof_fails_for_any_other_old_size():
    for old_size, new_size, proof in consistency_cases():
        for other in range(MAX_SIZE + 1):
            if other != old_size:
                old_root, new_root = ROOTS[old_size], ROOTS[new_size]
                assert not verify_consistency(other, new_size, old_root, new_root, proof)
                assert not verify_consistency(other, new_size, ROOTS[other], new_root, proof)


def test_a_consistency_proof_fails_for_any_other_new_size_with_that_size_root():
    for old_size, new_size, proof in consistency_cases():
        for other in range(MAX_SIZE + 1):
            if other != new_size:
                old_root = ROOTS[old_size]
                assert not verify_consistency(old_size, other, old_root, ROOTS[other], proof)


def test_a_consistency_proof_fails_for_double_or_half_the_new_size_with_the_same_roots():
    for old_size, new_size, proof in consistency_cases():
        for other in {new_size * 2, new_size // 2} - {new_size}:
            old_root, new_root = ROOTS[old_size], ROOTS[new_size]
            assert not verify_consistency(old_size, other, old_root, new_root, proof)


def test_a_consistency_proof_fails_against_changed_or_swapped_roots():
    for old_size, new_size, proof in consistency_cases():
        old_root, new_root = ROOTS[old_size], ROOTS[new_size]
        for byte in (0, 31):
            assert not verify_consistency(old_size, new_size, flip(old_root, byte), new_root, proof)
            assert not verify_consistency(old_size, new_size, old_root, flip(new_root, byte), proof)
        assert not verify_consistency(old_size, new_size, new_root, old_root, proof)


def test_a_consistency_proof_fails_when_any_element_is_changed():
    for old_size, new_size, proof in consistency_cases():
        for position in range(len(proof)):
            for byte in (0, 31):
                tampered = [*proof]
                tampered[position] = flip(proof[position], byte)
                assert not verify_consistency(
                    old_size, new_size, ROOTS[old_size], ROOTS[new_size], tampered
                ), (old_size, new_size, position)


def test_a_consistency_proof_fails_when_shortened_lengthened_or_emptied():
    for old_size, new_size, proof in consistency_cases():
        old_root, new_root = ROOTS[old_size], ROOTS[new_size]
        assert not verify_consistency(old_size, new_size, old_root, new_root, [])
        assert not verify_consistency(old_size, new_size, old_root, new_root, proof[:-1])
        assert not verify_consistency(old_size, new_size, old_root, new_root, proof[1:])
        for extra in (old_root, new_root, proof[0], b"", b"\x00" * 33):
            assert not verify_consistency(old_size, new_size, old_root, new_root, [*proof, extra])
            assert not verify_consistency(old_size, new_size, old_root, new_root, [extra, *proof])


def test_a_consistency_proof_given_as_hex_text_fails_rather_than_raising():
    for old_size, new_size, proof in consistency_cases():
        old_root, new_root = ROOTS[old_size], ROOTS[new_size]
        assert not verify_consistency(old_size, new_size, old_root, new_root, hexes(proof))
        assert not verify_consistency(old_size, new_size, old_root.hex(), new_root, proof)


def test_a_consistency_proof_outside_the_leaves_is_refused():
    with pytest.raises(ValueError):
        consistency_proof(LEAVES[:5], 3, 6)
    with pytest.raises(ValueError):
        consistency_proof(LEAVES[:5], 4, 3)


# Scale


def test_a_hundred_thousand_leaves_root_and_prove_without_trouble():
    leaves = [n.to_bytes(32, "big") for n in range(100_003)]
    accumulator = MerkleAccumulator()
    for leaf in leaves[:65_536]:
        accumulator.append(leaf)
    old_root = accumulator.root()
    tree_root = root(iter(leaves))
    proof = inclusion_proof(leaves, 77_777)
    assert verify_inclusion(leaves[77_777], 77_777, len(leaves), proof, tree_root)
    assert len(proof) == 17
    proof = consistency_proof(leaves, 65_536, len(leaves))
    assert verify_consistency(65_536, len(leaves), old_root, tree_root, proof)
