import hashlib
import itertools
import json
import tracemalloc

import pytest

from publications.ledger.chain import (
    ENTRY_FIELDS,
    GENESIS_PREV_HASH,
    ChainProblem,
    MalformedEntry,
    entry_hash,
    next_entry,
    verify_chain,
)

CONTENT = hashlib.sha256(b"candidate list v1").hexdigest()

FIRST_ENTRY = {
    "seq": 1,
    "at": "2026-06-01T08:00:00.000000Z",
    "event": "publish",
    "disclosure_id": 42,
    "version": 1,
    "content_sha256": CONTENT,
    "prev_hash": GENESIS_PREV_HASH,
}


def build_ledger(size):
    events = ["publish", "更正", "withdraw", "extend_window"]
    ledger, previous = [], None
    for seq in range(1, size + 1):
        previous = next_entry(
            previous,
            at=f"2026-06-01T08:{seq // 60 % 60:02d}:{seq % 60:02d}.000000Z",
            event=events[seq % len(events)],
            disclosure_id=seq % 5 + 1,
            version=seq % 3 + 1,
            content_sha256=hashlib.sha256(str(seq).encode()).hexdigest(),
        )
        ledger.append(previous)
    return ledger


def rehash(entry):
    return {**entry, "entry_hash": entry_hash(entry)}


def journalist_entry_hash(entry):
    """The recipe in docs/adr/0003-ledger-hashing.md, standard library only."""
    fields = ("seq", "at", "event", "disclosure_id", "version", "content_sha256", "prev_hash")
    body = {name: entry[name] for name in fields}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Hashing one entry


def test_the_hash_covers_exactly_the_seven_ledger_fields():
    assert ENTRY_FIELDS == (
        "seq",
        "at",
        "event",
        "disclosure_id",
        "version",
        "content_sha256",
        "prev_hash",
    )


def test_entry_hash_is_sha256_of_these_exact_bytes():
    expected_bytes = (
        '{"at":"2026-06-01T08:00:00.000000Z",'
        f'"content_sha256":"{CONTENT}",'
        '"disclosure_id":42,"event":"publish",'
        f'"prev_hash":"{"0" * 64}",'
        '"seq":1,"version":1}'
    ).encode()
    assert entry_hash(FIRST_ENTRY) == hashlib.sha256(expected_bytes).hexdigest()


def test_entry_hash_format_is_pinned_for_published_ledgers():
    assert entry_hash(FIRST_ENTRY) == (
        "414c76967a9283a6ef22153b8948ed94ec26b16e2e3b6f576315a2e2df539916"
    )


def test_a_journalist_can_recompute_every_entry_hash_with_the_standard_library():
    for entry in build_ledger(40):
        assert journalist_entry_hash(entry) == entry["entry_hash"]


def test_none_and_empty_content_are_hashed_as_null_and_empty_string():
    entry = {**FIRST_ENTRY, "event": "ledger_opened", "disclosure_id": None, "version": None}
    entry["content_sha256"] = ""
    assert journalist_entry_hash(entry) == entry_hash(entry)
    assert entry_hash(entry) != entry_hash({**entry, "content_sha256": CONTENT})


def test_keys_outside_the_hashed_fields_do_not_change_the_hash():
    assert entry_hash({**FIRST_ENTRY, "id": 9, "entry_hash": "x"}) == entry_hash(FIRST_ENTRY)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", 2),
        ("at", "2026-06-01T08:00:01.000000Z"),
        ("event", "withdraw"),
        ("disclosure_id", 43),
        ("disclosure_id", None),
        ("version", 2),
        ("content_sha256", ""),
        ("prev_hash", "f" * 64),
    ],
)
def test_changing_any_hashed_field_changes_the_hash(field, value):
    assert entry_hash({**FIRST_ENTRY, field: value}) != entry_hash(FIRST_ENTRY)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", 0),
        ("seq", "1"),
        ("seq", True),
        ("at", "2026-06-01T16:00:00+08:00"),
        ("at", "2026-06-01T08:00:00"),
        ("event", ""),
        ("event", None),
        ("disclosure_id", "42"),
        ("disclosure_id", 0),
        ("version", 1.0),
        ("version", False),
        ("content_sha256", "A" * 64),
        ("content_sha256", "a" * 63),
        ("content_sha256", None),
        ("prev_hash", ""),
        ("prev_hash", "g" * 64),
    ],
)
def test_a_mis_shaped_field_is_refused(field, value):
    with pytest.raises(MalformedEntry, match=field):
        entry_hash({**FIRST_ENTRY, field: value})


def test_a_missing_field_is_refused():
    fields = {name: value for name, value in FIRST_ENTRY.items() if name != "version"}
    with pytest.raises(MalformedEntry, match="version"):
        entry_hash(fields)


def test_the_first_entry_is_seq_1_and_points_at_64_zeros():
    first = next_entry(None, at="2026-06-01T08:00:00.000000Z", event="publish")
    assert (first["seq"], first["prev_hash"]) == (1, "0" * 64)
    assert first["entry_hash"] == entry_hash(first)


def test_each_next_entry_points_at_the_hash_of_the_one_before():
    ledger = build_ledger(5)
    for before, after in itertools.pairwise(ledger):
        assert after["seq"] == before["seq"] + 1
        assert after["prev_hash"] == before["entry_hash"]


# Verifying the chain


def test_an_intact_ledger_verifies_and_reports_its_head_hash():
    ledger = build_ledger(30)
    result = verify_chain(ledger)
    assert result.ok
    assert (result.count, result.head_seq, result.head_hash) == (30, 30, ledger[-1]["entry_hash"])
    assert result.problem is None and result.bad_seq is None


def test_an_empty_ledger_verifies_with_the_genesis_value_as_head():
    result = verify_chain([])
    assert result.ok and (result.count, result.head_seq) == (0, 0)
    assert result.head_hash == GENESIS_PREV_HASH


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("at", "2026-06-02T08:00:00.000000Z"),
        ("event", "withdraw"),
        ("disclosure_id", 99),
        ("version", 7),
        ("content_sha256", "0" * 64),
    ],
)
def test_an_edited_field_is_caught_at_that_seq(field, value):
    ledger = build_ledger(10)
    ledger[6] = {**ledger[6], field: value}
    result = verify_chain(ledger)
    assert not result.ok
    assert (result.problem, result.bad_seq) == (ChainProblem.ENTRY_HASH_MISMATCH, 7)
    assert (result.count, result.head_hash) == (6, ledger[5]["entry_hash"])


def test_an_edit_with_a_recomputed_hash_is_caught_at_the_next_seq():
    ledger = build_ledger(10)
    ledger[6] = rehash({**ledger[6], "content_sha256": "0" * 64})
    result = verify_chain(ledger)
    assert (result.ok, result.problem, result.bad_seq) == (
        False,
        ChainProblem.PREV_HASH_MISMATCH,
        8,
    )


def test_a_rewrite_of_every_later_entry_verifies_but_changes_the_head_hash():
    """Why checkpoints exist: the chain alone cannot tell a full rewrite from the original."""
    original = build_ledger(10)
    ledger = [rehash({**original[0], "event": "withdraw"})]
    for entry in original[1:]:
        ledger.append(rehash({**entry, "prev_hash": ledger[-1]["entry_hash"]}))
    result = verify_chain(ledger)
    assert result.ok
    assert result.head_hash != original[-1]["entry_hash"]


def test_a_deleted_entry_is_caught_as_a_gap_at_the_missing_seq():
    ledger = build_ledger(10)
    del ledger[3]
    result = verify_chain(ledger)
    assert (result.ok, result.problem, result.bad_seq, result.count) == (
        False,
        ChainProblem.SEQ_GAP,
        4,
        3,
    )


def test_a_deleted_entry_with_later_seqs_renumbered_is_caught_by_prev_hash():
    ledger = build_ledger(10)
    del ledger[3]
    ledger[3:] = [rehash({**entry, "seq": entry["seq"] - 1}) for entry in ledger[3:]]
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.PREV_HASH_MISMATCH, 4)


def test_two_swapped_entries_are_caught_at_the_first_of_them():
    ledger = build_ledger(10)
    ledger[4], ledger[5] = ledger[5], ledger[4]
    result = verify_chain(ledger)
    assert (result.ok, result.problem, result.bad_seq) == (False, ChainProblem.SEQ_GAP, 5)


def test_two_swapped_entries_with_their_seqs_swapped_back_are_caught_by_prev_hash():
    ledger = build_ledger(10)
    fifth, sixth = ledger[4], ledger[5]
    ledger[4] = rehash({**sixth, "seq": 5})
    ledger[5] = rehash({**fifth, "seq": 6})
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.PREV_HASH_MISMATCH, 5)


def test_a_repeated_entry_is_caught_as_out_of_order():
    ledger = build_ledger(10)
    ledger.insert(5, ledger[4])
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.SEQ_OUT_OF_ORDER, 6)


def test_a_wrong_prev_hash_is_caught_at_that_seq():
    ledger = build_ledger(10)
    ledger[2] = {**ledger[2], "prev_hash": ledger[0]["entry_hash"]}
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.PREV_HASH_MISMATCH, 3)


def test_a_first_entry_not_pointing_at_64_zeros_is_caught():
    ledger = build_ledger(3)
    ledger[0] = rehash({**ledger[0], "prev_hash": "1" * 64})
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.PREV_HASH_MISMATCH, 1)
    assert "64 zeros" in result.reason


def test_a_ledger_that_does_not_start_at_seq_1_is_caught():
    result = verify_chain(build_ledger(5)[1:])
    assert (result.problem, result.bad_seq) == (ChainProblem.SEQ_GAP, 1)


def test_a_malformed_entry_is_reported_not_raised():
    ledger = build_ledger(5)
    ledger[2] = {**ledger[2], "seq": "3"}
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.MALFORMED, 3)


def test_a_malformed_stored_entry_hash_is_reported():
    ledger = build_ledger(5)
    ledger[2] = {**ledger[2], "entry_hash": ledger[2]["entry_hash"].upper()}
    result = verify_chain(ledger)
    assert (result.problem, result.bad_seq) == (ChainProblem.MALFORMED, 3)


def test_the_reason_is_given_in_english_and_chinese():
    ledger = build_ledger(5)
    del ledger[1]
    result = verify_chain(ledger)
    assert result.reason == "seq 2 is missing: seq 3 comes after seq 1"
    assert result.reason_zh == "缺少序号 2 的记录：序号 1 之后是序号 3"


def test_verification_stops_reading_at_the_first_bad_entry():
    ledger = build_ledger(10)
    ledger[2] = {**ledger[2], "event": "edited"}
    stream = iter(ledger)
    verify_chain(stream)
    assert next(stream) is ledger[3]


def test_verification_can_resume_after_a_known_good_entry():
    ledger = build_ledger(10)
    result = verify_chain(ledger[6:], after_seq=6, after_hash=ledger[5]["entry_hash"])
    assert result.ok and (result.count, result.head_seq) == (4, 10)
    forged = verify_chain(ledger[6:], after_seq=6, after_hash=ledger[4]["entry_hash"])
    assert (forged.problem, forged.bad_seq) == (ChainProblem.PREV_HASH_MISMATCH, 7)


def test_verification_streams_without_holding_the_entries():
    def stream(size):
        previous = None
        for seq in range(1, size + 1):
            previous = next_entry(
                previous,
                at="2026-06-01T08:00:00.000000Z",
                event=f"publish {seq} " + "x" * 4_000,
                content_sha256=CONTENT,
            )
            yield previous

    tracemalloc.start()
    try:
        result = verify_chain(stream(1_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.ok and result.count == 1_000
    assert peak < 1_500_000  # holding 1,000 entries of 4 kB each would take over 4 MB
