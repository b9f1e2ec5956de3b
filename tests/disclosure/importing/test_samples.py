"""The shared sample files: what each must come to."""

import pytest

from disclosure.importing import ImportReport, validate_file

SAME_LIST = [
    "candidate_list_utf8.csv",
    "candidate_list_utf8_bom.csv",
    "candidate_list_gbk_excel.csv",
    "candidate_list_title_row.xlsx",
]


def run(samples, name, kind, hmac_key):
    with (samples / name).open("rb") as fileobj:
        validation = validate_file(fileobj, name, kind, hmac_key=hmac_key)
        rows = list(validation)
        return rows, validation.report


@pytest.mark.parametrize("name", SAME_LIST)
def test_each_form_of_the_candidate_list_is_accepted_with_60_rows(samples, hmac_key, name):
    rows, report = run(samples, name, "candidate_list", hmac_key)
    assert report.ok, report.as_text()
    assert report.row_count == 60
    assert len(rows) == 60
    assert report.errors == []


def test_the_same_list_hashes_the_same_in_utf8_bom_gbk_and_xlsx(samples, hmac_key):
    reports = {name: run(samples, name, "candidate_list", hmac_key)[1] for name in SAME_LIST}
    public = {r.public_sha256 for r in reports.values()}
    content = {r.content_sha256 for r in reports.values()}
    assert len(public) == 1 and None not in public
    assert len(content) == 1 and None not in content
    assert public != content
    # The files themselves differ.
    assert len({r.source_sha256 for r in reports.values()}) == 4


def test_the_encodings_detected_are_named_in_the_report(samples, hmac_key):
    encodings = {
        name: (run(samples, name, "candidate_list", hmac_key)[1].encoding) for name in SAME_LIST
    }
    assert encodings == {
        "candidate_list_utf8.csv": "utf-8",
        "candidate_list_utf8_bom.csv": "utf-8-sig",
        "candidate_list_gbk_excel.csv": "gb18030",
        "candidate_list_title_row.xlsx": None,
    }


def test_the_same_list_gives_the_same_clean_rows_in_every_form(samples, hmac_key):
    forms = [run(samples, name, "candidate_list", hmac_key)[0] for name in SAME_LIST]
    values = [[(row.values, row.hmacs) for row in rows] for rows in forms]
    assert all(v == values[0] for v in values)


def test_the_xlsx_title_row_and_note_row_are_skipped_and_the_note_reported(samples, hmac_key):
    rows, report = run(samples, "candidate_list_title_row.xlsx", "candidate_list", hmac_key)
    assert report.format == "xlsx"
    assert report.header_row == 2
    assert [t.text for t in report.title_rows] == ["2025年普通高考加分照顾考生名单公示"]
    assert len(report.notes) == 1
    assert report.notes[0].row == 64
    assert report.notes[0].text.startswith("公示期内如有异议，请向县招生办反映。")
    assert rows[0].source_row == 3 and rows[-1].source_row == 62
    assert "说明行（已跳过）：第 64 行" in report.as_text()


# The bad rows of candidate_list_bad_rows.csv, by source row (the header is row 1):
#   3  姓名 empty              4  身份证号 410102200707108884: check digit should be 2
#   5  加分分值 五分            6  性别 M
#   7, 8 the same 考生号        9  考生号 2541abc
#   10 备注 =HYPERLINK(…)       11 加分分值 -3
# Rows 2, 12 and 13 are good; every other ID number's check digit is right.
EXPECTED_BAD = {
    (3, "姓名"): "必填",
    (4, "身份证号"): "校验位",
    (5, "加分分值"): "应为数字",
    (6, "性别"): "男",
    (7, "考生号"): "与第 8 行相同",
    (8, "考生号"): "与第 7 行相同",
    (9, "考生号"): "14 位数字",
    (10, "备注"): "疑似公式",
    (11, "加分分值"): "负数",
}


def test_the_bad_rows_file_is_rejected_naming_each_bad_row_column_and_reason(samples, hmac_key):
    _, report = run(samples, "candidate_list_bad_rows.csv", "candidate_list", hmac_key)
    assert not report.ok
    found = {(e.row, e.column): e.reason for e in report.errors}
    assert set(found) == set(EXPECTED_BAD)
    for place, words in EXPECTED_BAD.items():
        assert words in found[place], (place, found[place])
    assert report.error_count == len(EXPECTED_BAD)
    assert report.public_sha256 is None and report.content_sha256 is None


def test_the_bad_rows_report_names_no_good_row(samples, hmac_key):
    _, report = run(samples, "candidate_list_bad_rows.csv", "candidate_list", hmac_key)
    assert report.bad_rows == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    text = report.as_text()
    for good in (2, 12, 13):
        assert f"第 {good} 行" not in text


def test_the_bad_rows_report_never_quotes_an_identifier(samples, hmac_key):
    _, report = run(samples, "candidate_list_bad_rows.csv", "candidate_list", hmac_key)
    text = report.as_text() + repr(report.as_dict())
    for clear in ("410102200707108884", "25410081000506", "2541abc"):
        assert clear not in text


def test_the_unknown_column_file_is_rejected_naming_the_column(samples, hmac_key):
    rows, report = run(samples, "candidate_list_unknown_column.csv", "candidate_list", hmac_key)
    assert not report.ok
    assert rows == []
    assert len(report.errors) == 1
    assert report.errors[0].reason.startswith("未知列：手机号")
    assert "未知列：手机号" in report.as_text()


def test_the_zip_named_csv_is_rejected_as_not_a_table(samples, hmac_key):
    rows, report = run(samples, "candidate_list_not_a_csv.csv", "candidate_list", hmac_key)
    assert not report.ok
    assert rows == []
    [error] = report.errors
    assert error.row is None
    assert error.reason.startswith("文件不是有效的 CSV 或 XLSX 表格")
    assert ".csv" in error.reason and "ZIP" in error.reason


def test_the_quota_plan_is_accepted_with_50_rows(samples, hmac_key):
    rows, report = run(samples, "quota_plan.csv", "quota_plan", hmac_key)
    assert report.ok, report.as_text()
    assert len(rows) == report.row_count == 50
    assert report.totals["places"] == sum(int(r.fields["places"]) for r in rows)
    assert set(report.counts["institution"]) == {
        "北京大学",
        "清华大学",
        "郑州大学",
        "河南大学",
        "南京大学",
    }
    # Without identifiers the content and public projections are the same rows.
    assert report.public_sha256 == report.content_sha256


def test_the_admission_results_are_accepted_with_1000_rows(samples, hmac_key):
    rows, report = run(samples, "admission_results_1000.csv", "admission_results", hmac_key)
    assert report.ok, report.as_text()
    assert len(rows) == report.row_count == 1000
    assert sum(report.counts["institution"].values()) == 1000


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("candidate_list_utf8.csv", "candidate_list"),
        ("admission_results_1000.csv", "admission_results"),
    ],
)
def test_no_clean_row_carries_a_clear_identifier(samples, hmac_key, name, kind):
    clear = set()
    with (samples / name).open(encoding="utf-8-sig") as text:
        header, *lines = [line.rstrip("\n").split(",") for line in text]
        for column in ("考生号", "身份证号"):
            clear |= {line[header.index(column)] for line in lines}
    rows, _ = run(samples, name, kind, hmac_key)
    for row in rows:
        carried = " ".join(row.values) + " ".join(row.hmacs.values()) + repr(row.flat())
        assert not any(value in carried for value in clear)


def test_a_report_is_an_import_report_with_json_ready_dict(samples, hmac_key):
    import json

    _, report = run(samples, "candidate_list_title_row.xlsx", "candidate_list", hmac_key)
    assert isinstance(report, ImportReport)
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert data["ok"] is True
    assert data["row_count"] == 60
    assert data["notes"][0]["row"] == 64
