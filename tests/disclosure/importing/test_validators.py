"""Cell validators: each bad input refused with its reason, good ones normalised."""

import pytest

from disclosure.importing import validators as v
from disclosure.importing.validators import CellError


def refused(validate, value, *args, **kwargs) -> str:
    with pytest.raises(CellError) as caught:
        validate(value, *args, **kwargs)
    return caught.value.reason


# --- 身份证号 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["410302200706135831", "41030220070413101X", "11010519491231002X"]
)
def test_id_numbers_with_valid_check_digits_are_accepted(value):
    assert v.id_number(value) == value
    assert v.id_number_is_valid(value)


def test_id_number_lower_case_x_is_normalised_to_upper_case():
    assert v.id_number("41030220070413101x") == "41030220070413101X"


def test_id_number_full_width_digits_are_read_as_ascii():
    assert v.id_number("４１０３０２２００７０６１３５８３１") == "410302200706135831"


def test_id_number_with_wrong_check_digit_is_refused():
    assert "校验位" in refused(v.id_number, "410302200706135832")
    assert "校验位" in refused(v.id_number, "410102200707108884")  # from the bad-rows sample


@pytest.mark.parametrize("value", ["41030220070613583", "4103022007061358311", "4103022007", ""])
def test_id_number_of_wrong_length_is_refused(value):
    assert "18 位" in refused(v.id_number, value)


@pytest.mark.parametrize(
    "value", ["41030220070613583A", "4103022007O6135831", "X10302200706135831"]
)
def test_id_number_with_letters_other_than_a_final_x_is_refused(value):
    assert "格式不正确" in refused(v.id_number, value)


@pytest.mark.parametrize(
    "birth", ["20070230", "20071301", "20070000", "18991231", "20070431"], ids=str
)
def test_id_number_with_impossible_birth_date_is_refused(birth):
    body = "410302" + birth + "583"
    total = sum(int(d) * w for d, w in zip(body, v._ID_WEIGHTS, strict=True))
    value = body + "10X98765432"[total % 11]  # right check digit: only the date is wrong
    assert "出生日期" in refused(v.id_number, value)


def test_id_number_reasons_never_quote_the_number():
    for value in ("410302200706135832", "41030220070613583A", "410302200702305831"):
        assert value not in refused(v.id_number, value)


def test_id_number_checker_agrees_with_the_validator():
    check = v.id_number_checker(cache_size=4)
    values = [
        "410302200706135831",
        "41030220070413101X",
        "410302200706135832",
        "410302200702305831",
        "41030220070613583",
        "４１０３０２２００７０６１３５８３１",
        "41030220070413101x",
    ]
    for value in values * 3:  # past the cache size, so it is cleared on the way
        expected = v.id_number_is_valid(value)
        assert check(value) is expected, value
    assert check("410302200706135831") and v.id_number("410302200706135831")


# --- 考生号 -------------------------------------------------------------------------------


def test_exam_number_of_14_digits_is_accepted():
    assert v.exam_number("25410021000001") == "25410021000001"


@pytest.mark.parametrize("value", ["2541002100000", "254100210000011", "2541abc", "2541002100000A"])
def test_exam_number_not_of_14_digits_is_refused(value):
    reason = refused(v.exam_number, value)
    assert reason == "格式不正确：应为 14 位数字"
    assert value not in reason


def test_exam_number_pattern_is_matched_in_full_and_ascii_only():
    assert "格式不正确" in refused(v.exam_number, "25410021000001", r"\d{10}")
    assert "格式不正确" in refused(v.exam_number, "٢٥٤١٠٠٢١٠٠٠٠٠١")  # Arabic-Indic digits
    assert v.exam_number("２５４１００２１０００００１") == "25410021000001"  # full-width: NFKC


def test_exam_number_pattern_is_configurable():
    assert v.exam_number("GX2025000123", r"GX\d{10}") == "GX2025000123"
    reason = refused(v.exam_number, "2025000123", r"GX\d{10}")
    assert "GX" in reason


# --- 性别, numbers ------------------------------------------------------------------------


def test_gender_is_only_男_or_女():
    assert v.gender("男") == "男" and v.gender(" 女　") == "女"
    for value in ("M", "F", "男性", "1"):
        assert "男" in refused(v.gender, value)


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("5", "5"),
        ("05", "5"),
        ("20", "20"),
        ("7.5", "7.5"),
        ("7.50", "7.5"),
        ("5.0", "5"),
        ("0", "0"),
        ("50", "50"),
        ("+5", "5"),
        ("５", "5"),
    ],
)
def test_bonus_points_are_normalised(value, normalised):
    assert v.bonus_points(value) == normalised


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("五分", "应为数字"),
        ("-3", "负数"),
        ("7.25", "一位小数"),
        ("50.5", "上限"),
        ("500", "上限"),
        ("5分", "应为数字"),
        ("", "应为数字"),
        ("1e1", "应为数字"),
    ],
)
def test_bad_bonus_points_are_refused(value, reason):
    assert reason in refused(v.bonus_points, value)


def test_places_are_non_negative_integers():
    assert v.places("22") == "22" and v.places("0") == "0" and v.places("22.0") == "22"
    assert "负数" in refused(v.places, "-1")
    assert "整数" in refused(v.places, "1.5")
    assert "应为数字" in refused(v.places, "二十")
    assert "上限" in refused(v.places, "100001")


def test_amounts_have_at_most_two_decimal_places():
    assert v.amount("6000") == "6000" and v.amount("4400.50") == "4400.5"
    assert "两位小数" in refused(v.amount, "1.005")
    assert "负数" in refused(v.amount, "-6000")


# --- every cell -----------------------------------------------------------------------


def test_required_cells_may_not_be_empty_or_blank():
    for value in ("", "  ", "\u3000", None):
        assert refused(v.clean_cell, value, max_length=10, is_required=True) == "必填，不能为空"
    assert v.clean_cell("", max_length=10) == ""
    assert "必填" in refused(v.required, "\u3000 ")


def test_cells_are_stripped_of_ascii_full_width_and_no_break_spaces():
    assert v.clean_cell("\u3000 张三\xa0 ", max_length=10) == "张三"


def test_cells_longer_than_their_cap_are_refused():
    assert v.clean_cell("一" * 10, max_length=10) == "一" * 10
    assert "最多 10 个字符" in refused(v.clean_cell, "一" * 11, max_length=10)


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://example.invalid","点击")',
        "=1+1",
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\t=1",
        "\rabc",
        "=",
        "-",
        "+-5",
        "--5",
    ],
)
def test_formula_like_cells_are_refused(value):
    assert "疑似公式" in refused(v.check_formula, value)
    if not value.startswith(("\t", "\r")):
        assert "疑似公式" in refused(v.clean_cell, value, max_length=100)


@pytest.mark.parametrize("value", ["-3", "+5", "-0.5", "5", "12"])
def test_plain_numbers_starting_with_a_sign_are_not_formulas(value):
    assert v.check_formula(value) == value


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x07",
        "\t",
        "\n",
        "\r",
        "\x1b",
        "\x7f",
        "\x85",
        "\u200b",
        "\u202e",
        "\u2066",
        "\u2028",
        "\ufeff",
        "\u061c",
    ],
)
def test_control_and_invisible_characters_are_refused(char):
    reason = refused(v.clean_cell, f"张{char}三", max_length=10)
    assert f"U+{ord(char):04X}" in reason
    assert "控制字符" in reason


def test_rare_characters_and_middle_dots_in_names_are_text_like_any_other():
    for name in ("𠀀", "阿卜杜拉·买买提", "欧阳𬌗", "张　三"):
        assert v.clean_cell(name, max_length=64, is_required=True) == name


# --- the fast path's fragments --------------------------------------------------------


def test_simple_digit_patterns_become_fragments_and_others_are_checked_apart():
    assert v.exam_number_fast(r"\d{14}") == ("[0-9]{14}", False)
    assert v.exam_number_fast(r"[0-9]{10,14}") == ("[0-9]{10,14}", False)
    assert v.exam_number_fast(r"GX\d{10}") == (v.EXAM_NUMBER_FAST, True)
