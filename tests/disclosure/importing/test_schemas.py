"""Column definitions and header mapping."""

import pytest

from disclosure.importing.schemas import (
    ADMISSION_RESULTS,
    CANDIDATE_LIST,
    KINDS,
    QUOTA_PLAN,
    HeaderError,
    get_schema,
)


def problems(schema, headers) -> list[str]:
    with pytest.raises(HeaderError) as caught:
        schema.map_headers(headers)
    return caught.value.problems


def test_the_three_kinds_of_the_contract_exist():
    assert set(KINDS) == {"candidate_list", "quota_plan", "admission_results"}
    with pytest.raises(ValueError, match="未知的导入类型"):
        get_schema("grades")


@pytest.mark.parametrize(
    ("schema", "required"),
    [
        (CANDIDATE_LIST, ["姓名", "所在中学", "照顾类别"]),
        (QUOTA_PLAN, ["院校代码", "院校名称", "专业名称", "科类", "批次", "计划数"]),
        (
            ADMISSION_RESULTS,
            ["考生号", "姓名", "批次", "科类", "院校代码", "院校名称", "专业名称"],
        ),
    ],
)
def test_required_columns_are_those_starred_in_the_contract(schema, required):
    assert [c.header for c in schema.columns if c.required] == required


def test_only_exam_and_id_numbers_are_identifiers():
    for schema in KINDS.values():
        identifiers = {c.key for c in schema.columns if c.identifier}
        assert identifiers <= {"exam_number", "id_number"}
    assert {c.key for c in CANDIDATE_LIST.columns if c.identifier} == {"exam_number", "id_number"}


def test_chinese_and_english_headers_are_both_accepted():
    chinese = [c.header for c in CANDIDATE_LIST.columns]
    english = [c.alias for c in CANDIDATE_LIST.columns]
    assert CANDIDATE_LIST.map_headers(chinese) == list(CANDIDATE_LIST.columns)
    assert CANDIDATE_LIST.map_headers(english) == list(CANDIDATE_LIST.columns)
    assert english[0] == "row" and CANDIDATE_LIST.columns[0].key == "serial"


@pytest.mark.parametrize(
    "header", ["考 生 号", "\u3000考生号 ", "Exam_Number", "EXAM NUMBER", "exam-number", "考生号*"]
)
def test_headers_match_despite_spaces_case_and_required_marks(header):
    assert CANDIDATE_LIST.lookup(header).key == "exam_number"


def test_an_unknown_column_is_an_error_naming_it():
    [problem] = problems(CANDIDATE_LIST, ["姓名", "所在中学", "照顾类别", "手机号"])
    assert problem.startswith("未知列：手机号")


def test_missing_required_columns_are_an_error_naming_them():
    [problem] = problems(ADMISSION_RESULTS, ["考生号", "姓名", "批次"])
    assert problem == "缺少必填列：科类、院校代码、院校名称、专业名称"


def test_a_duplicated_column_is_an_error_even_under_two_names():
    [problem] = problems(CANDIDATE_LIST, ["姓名", "name", "所在中学", "照顾类别"])
    assert problem == "列重复：姓名（第 1、2 列）"


def test_every_header_problem_is_reported_at_once():
    found = problems(QUOTA_PLAN, ["院校代码", "院校代码", "手机号", "住址"])
    assert len(found) == 3
    assert found[0].startswith("未知列：手机号、住址")


def test_empty_header_cells_map_to_nothing():
    mapped = CANDIDATE_LIST.map_headers(["姓名", "", "所在中学", "照顾类别"])
    assert mapped[1] is None


def test_column_caps_fit_the_entry_models():
    caps = {c.key: c.max_length for c in CANDIDATE_LIST.columns}
    assert caps["name"] == 64 and caps["remarks"] == 500 and caps["serial"] == 16
    assert {c.key: c.max_length for c in QUOTA_PLAN.columns}["institution_code"] == 16


def test_the_exam_number_validator_uses_the_configured_pattern():
    exam = ADMISSION_RESULTS.column("exam_number")
    assert exam.validator(r"GX\d{4}")("gx2025") == "GX2025"
    with pytest.raises(ValueError, match="格式不正确"):
        exam.validator()("GX2025")
