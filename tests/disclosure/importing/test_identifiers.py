"""Identifiers: HMACs that never reveal the value, masks that show too little."""

import hashlib
import hmac

import pytest

from disclosure.importing.identifiers import (
    IdentifierHasher,
    hmac_identifier,
    mask_exam_number,
    mask_id_number,
    matches,
    normalise_identifier,
)

KEY = b"test-identifier-hmac-key-0123456789"
EXAM = "25410021000001"
ID = "41030220070413101X"


def test_the_hmac_is_hmac_sha256_of_the_domain_field_and_normalised_value():
    expected = hmac.new(
        KEY, b"sunshine/identifier/v1\x00id_number\x00" + ID.encode(), hashlib.sha256
    ).hexdigest()
    assert hmac_identifier(KEY, "id_number", ID) == expected
    assert len(expected) == 64


@pytest.mark.parametrize(("field", "value"), [("exam_number", EXAM), ("id_number", ID)])
def test_an_hmac_never_equals_or_contains_the_clear_value(field, value):
    digest = hmac_identifier(KEY, field, value)
    assert digest != value
    assert value not in digest and value.lower() not in digest
    for piece in (value[:6], value[-6:], value[6:14]):
        assert piece.lower() not in digest


def test_hmacs_are_separated_by_field():
    digits = "410302200706135"
    assert hmac_identifier(KEY, "exam_number", digits) != hmac_identifier(KEY, "id_number", digits)


def test_hmacs_depend_on_the_key():
    assert hmac_identifier(KEY, "exam_number", EXAM) != hmac_identifier(
        KEY + b"2", "exam_number", EXAM
    )


def test_hmacs_normalise_case_spaces_and_full_width_digits():
    digest = hmac_identifier(KEY, "id_number", ID)
    assert hmac_identifier(KEY, "id_number", " 41030220070413101x\u3000") == digest
    assert hmac_identifier(KEY, "id_number", "４１０３０２２００７０４１３１０１Ｘ") == digest
    assert normalise_identifier(" 4103x ") == "4103X"


def test_an_unknown_field_or_a_short_key_is_refused():
    with pytest.raises(ValueError, match="unknown identifier field"):
        hmac_identifier(KEY, "name", "张三")
    with pytest.raises(ValueError, match="at least 16 bytes"):
        hmac_identifier(b"short", "exam_number", EXAM)
    with pytest.raises(ValueError, match="at least 16 bytes"):
        IdentifierHasher("a text key, not bytes", "exam_number")  # type: ignore[arg-type]


@pytest.mark.parametrize("key", [KEY, b"k" * 64, b"a-key-longer-than-a-sha256-block-" * 3])
def test_the_bulk_hasher_gives_the_same_hmac(key):
    for field, value in (("exam_number", EXAM), ("id_number", ID), ("id_number", "")):
        assert IdentifierHasher(key, field).hexdigest(value) == hmac_identifier(key, field, value)


def test_matches_compares_a_value_with_a_stored_hmac():
    stored = hmac_identifier(KEY, "exam_number", EXAM)
    assert matches(KEY, "exam_number", EXAM, stored)
    assert matches(KEY, "exam_number", f" {EXAM} ", stored.upper())
    assert not matches(KEY, "exam_number", "25410021000002", stored)
    assert not matches(KEY, "id_number", EXAM, stored)
    assert not matches(KEY + b"x", "exam_number", EXAM, stored)
    assert not matches(KEY, "exam_number", "", hmac_identifier(KEY, "exam_number", ""))
    assert not matches(KEY, "exam_number", EXAM, "")
    assert not matches(KEY, "exam_number", EXAM, "考生号")


def test_matches_uses_a_constant_time_comparison(monkeypatch):
    import disclosure.importing.identifiers as identifiers

    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(identifiers.hmac, "compare_digest", spy)
    assert matches(KEY, "exam_number", EXAM, hmac_identifier(KEY, "exam_number", EXAM))
    assert len(calls) == 1


def test_the_exam_number_mask_keeps_the_first_4_and_last_2_characters():
    assert mask_exam_number(EXAM) == "2541********01"
    assert len(mask_exam_number(EXAM)) == len(EXAM)


def test_the_id_number_mask_keeps_the_first_3_and_last_1_characters():
    masked = mask_id_number(ID)
    assert masked == "410**************X"
    # Neither the birth date nor the county nor the sequence (and so the sex) shows.
    assert "2007" not in masked and "0413" not in masked and "101" not in masked


def test_short_identifiers_are_masked_more():
    assert mask_exam_number("12345678") == "******78"
    assert mask_exam_number("12345") == "*****"
    assert mask_id_number("1234567890") == "**********"


def test_masks_of_different_people_can_be_equal_so_they_identify_no_one():
    assert mask_exam_number("25410021000001") == mask_exam_number("25419999999901")
    assert mask_id_number("410302200706135831") == mask_id_number("410999199901011231")
