"""Reading CSV and XLSX: formats by their bytes, encodings, limits, title and note rows."""

import datetime
import io
import tracemalloc
import zipfile

import defusedxml.ElementTree
import openpyxl
import openpyxl.xml.functions
import pytest

from disclosure.importing import readers
from disclosure.importing.readers import Limits, TableError, open_table
from disclosure.importing.schemas import CANDIDATE_LIST

KNOWN = CANDIDATE_LIST.is_known_header
HEADER = "序号,姓名,性别,考生号,身份证号,所在中学,照顾类别,资格条件,加分分值,备注"
ROW = (
    "1,廖鑫,男,25410021000001,410302200706135831,洛阳市第四高级中学,见义勇为人员,经有关部门认定,5,"
)


def table_of(data: bytes, name: str = "list.csv", **kwargs):
    kwargs.setdefault("is_known_header", KNOWN)
    table = open_table(io.BytesIO(data), name, **kwargs)
    return table, list(table.rows())


def refusal(data: bytes, name: str = "list.csv", **kwargs) -> str:
    with pytest.raises(TableError) as caught:
        table_of(data, name, **kwargs)
    return caught.value.message


def xlsx_bytes(rows, merges=(), sheet_title="名单", more_sheets=0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    for i in range(more_sheets):
        workbook.create_sheet(f"其他{i}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


MINIMAL_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def sheet_xml(rows, dimension=None, prolog="") -> str:
    """A worksheet of inline strings; `rows` is a list of lists of text."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            for c, text in enumerate(row)
        )
        body.append(f'<row r="{r}">{cells}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


def handmade_xlsx(sheet: str, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**MINIMAL_PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


CSV_TEXT = f"{HEADER}\n{ROW}\n"


# --- formats -------------------------------------------------------------------------


def test_defusedxml_is_in_force_for_openpyxl():
    assert openpyxl.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse is defusedxml.ElementTree.iterparse


def test_an_xlsx_is_told_by_its_bytes_even_when_named_csv():
    data = xlsx_bytes([HEADER.split(","), ROW.split(",")])
    table, rows = table_of(data, "名单.csv")
    assert table.format == "xlsx" and table.encoding is None
    assert rows[0][1][1] == "廖鑫"


def test_a_csv_is_read_as_csv_even_when_named_xlsx():
    table, rows = table_of(CSV_TEXT.encode(), "名单.xlsx")
    assert table.format == "csv"
    assert rows == [(2, ROW.split(","))]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04" + b"\x00" * 200, "已损坏或不完整"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "网页"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
    ],
)
def test_files_that_are_not_tables_are_refused_clearly(data, words):
    message = refusal(data, "名单.csv")
    assert message.startswith(readers.NOT_A_TABLE)
    assert words in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "不是 Excel 工作簿" in refusal(out.getvalue(), "名单.xlsx")


def test_an_empty_file_is_refused():
    assert refusal(b"") == "文件为空。"


def test_utf16_is_refused_with_advice():
    message = refusal("序号\t姓名\n".encode("utf-16"))
    assert "UTF-16" in message and "CSV UTF-8" in message


# --- CSV encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encodings_are_detected(encoding, detected):
    table, rows = table_of(CSV_TEXT.encode(encoding))
    assert table.encoding == detected
    assert table.headers == HEADER.split(",")
    assert rows[0][1][1] == "廖鑫"


def test_gb18030_only_characters_are_decoded():
    text = CSV_TEXT.replace("廖鑫", "廖𠀀").replace("见义勇为人员", "见义勇为人员㐀䶮")
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    table, rows = table_of(data)
    assert table.encoding == "gb18030"
    assert rows[0][1][1] == "廖𠀀"
    assert rows[0][1][6] == "见义勇为人员㐀䶮"


def test_a_file_neither_utf8_nor_gb18030_is_refused_not_garbled():
    data = CSV_TEXT.encode("utf-8") + b"2,\xff\xfe\xfd,\n"
    message = refusal(data)
    assert "编码无法识别" in message and "第 3 行" in message


def test_a_bom_file_with_bad_utf8_is_refused_without_guessing():
    data = b"\xef\xbb\xbf" + CSV_TEXT.encode("gbk")
    assert "BOM" in refusal(data)


def test_csv_line_endings_and_quoted_fields_are_read():
    data = (HEADER + "\r\n" + ROW.replace("经有关部门认定", '"认定,含逗号"') + "\r\n").encode()
    _, rows = table_of(data)
    assert rows[0][1][7] == "认定,含逗号"


def test_an_unbalanced_quote_swallowing_the_file_is_reported():
    data = (CSV_TEXT + '2,"张三' + "x" * 200_000 + "\n").encode()
    message = refusal(data)
    assert "无法按 CSV 解析" in message


def test_a_large_csv_is_streamed_not_held_in_memory():
    rows = 120_000
    data = (HEADER + "\n" + (ROW + "\n") * rows).encode()  # about 11 MB
    tracemalloc.start()
    try:
        table = open_table(io.BytesIO(data), "big.csv", is_known_header=KNOWN)
        count = sum(1 for _ in table.rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows
    assert len(data) > 10_000_000
    assert peak < 6_000_000  # the 1 MB chunks and their decoded text, not the file


def test_a_non_seekable_stream_is_read():
    class Stream(io.RawIOBase):
        def __init__(self, data):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self._inner.readinto(buffer)

    table = open_table(Stream(CSV_TEXT.encode()), "list.csv", is_known_header=KNOWN)
    assert [row for _, row in table.rows()] == [ROW.split(",")]


def test_the_callers_file_stays_open_whether_or_not_rows_are_read():
    for read_rows in (True, False):
        fileobj = io.BytesIO(CSV_TEXT.encode())
        table = open_table(fileobj, "list.csv", is_known_header=KNOWN)
        if read_rows:
            list(table.rows())
        table.close()
        del table
        assert not fileobj.closed
        fileobj.seek(0)


def test_the_file_hash_and_size_are_of_the_bytes():
    import hashlib

    data = CSV_TEXT.encode("gbk")
    table, _ = table_of(data)
    assert table.sha256 == hashlib.sha256(data).hexdigest()
    assert table.size == len(data)


# --- header, title and note rows -----------------------------------------------------


def test_title_rows_above_the_header_are_skipped():
    data = ("2025年加分考生名单公示,,,\n,,,\n" + CSV_TEXT).encode()
    table, rows = table_of(data)
    assert table.header_row == 3
    assert table.title_rows == [(1, "2025年加分考生名单公示")]
    assert rows[0][0] == 4


def test_without_known_headers_the_first_non_empty_row_is_the_header():
    table, _ = table_of(("\n" + CSV_TEXT).encode(), is_known_header=None)
    assert table.header_row == 2


def test_a_header_with_a_few_unknown_columns_is_still_the_header():
    table, _ = table_of(f"{HEADER},手机号\n{ROW},138\n".encode())
    assert table.header_row == 1 and table.headers[-1] == "手机号"


def test_no_header_in_the_first_rows_is_refused():
    data = "\n".join(["公示"] * 12).encode()
    assert "找不到表头行" in refusal(data, limits=Limits(max_title_rows=10))


def test_note_rows_after_an_empty_row_are_skipped_and_kept():
    data = (
        CSV_TEXT + ",,,\n公示期内如有异议，请向县招生办反映。,,,\n监督电话：0371-00000000\n"
    ).encode()
    table, rows = table_of(data)
    assert len(rows) == 1
    assert table.notes == [
        (4, "公示期内如有异议，请向县招生办反映。"),
        (5, "监督电话：0371-00000000"),
    ]


def test_a_single_value_row_without_an_empty_row_before_it_is_data():
    data = (CSV_TEXT + "说明：以上名单\n").encode()
    table, rows = table_of(data)
    assert table.notes == []
    assert rows[-1] == (3, ["说明：以上名单"])


def test_empty_rows_inside_the_data_are_skipped():
    data = (HEADER + "\n" + ROW + "\n,,\n \u3000,\n" + ROW + "\n").encode()
    _, rows = table_of(data)
    assert [number for number, _ in rows] == [2, 5]


# --- limits --------------------------------------------------------------------------


def test_too_many_rows_are_refused_while_reading():
    data = (HEADER + "\n" + (ROW + "\n") * 10).encode()
    table = open_table(
        io.BytesIO(data), "list.csv", limits=Limits(max_rows=5), is_known_header=KNOWN
    )
    with pytest.raises(TableError, match="行数超过上限"):
        list(table.rows())


def test_too_many_columns_are_refused():
    wide = HEADER + "," + ",".join(f"列{i}" for i in range(70))
    assert "超过上限 64 列" in refusal(f"{wide}\n{ROW}\n".encode())


def test_trailing_empty_cells_do_not_count_as_columns():
    data = (HEADER + "," * 100 + "\n" + ROW + "," * 100 + "\n").encode()
    table, rows = table_of(data)
    assert len(table.headers) == 10
    assert len(rows) == 1


def test_a_file_over_the_size_limit_is_refused_before_reading():
    assert "文件过大" in refusal(CSV_TEXT.encode(), limits=Limits(max_file_bytes=100))


def test_an_xlsx_declaring_too_many_rows_is_refused_before_reading_rows(monkeypatch):
    data = handmade_xlsx(sheet_xml([HEADER.split(",")], dimension="A1:J3000000"))
    monkeypatch.setattr(readers, "_xlsx_rows", _must_not_run)
    assert "工作表声明 3000000 行" in refusal(data, "list.xlsx")


def test_an_xlsx_declaring_too_many_columns_is_refused():
    data = handmade_xlsx(sheet_xml([HEADER.split(",")], dimension="A1:ZZ10"))
    assert "列数超过上限" in refusal(data, "list.xlsx")


def test_an_xlsx_understating_its_size_is_still_read_in_full_and_capped():
    rows = [HEADER.split(",")] + [ROW.split(",")] * 8
    data = handmade_xlsx(sheet_xml(rows, dimension="A1:B2"))
    table, read = table_of(data, "list.xlsx")
    assert len(read) == 8  # the dimension does not hide rows
    table = open_table(
        io.BytesIO(data), "list.xlsx", limits=Limits(max_rows=5), is_known_header=KNOWN
    )
    with pytest.raises(TableError, match="行数超过上限"):
        list(table.rows())


# --- XLSX safety: zip bombs and XML entities -----------------------------------------


def _must_not_run(*args, **kwargs):
    raise AssertionError("parsing started")


def test_a_zip_bomb_like_xlsx_is_refused_before_parsing(monkeypatch):
    padding = " " * (8 * 1024 * 1024)  # 8 MB of spaces deflate about a thousandfold
    sheet = sheet_xml([HEADER.split(","), ROW.split(",")]).replace(
        "<sheetData>", padding + "<sheetData>"
    )
    data = handmade_xlsx(sheet)
    assert len(data) < 100_000
    monkeypatch.setattr(readers.openpyxl, "load_workbook", _must_not_run)
    message = refusal(data, "list.xlsx")
    assert "压缩比异常" in message and "压缩炸弹" in message


def test_an_xlsx_whose_declared_size_is_too_large_is_refused_before_parsing(monkeypatch):
    data = xlsx_bytes([HEADER.split(","), ROW.split(",")])
    monkeypatch.setattr(readers.openpyxl, "load_workbook", _must_not_run)
    message = refusal(data, "list.xlsx", limits=Limits(max_member_bytes=8_000))
    assert "解压后过大" in message
    message = refusal(data, "list.xlsx", limits=Limits(max_uncompressed_bytes=15_000))
    assert "解压后过大：共" in message


def test_an_xlsx_with_too_many_members_is_refused(monkeypatch):
    extra = {f"xl/media/image{i}.bin": b"x" for i in range(300)}
    data = handmade_xlsx(sheet_xml([HEADER.split(",")]), extra)
    monkeypatch.setattr(readers.openpyxl, "load_workbook", _must_not_run)
    assert "内部文件过多" in refusal(data, "list.xlsx")


def test_an_xlsx_with_xml_entities_is_refused():
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    sheet = sheet_xml([HEADER.split(","), ["1", "&lol2;"]], prolog=laughs)
    message = refusal(handmade_xlsx(sheet), "list.xlsx")
    assert "不安全的 XML" in message


def test_a_handmade_minimal_xlsx_is_read():
    _, rows = table_of(handmade_xlsx(sheet_xml([HEADER.split(","), ROW.split(",")])), "a.xlsx")
    assert rows == [(2, ROW.split(","))]


# --- XLSX values ---------------------------------------------------------------------


def test_xlsx_values_become_text_as_shown():
    header = ["序号", "姓名", "考生号", "身份证号", "加分分值", "资格条件", "测试成绩", "备注"]
    row = [
        1.0,
        "张三",
        25410021000001,
        "410302200706135831",
        7.5,
        datetime.datetime(2025, 6, 1),
        datetime.datetime(2025, 6, 1, 8, 30),
        1e-7,
    ]
    _, rows = table_of(xlsx_bytes([header, row]), "a.xlsx")
    assert rows[0][1] == [
        "1",
        "张三",
        "25410021000001",
        "410302200706135831",
        "7.5",
        "2025-06-01",
        "2025-06-01T08:30:00",
        "0.0000001",
    ]


def test_xlsx_formulas_are_read_as_formulas_not_their_results():
    _, rows = table_of(xlsx_bytes([["序号", "备注"], ["1", "=1+1"]]), "a.xlsx")
    assert rows[0][1] == ["1", "=1+1"]


def test_cell_text_of_other_types():
    assert readers._cell_text(True) == "TRUE"
    assert readers._cell_text(5.0) == "5"
    assert readers._cell_text(-0.25) == "-0.25"
    assert readers._cell_text(datetime.date(2025, 6, 1)) == "2025-06-01"
    assert readers._cell_text(datetime.time(8, 30)) == "08:30:00"
    assert readers._cell_text(None) == ""


def test_a_value_merged_across_cells_applies_to_each():
    header = ["序号", "姓名", "所在中学", "照顾类别"]
    rows = [
        ["2025年名单", None, None, None],
        header,
        ["1", "张三", "郑州一中", "烈士子女"],
        ["2", "李四", None, None],
        ["3", "王五", "郑州二中", None],
    ]
    data = xlsx_bytes(rows, merges=["A1:D1", "C3:C4", "D3:D5"])
    table, read = table_of(data, "a.xlsx")
    assert table.title_rows == [(1, "2025年名单")]
    assert [cells for _, cells in read] == [
        ["1", "张三", "郑州一中", "烈士子女"],
        ["2", "李四", "郑州一中", "烈士子女"],
        ["3", "王五", "郑州二中", "烈士子女"],
    ]


def test_only_the_first_sheet_is_read_and_the_others_are_mentioned():
    table, _ = table_of(xlsx_bytes([HEADER.split(",")], more_sheets=2), "a.xlsx")
    assert table.sheet_name == "名单"
    assert table.warnings == ["工作簿有 3 个工作表，只读取了第一个“名单”。"]


def test_merged_ranges_are_found_in_prefixed_sheet_xml():
    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData/><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/>'
        '<x:mergeCell ref="B3:B9"/></x:mergeCells></x:worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("s.xml", sheet)
    with zipfile.ZipFile(out) as archive:
        assert readers._merged_ranges(archive, "s.xml", Limits()) == [(1, 1, 1, 3), (3, 2, 9, 2)]
