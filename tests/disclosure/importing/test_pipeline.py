"""validate_file: clean rows, reports, duplicates, hashes, and the fast path's honesty."""

import csv
import io
import random

import pytest

from disclosure.importing import (
    Limits,
    dry_run,
    hash_rows,
    hmac_identifier,
    mask_exam_number,
    mask_id_number,
    validate_file,
)
from disclosure.importing.pipeline import _Run
from disclosure.importing.schemas import Column

KEY = b"test-identifier-hmac-key-0123456789"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
AR_HEADER = ["考生号", "姓名", "身份证号", "批次", "科类", "院校代码", "院校名称", "专业名称"]
CL_HEADER = [
    "序号",
    "姓名",
    "性别",
    "考生号",
    "身份证号",
    "所在中学",
    "照顾类别",
    "加分分值",
    "备注",
]


def id_number(body: str) -> str:
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def admission(i: int, **changes) -> list[str]:
    row = {
        "考生号": f"2541{i:010d}",
        "姓名": "张三",
        "身份证号": id_number(f"410102200701{1 + i // 1000 % 28:02d}{i % 1000:03d}"),
        "批次": "本科批",
        "科类": "物理类",
        "院校代码": "10459",
        "院校名称": "郑州大学",
        "专业名称": "法学",
    }
    row.update(changes)
    return [row[h] for h in AR_HEADER]


def validate(data: bytes, kind="admission_results", name="t.csv", **kwargs):
    validation = validate_file(io.BytesIO(data), name, kind, hmac_key=KEY, **kwargs)
    rows = list(validation)
    return rows, validation.report


# --- rows and hashes -------------------------------------------------------------------


def test_clean_rows_hold_masks_and_hmacs_and_the_hashes_follow_from_them():
    data = csv_bytes([AR_HEADER] + [admission(i) for i in range(5)])
    rows, report = validate(data)
    assert report.ok and len(rows) == 5
    first = rows[0]
    assert first.source_row == 2
    assert first.fields["exam_number"] == "2541********00"
    assert first.fields["id_number"] == "410**************" + admission(0)[2][-1]
    for row, line in zip(rows, [admission(i) for i in range(5)], strict=True):
        assert row.fields["exam_number"] == mask_exam_number(line[0])
        assert row.fields["id_number"] == mask_id_number(line[2])
    assert first.hmacs["exam_number"] == hmac_identifier(KEY, "exam_number", admission(0)[0])
    assert first.masks == {"exam_number": "2541********00", "id_number": first.fields["id_number"]}
    flat = first.flat()
    assert flat["exam_number_hmac"] == first.hmacs["exam_number"] and "exam_number" not in flat
    # public_sha256: the rows as the public sees them; content_sha256: identifiers as HMACs.
    assert report.public_sha256 == hash_rows("admission_results", [r.fields for r in rows])
    content = [{**r.fields, **r.hmacs} for r in rows]
    assert report.content_sha256 == hash_rows("admission_results", content)


def test_hashes_do_not_depend_on_column_order_or_encoding():
    rows = [AR_HEADER] + [admission(i) for i in range(5)]
    reordered = [[row[i] for i in (7, 6, 5, 4, 3, 2, 1, 0)] for row in rows]
    _, first = validate(csv_bytes(rows))
    _, second = validate(csv_bytes(reordered, "gbk"))
    assert (first.public_sha256, first.content_sha256) == (
        second.public_sha256,
        second.content_sha256,
    )


def test_the_content_hash_depends_on_the_key_and_the_public_hash_does_not():
    data = csv_bytes([AR_HEADER, admission(1)])
    a = validate_file(io.BytesIO(data), "t.csv", "admission_results", hmac_key=KEY).dry_run()
    b = validate_file(io.BytesIO(data), "t.csv", "admission_results", hmac_key=KEY + b"!").dry_run()
    assert a.public_sha256 == b.public_sha256
    assert a.content_sha256 != b.content_sha256


def test_values_are_normalised_before_they_are_hashed():
    plain = csv_bytes([AR_HEADER, admission(1)])
    messy = csv_bytes(
        [AR_HEADER, admission(1, 姓名=" 张三\u3000", 身份证号=admission(1)[2].lower() + " ")]
    )
    rows_a, a = validate(plain)
    rows_b, b = validate(messy)
    assert rows_a[0].values == rows_b[0].values
    assert a.content_sha256 == b.content_sha256


def test_an_optional_identifier_may_be_empty():
    rows, report = validate(csv_bytes([AR_HEADER, admission(1, 身份证号="")]))
    assert report.ok
    assert rows[0].hmacs["id_number"] == "" and rows[0].fields["id_number"] == ""


def test_the_exam_number_pattern_is_passed_in():
    data = csv_bytes([AR_HEADER, admission(1, 考生号="GX20250001")])
    assert not validate(data)[1].ok
    rows, report = validate(data, exam_number_pattern=r"GX\d{8}")
    assert report.ok and rows[0].fields["exam_number"] == "GX20****01"


# --- rejection -------------------------------------------------------------------------


def test_after_the_first_bad_row_nothing_more_is_yielded_but_every_row_is_checked():
    rows = [AR_HEADER] + [admission(i) for i in range(10)]
    rows[4] = admission(3, 姓名="")
    rows[8] = admission(7, 科类="=cmd")
    yielded, report = validate(csv_bytes(rows))
    assert [r.source_row for r in yielded] == [2, 3, 4]
    assert [(e.row, e.column) for e in report.errors] == [(5, "姓名"), (9, "科类")]
    assert report.row_count == 10


def test_the_report_is_available_only_after_the_last_row():
    validation = validate_file(
        io.BytesIO(csv_bytes([AR_HEADER, admission(1), admission(2)])),
        "t.csv",
        "admission_results",
        hmac_key=KEY,
    )
    next(validation)
    with pytest.raises(RuntimeError):
        _ = validation.report
    assert validation.dry_run().ok


def test_dry_run_returns_the_report_alone():
    report = dry_run(
        io.BytesIO(csv_bytes([AR_HEADER, admission(1)])), "t.csv", "admission_results", hmac_key=KEY
    )
    assert report.ok and report.row_count == 1


def test_missing_required_columns_are_reported_at_the_header_row():
    _, report = validate(csv_bytes([["标题"], AR_HEADER[:3], ["25410000000001", "张三", ""]]))
    assert [(e.row, e.reason) for e in report.errors] == [
        (2, "缺少必填列：批次、科类、院校代码、院校名称、专业名称")
    ]


def test_a_value_in_a_column_without_a_header_is_an_error():
    rows = [AR_HEADER, [*admission(1), "多出来的"]]
    _, report = validate(csv_bytes(rows))
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "第 9 列", "该列没有表头，却有内容")
    ]


def test_short_rows_are_padded_so_missing_required_cells_are_named():
    _, report = validate(csv_bytes([AR_HEADER, admission(1)[:5]]))
    assert [e.column for e in report.errors] == ["院校代码", "院校名称", "专业名称"]


def test_errors_past_the_limit_are_counted_not_listed():
    rows = [AR_HEADER] + [admission(i, 姓名="") for i in range(10)]
    _, report = validate(csv_bytes(rows), limits=Limits(max_errors=3))
    assert len(report.errors) == 3 and report.error_count == 10
    assert "另有 7 处错误未逐条列出" in report.as_text()


def test_a_file_level_problem_is_a_report_not_an_exception():
    rows, report = validate(b"\x00\x01\x02binary")
    assert rows == [] and not report.ok and report.complete
    assert report.errors[0].row is None


# --- duplicates ------------------------------------------------------------------------


def test_a_repeated_exam_number_names_every_row_that_has_it():
    rows = [AR_HEADER] + [admission(i) for i in range(8)]
    rows[5] = admission(1, 身份证号=admission(4)[2])
    rows[8] = admission(1, 身份证号=admission(7)[2])
    _, report = validate(csv_bytes(rows))
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "考生号", "重复：与第 6、9 行相同"),
        (6, "考生号", "重复：与第 3、9 行相同"),
        (9, "考生号", "重复：与第 3、6 行相同"),
    ]


def test_a_duplicate_on_a_row_with_another_problem_is_still_reported():
    rows = [AR_HEADER, admission(1), admission(1, 姓名="")]
    _, report = validate(csv_bytes(rows))
    assert {(e.row, e.column) for e in report.errors} == {(2, "考生号"), (3, "考生号"), (3, "姓名")}


def test_candidate_lists_refuse_repeated_id_numbers_too():
    same_id = id_number("41010220070101001")
    rows = [
        CL_HEADER,
        ["1", "张三", "男", "25410000000001", same_id, "一中", "烈士子女", "5", ""],
        ["2", "李四", "女", "25410000000002", same_id.lower(), "一中", "烈士子女", "5", ""],
    ]
    _, report = validate(csv_bytes(rows), kind="candidate_list")
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号"), (3, "身份证号")]


def test_admission_results_may_repeat_an_id_number():
    same_id = id_number("41010220070101001")
    rows = [AR_HEADER, admission(1, 身份证号=same_id), admission(2, 身份证号=same_id)]
    assert validate(csv_bytes(rows))[1].ok


QP_HEADER = ["院校代码", "院校名称", "专业代码", "专业名称", "科类", "批次", "计划数"]


def test_quota_plans_refuse_the_same_major_track_and_batch_twice():
    rows = [
        QP_HEADER,
        ["10001", "北京大学", "01", "临床医学", "物理类", "本科批", "22"],
        ["10001", "北京大学", "01", "临床医学", "历史类", "本科批", "5"],
        ["10001", "北京大学", "01", "临床医学（八年制）", "物理类", "本科批", "3"],
        ["10001", "北京大学", "", "经济学", "物理类", "本科批", "3"],
        ["10001", "北京大学", "", "经济学", "物理类", "本科批", "4"],
    ]
    _, report = validate(csv_bytes(rows), kind="quota_plan")
    assert [e.row for e in report.errors] == [2, 4, 5, 6]
    assert report.errors[0].reason == "院校代码、专业（代码或名称）、科类、批次重复：与第 4 行相同"


# --- the fast path ---------------------------------------------------------------------

ALPHABET = [
    *'0123456789Xx张三李四·𠀀,"\\ =+-@.',
    *("\u3000", "\xa0", "\t", "\x01", "\u200b", "\ufffd", "５", "\n"),
]


def _mutate(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.88:
        return value
    if roll < 0.92:
        return rng.choice([" ", "\u3000", "\xa0"]) + value.lower() + " "  # valid once stripped
    if roll < 0.94:
        return ""
    if roll < 0.97:
        at = rng.randint(0, len(value))
        return value[:at] + rng.choice(ALPHABET) + value[at:]
    return "".join(rng.choices(ALPHABET, k=rng.randint(1, 20)))


def _fuzzed_file(rng: random.Random, header, make_row, rows: int) -> bytes:
    lines = [header]
    for i in range(rows):
        lines.append([_mutate(rng, cell) for cell in make_row(i)])
    return csv_bytes(lines)


def _candidate(i: int) -> list[str]:
    return [
        str(i),
        "王五",
        "男女"[i % 2],
        f"2541{i:010d}",
        id_number(f"410102200701{1 + i // 1000 % 28:02d}{i % 1000:03d}"),
        "一中",
        "烈士子女",
        ["5", "20", "7.5", "05", "5.0", "50"][i % 6],
        ["", "备注", "-3", "+5", '引号"内'][i % 5],
    ]


@pytest.mark.parametrize(
    ("kind", "header", "make_row"),
    [
        ("admission_results", AR_HEADER, admission),
        ("candidate_list", CL_HEADER, _candidate),
    ],
)
def test_the_fast_path_accepts_only_what_the_validators_accept_unchanged(
    monkeypatch, kind, header, make_row
):
    """Fuzzed files give the same rows, errors and hashes with the fast path shut."""
    rng = random.Random(20250601)
    lines = [header] + [[_mutate(rng, cell) for cell in make_row(i)] for i in range(3000)]
    limits = Limits(max_errors=10**6)
    slow_calls = []
    real_slow = _Run._slow

    def counting_slow(self, *args, **kwargs):
        slow_calls.append(1)
        return real_slow(self, *args, **kwargs)

    def both_ways(data):
        monkeypatch.setattr(_Run, "_slow", counting_slow)
        fast = validate(data, kind=kind, limits=limits)
        monkeypatch.undo()
        monkeypatch.setattr(Column, "fast_fragment", lambda self, fast=None: "(?!)")
        slow = validate(data, kind=kind, limits=limits)
        monkeypatch.undo()
        return fast, slow

    # Every row, good or bad: the same errors.
    (_, fast), (_, slow) = both_ways(csv_bytes(lines))
    assert fast.errors == slow.errors and len(fast.errors) > 100
    # The good rows alone (row n of the file is lines[n - 1]): the same rows and hashes,
    # including rows the validators had to normalise.
    bad = set(slow.bad_rows)
    good = [line for n, line in enumerate(lines, start=1) if n == 1 or n not in bad]
    slow_calls.clear()
    (fast_rows, fast), (slow_rows, slow) = both_ways(csv_bytes(good))
    assert fast.ok and slow.ok, fast.as_text()[:500]
    assert len(fast_rows) > 1000
    assert 0 < len(slow_calls) < len(fast_rows)  # both paths were taken
    assert fast_rows == slow_rows
    assert (fast.public_sha256, fast.content_sha256) == (slow.public_sha256, slow.content_sha256)


def test_quotes_and_backslashes_are_hashed_as_json_escapes():
    rows = [AR_HEADER, admission(1, 专业名称='法学"涉外"'), admission(2, 专业名称="法学\\")]
    clean, report = validate(csv_bytes(rows))
    assert report.ok
    assert report.public_sha256 == hash_rows("admission_results", [r.fields for r in clean])


# --- report ----------------------------------------------------------------------------


def test_progress_is_reported_while_reading():
    calls = []
    data = csv_bytes([AR_HEADER] + [admission(i) for i in range(25_000)])
    validation = validate_file(
        io.BytesIO(data),
        "t.csv",
        "admission_results",
        hmac_key=KEY,
        on_progress=lambda rows, done: calls.append((rows, done)),
    )
    validation.dry_run()
    assert [rows for rows, _ in calls] == [10_000, 20_000, 25_000]
    assert calls[-1][1] == len(data)


def test_the_text_report_of_an_accepted_file_gives_counts_and_hashes():
    _, report = validate(csv_bytes([AR_HEADER, admission(1), admission(2)]))
    text = report.as_text()
    assert text.startswith("导入检查通过：录取结果，共 2 行。")
    assert "按院校名称：郑州大学 2" in text
    assert report.public_sha256 in text and report.content_sha256 in text


def test_the_text_report_of_a_rejected_file_says_nothing_was_imported():
    _, report = validate(csv_bytes([AR_HEADER, admission(1, 姓名="")]))
    text = report.as_text()
    assert text.startswith("导入被拒绝：录取结果，共 1 处错误，涉及 1 行；整个文件未导入")
    assert "第 2 行　姓名：必填，不能为空" in text


def test_counts_are_capped_so_a_hostile_file_cannot_grow_them():
    rows = [AR_HEADER] + [admission(i, 院校名称=f"大学{i}") for i in range(1200)]
    _, report = validate(csv_bytes(rows))
    counts = report.counts["institution"]
    assert len(counts) == 1001 and counts["（其他）"] == 200


def test_identifiers_in_note_and_title_rows_are_masked_in_the_report():
    note = f"如对{admission(1)[0]}（身份证{admission(1)[2]}）有异议，请致电 0371-00000000"
    data = csv_bytes([[f"名单 {admission(2)[0]}"], AR_HEADER, admission(1), [], [note]])
    _, report = validate(data)
    assert report.ok
    text = report.as_text() + repr(report.as_dict())
    for clear in (admission(1)[0], admission(1)[2], admission(2)[0]):
        assert clear not in text
    assert "2541********01" in report.notes[0].text and "0371-00000000" in report.notes[0].text
    assert report.title_rows[0].text == "名单 2541********02"


def test_data_above_the_header_is_refused_without_quoting_it():
    data = csv_bytes([admission(1), AR_HEADER, admission(2)])
    _, report = validate(data)
    [error] = report.errors
    assert "找不到表头行：第 1 行有多项内容" in error.reason
    assert admission(1)[0] not in report.as_text()
