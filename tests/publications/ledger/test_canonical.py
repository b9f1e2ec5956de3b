import hashlib
import json
import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from publications.ledger.canonical import (
    MAX_SAFE_INTEGER,
    canonical_json,
    is_utc_timestamp,
    sha256_hex,
    utc_timestamp,
)


def test_keys_are_sorted_and_no_whitespace_is_written():
    assert canonical_json({"b": 1, "a": [1, 2], "c": None}) == b'{"a":[1,2],"b":1,"c":null}'


def test_nested_objects_are_sorted_too():
    assert canonical_json({"z": {"y": 1, "x": 2}, "a": []}) == b'{"a":[],"z":{"x":2,"y":1}}'


def test_keys_sort_by_code_point_so_upper_case_comes_first():
    assert canonical_json({"a": 1, "B": 2, "_": 3}) == b'{"B":2,"_":3,"a":1}'


def test_chinese_text_is_written_as_utf8_not_escaped():
    assert canonical_json({"event": "更正"}) == '{"event":"更正"}'.encode()


def test_only_quote_backslash_and_control_characters_are_escaped():
    text = '\x00\x08\t\n\x0b\x0c\r\x1f"\\/\x7f\u2028é'
    expected = '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\x7f\u2028é"'.encode()
    assert canonical_json(text) == expected


def test_true_false_and_null_are_json_literals():
    assert canonical_json([True, False, None]) == b"[true,false,null]"


def test_tuples_are_written_as_arrays():
    assert canonical_json((1, "a")) == b'[1,"a"]'


def test_integers_are_plain_decimal_up_to_the_javascript_safe_limit():
    assert canonical_json([0, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER]) == (
        b"[0,-1,9007199254740991,-9007199254740991]"
    )


@pytest.mark.parametrize("number", [MAX_SAFE_INTEGER + 1, -MAX_SAFE_INTEGER - 1, 10**30])
def test_integers_beyond_the_javascript_safe_limit_are_refused(number):
    with pytest.raises(ValueError, match="integer"):
        canonical_json({"n": number})


@pytest.mark.parametrize("number", [1.0, 0.5, math.nan, math.inf, -math.inf])
def test_floats_are_refused_even_whole_ones(number):
    with pytest.raises(TypeError, match="float"):
        canonical_json({"n": number})


def test_decimals_are_refused_so_callers_pass_them_as_strings():
    with pytest.raises(TypeError, match="Decimal"):
        canonical_json({"score": Decimal("612.5")})


def test_datetimes_are_refused_so_callers_pass_utc_timestamp_strings():
    with pytest.raises(TypeError, match="datetime"):
        canonical_json({"at": datetime(2026, 6, 1, tzinfo=UTC)})


@pytest.mark.parametrize("value", [b"\x00", {1, 2}, object()])
def test_other_types_are_refused(value):
    with pytest.raises(TypeError):
        canonical_json([value])


def test_non_string_keys_are_refused_rather_than_coerced():
    with pytest.raises(TypeError, match="keys must be str"):
        canonical_json({1: "a"})


@pytest.mark.parametrize("value", ["\ud800", {"\udfff": 1}])
def test_lone_surrogates_are_refused(value):
    with pytest.raises(ValueError, match="surrogate"):
        canonical_json(value)


def test_a_refusal_names_where_the_bad_value_is():
    with pytest.raises(TypeError, match=r"\$\.rows\[1\]\.score"):
        canonical_json({"rows": [{"score": 1}, {"score": 2.5}]})


def test_the_standard_library_recipe_gives_the_same_bytes():
    value = {"事件": "公示\n", "seq": 7, "list": [None, True, "\x01"], "nested": {"b": "", "a": -3}}
    recipe = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == recipe.encode("utf-8")


def test_sha256_hex_of_nothing_is_the_well_known_value():
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_sha256_hex_is_lower_case_hex_of_the_digest():
    assert sha256_hex("阳光".encode()) == hashlib.sha256("阳光".encode()).hexdigest()


def test_sha256_hex_refuses_text_so_the_encoding_is_never_guessed():
    with pytest.raises(TypeError):
        sha256_hex("abc")


def test_utc_timestamp_always_writes_utc_microseconds_and_z():
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 6, 1, 16, 0, 0, tzinfo=beijing)
    assert utc_timestamp(moment) == "2026-06-01T08:00:00.000000Z"
    assert utc_timestamp(moment.replace(microsecond=5)) == "2026-06-01T08:00:00.000005Z"


def test_utc_timestamp_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="timezone-aware"):
        utc_timestamp(datetime(2026, 6, 1, 8, 0))


@pytest.mark.parametrize(
    "text", ["2026-06-01T08:00:00Z", "2026-06-01T08:00:00.5Z", "2024-02-29T23:59:59.999999Z"]
)
def test_rfc3339_utc_timestamps_ending_in_z_are_accepted(text):
    assert is_utc_timestamp(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-06-01T08:00:00+00:00",
        "2026-06-01T16:00:00+08:00",
        "2026-06-01T08:00:00",
        "2026-06-01 08:00:00Z",
        "2026-06-01t08:00:00z",
        "2026-06-01T08:00:00.1234567Z",
        "2026-02-30T08:00:00Z",
        "2026-06-01T24:00:00Z",
        "2026-06-30T23:59:60Z",
        "２０２６-06-01T08:00:00Z",
        "2026-06-01T08:00:00Z\n",
        "",
        None,
        20260601,
    ],
)
def test_anything_else_is_not_a_ledger_timestamp(text):
    assert not is_utc_timestamp(text)
