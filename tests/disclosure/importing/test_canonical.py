"""Canonical rows and lines: the definitions the hashes rest on."""

import hashlib
import json
import random

import pytest

from disclosure.importing.canonical import (
    RowsHasher,
    canonical_line,
    canonical_row,
    encoded_line,
    hash_rows,
)

TRICKY = ['a"b', "back\\slash", "换行\n", "tab\t", "\x01", "\u2028", "𠀀", "", "é", "\x7f", "/"]


def test_a_canonical_line_is_compact_json_without_ascii_escapes():
    assert canonical_line(["张三", "5", ""]) == '["张三","5",""]\n'
    for value in TRICKY:
        expected = json.dumps([value], ensure_ascii=False, separators=(",", ":")) + "\n"
        assert canonical_line([value]) == expected


def test_the_hasher_writes_exactly_the_canonical_lines():
    rng = random.Random(7)
    alphabet = "".join(TRICKY) + "abc张三0123456789 ,"
    rows = [
        ["".join(rng.choices(alphabet, k=rng.randint(0, 8))) for _ in range(5)] for _ in range(9000)
    ]
    hasher = RowsHasher()
    for row in rows:
        hasher.add(row)
    expected = hashlib.sha256("".join(canonical_line(r) for r in rows).encode("utf-8")).hexdigest()
    assert hasher.hexdigest() == expected


def test_no_rows_hash_as_the_empty_string():
    assert RowsHasher().hexdigest() == hashlib.sha256(b"").hexdigest()


def test_encoded_line_matches_canonical_line_for_quoted_values():
    from json.encoder import encode_basestring

    row = ["a", 'b"', "c\\"]
    assert encoded_line(map(encode_basestring, row)) == canonical_line(row)


def test_canonical_row_orders_by_schema_and_fills_absent_columns():
    row = canonical_row("admission_results", {"name": "张三", "exam_number": "2541********01"})
    assert row == ["2541********01", "张三", "", "", "", "", "", ""]


def test_canonical_row_refuses_unknown_columns_and_non_text():
    with pytest.raises(ValueError, match="not columns"):
        canonical_row("quota_plan", {"phone": "1"})
    with pytest.raises(TypeError):
        canonical_row("quota_plan", {"places": 5})


def test_hash_rows_is_the_hash_of_the_canonical_rows():
    rows = [{"name": "张三", "school": "一中", "category": "烈士子女"}]
    expected = hashlib.sha256(
        canonical_line(canonical_row("candidate_list", rows[0])).encode()
    ).hexdigest()
    assert hash_rows("candidate_list", rows) == expected
