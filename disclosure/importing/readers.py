"""Reading import files (CSV or XLSX) as a header and a stream of rows of text.

`open_table` tells the format by the file's bytes, never by its name, and streams: a CSV of
100 MB is read twice in 1 MB chunks (once to check its encoding, once to parse it) and never
held in memory; an XLSX is read with openpyxl in read-only mode, after its zip has been
checked against `Limits`, with defusedxml in force.

CSV encodings, in order: a UTF-8 BOM means UTF-8 (nothing else is tried); otherwise strict
UTF-8; otherwise GB18030, which covers GBK as Excel writes it. A file that decodes under
neither is refused: nothing is ever decoded with replacement characters.

Title rows above the header are skipped: the header is the first row whose non-empty cells
are all known column names (or mostly known: then the unknown ones are reported). Note rows
below the data (after an empty row, a single text, e.g. "公示期内如有异议……") are skipped and
kept in `Table.notes`. Empty rows are skipped everywhere.

XLSX cells become text: integral numbers without ".0", long digit strings intact, dates as ISO
8601, formulas as "=…" (which validation refuses). A merged range's value applies to each of
its cells; merged ranges are read from the sheet XML, which openpyxl's read-only mode skips.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import decimal
import hashlib
import io
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import defusedxml.ElementTree
import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.cell import range_boundaries

__all__ = ["Limits", "Table", "TableError", "open_table"]

MB = 1024 * 1024
_CHUNK = MB
_STRIP = " \u3000\xa0"
NOT_A_TABLE = "文件不是有效的 CSV 或 XLSX 表格"
_MAX_TITLE_TEXTS = 3  # distinct texts a title row above the header may have
_SAVE_AS_HINT = "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或“Excel 工作簿（.xlsx）”后重新上传。"


@dataclass(frozen=True)
class Limits:
    """Caps on what an import file may make the server do. Defaults fit a large province."""

    max_file_bytes: int = 256 * MB
    max_rows: int = 2_000_000  # highest source row number, title and empty rows included
    max_columns: int = 64  # up to the last non-empty cell of a row
    max_title_rows: int = 10  # non-header rows tolerated above the header
    # XLSX, checked on the zip's directory before any XML is parsed
    max_uncompressed_bytes: int = 200 * MB  # all members together
    max_member_bytes: int = 200 * MB  # any one member
    max_members: int = 200
    max_compression_ratio: float = 100.0
    ratio_min_bytes: int = MB  # smaller members cannot be bombs: their ratio is not checked
    max_merged_ranges: int = 100_000
    # reports
    max_errors: int = 100_000  # errors listed one by one; further ones are only counted


class TableError(Exception):
    """The file cannot be read as a table; `message` says why, in Chinese."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


RawRows = Iterator[list[str]]  # the rows of a file from the top, as lists of cell texts


@dataclass(eq=False)
class Table:
    """A header row and the data rows below it, streamed once by `rows()`."""

    format: str  # "csv" or "xlsx"
    encoding: str | None  # "utf-8", "utf-8-sig" or "gb18030"; None for XLSX
    size: int  # bytes
    sha256: str  # of the file's bytes
    headers: list[str]
    header_row: int
    title_rows: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # filled while rows() runs
    warnings: list[str] = field(default_factory=list)
    sheet_name: str | None = None
    limits: Limits = field(default_factory=Limits, repr=False)
    _raw: RawRows | None = field(default=None, repr=False)
    _fileobj: BinaryIO | None = field(default=None, repr=False)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(source row number, cells) for each data row; each call of next() is one row.

        Source row numbers are what Excel shows (1-based, title and header rows counted).
        Cells are as read (not stripped); the lists are fresh and the caller may change them.
        Empty rows are skipped, and so are note rows below the data (kept in `notes`).
        May raise TableError part-way (too many rows or columns, a broken file).
        """
        if self._raw is None:
            raise RuntimeError("Table.rows() can be read only once")
        raw, self._raw = self._raw, None
        number, limits = self.header_row, self.limits
        max_rows, max_columns = limits.max_rows, limits.max_columns
        after_empty = False
        try:
            for cells in raw:
                number += 1
                if number > max_rows:
                    raise _too_many_rows(number, limits)
                if len(cells) > max_columns:
                    _check_width(cells, number, limits)
                first = cells[0] if cells else ""
                if not (first and first[0] not in _STRIP) and not "".join(cells).strip(_STRIP):
                    after_empty = True
                    continue
                if after_empty:
                    distinct = _distinct_texts(cells)
                    if len(distinct) == 1:
                        self.notes.append((number, distinct[0]))
                        continue
                    after_empty = False
                yield number, cells
        except (csv.Error, UnicodeDecodeError) as error:
            raise _csv_error(error, number + 1) from None
        finally:
            self.close(raw)

    def close(self, raw: RawRows | None = None) -> None:
        """Release the reader (the caller's file stays open). Idempotent."""
        raw = raw or self._raw
        self._raw = None
        close = getattr(raw, "close", None)
        if close is not None:
            close()

    @property
    def bytes_read(self) -> int:
        """How far into the file reading has got (approximate for XLSX), for progress bars."""
        try:
            return self._fileobj.tell() if self._fileobj is not None else 0
        except (OSError, ValueError):
            return 0


def _distinct_texts(cells: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for cell in cells:
        text = cell.strip(_STRIP)
        if text:
            seen[text] = None
    return list(seen)


def open_table(
    fileobj: BinaryIO,
    filename: str,
    *,
    limits: Limits | None = None,
    is_known_header: Callable[[str], bool] | None = None,
) -> Table:
    """Open a CSV or XLSX file and find its header row. Raises TableError, in Chinese.

    `is_known_header` says whether a cell's text is a column name of the expected kind; it
    is how title rows are told from the header. Without it the first non-empty row is the
    header. The file object must stay open while the rows are read; it is not closed.
    """
    limits = limits or Limits()
    if not fileobj.seekable():
        fileobj = _spool(fileobj, limits)
    size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(0)
    if size == 0:
        raise TableError("文件为空。")
    if size > limits.max_file_bytes:
        raise TableError(
            f"文件过大：{size / MB:.1f} MB，上限为 {limits.max_file_bytes / MB:.0f} MB。"
        )
    head = fileobj.read(512)
    fileobj.seek(0)
    _refuse_known_non_tables(head, filename)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        table, raw = _open_xlsx(fileobj, filename, size, limits)
    else:
        table, raw = _open_csv(fileobj, filename, size, limits)
    table.limits, table._fileobj = limits, fileobj
    try:
        _attach_rows(table, raw, is_known_header, limits)
    except (csv.Error, UnicodeDecodeError) as error:
        table.close(raw)
        raise _csv_error(error, None) from None
    except BaseException:
        table.close(raw)
        raise
    return table


def _spool(fileobj: BinaryIO, limits: Limits) -> BinaryIO:
    spooled = tempfile.TemporaryFile()  # kept open by the table while its rows are read
    copied = 0
    while chunk := fileobj.read(_CHUNK):
        copied += len(chunk)
        if copied > limits.max_file_bytes:
            raise TableError(f"文件过大：上限为 {limits.max_file_bytes / MB:.0f} MB。")
        spooled.write(chunk)
    spooled.seek(0)
    return spooled


def _refuse_known_non_tables(head: bytes, filename: str) -> None:
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise TableError(
            f"{NOT_A_TABLE}：这是旧版 Excel（.xls）文件或加密的工作簿，不受支持。"
            + _SAVE_AS_HINT
            + "（不要设置密码）"
        )
    if head.startswith(b"%PDF"):
        raise TableError(f"{NOT_A_TABLE}：这是 PDF 文件。" + _SAVE_AS_HINT)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableError("文件是 UTF-16 编码（Excel 的“Unicode 文本”），不受支持。" + _SAVE_AS_HINT)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<head")):
        raise TableError(
            f"{NOT_A_TABLE}：内容是网页或 XML（可能是另存为网页的 .xls）。" + _SAVE_AS_HINT
        )


# --- header and title rows --------------------------------------------------------------


def _attach_rows(
    table: Table,
    raw: RawRows,
    is_known_header: Callable[[str], bool] | None,
    limits: Limits,
) -> None:
    number = 0
    for cells in raw:
        number += 1
        if number > limits.max_rows:
            raise _too_many_rows(number, limits)
        _check_width(cells, number, limits)
        texts = [cell.strip(_STRIP) for cell in cells]
        non_empty = [text for text in texts if text]
        if not non_empty:
            continue
        if is_known_header is None:
            is_header = True
        else:
            known = sum(1 for text in non_empty if is_known_header(text))
            # All known: the header. Mostly known: the header with some unknown columns,
            # which the schema will name. Anything else above the header is a title row.
            is_header = known == len(non_empty) or (known >= 2 and 2 * known >= len(non_empty))
        if is_header:
            while texts and not texts[-1]:
                texts.pop()
            table.headers = texts
            table.header_row = number
            table._raw = raw
            return
        distinct = _distinct_texts(cells)
        if len(distinct) > _MAX_TITLE_TEXTS:
            # Not a title: data above any header, or a header of unknown names. Its cells
            # are not quoted: they may be personal data.
            raise TableError(
                f"找不到表头行：第 {number} 行有多项内容，但不是本类型的列名"
                "（表头至少应有两个可识别的列名，如“姓名”“考生号”）。"
            )
        table.title_rows.append((number, " ".join(distinct)))
        if len(table.title_rows) >= limits.max_title_rows:
            raise TableError(
                f"前 {number} 行中找不到表头行：表头应是一行列名（如“姓名”“考生号”），"
                "且列名须为本类型可用的列。"
            )
    raise TableError("文件中没有表头行和数据。")


def _check_width(cells: list, number: int, limits: Limits) -> None:
    if len(cells) > limits.max_columns:
        width = len(cells)
        while width and (cells[width - 1] is None or cells[width - 1] == ""):
            width -= 1
        if width > limits.max_columns:
            raise TableError(
                f"第 {number} 行有 {width} 列，超过上限 {limits.max_columns} 列。", row=number
            )


def _too_many_rows(number: int, limits: Limits) -> TableError:
    return TableError(f"行数超过上限：最多 {limits.max_rows} 行，读到第 {number} 行时停止。")


# --- CSV --------------------------------------------------------------------------------


def _open_csv(fileobj: BinaryIO, filename: str, size: int, limits: Limits) -> tuple[Table, RawRows]:
    encoding, digest = _detect_encoding(fileobj, filename)
    table = Table(
        format="csv", encoding=encoding, size=size, sha256=digest, headers=[], header_row=0
    )
    return table, _csv_rows(fileobj, encoding, limits)


def _detect_encoding(fileobj: BinaryIO, filename: str) -> tuple[str, str]:
    """The encoding of a CSV file, checked over the whole file, and the file's SHA-256."""
    fileobj.seek(0)
    bom = fileobj.read(3) == codecs.BOM_UTF8
    candidates = ("utf-8-sig",) if bom else ("utf-8", "gb18030")
    failures: list[int] = []
    for encoding in candidates:
        fileobj.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        digest = hashlib.sha256()
        lines = 1
        try:
            while chunk := fileobj.read(_CHUNK):
                digest.update(chunk)
                if b"\x00" in chunk:
                    line = lines + chunk[: chunk.index(b"\x00")].count(b"\n")
                    raise TableError(
                        f"{NOT_A_TABLE}：文件含有二进制内容（第 {line} 行附近），不是文本表格。"
                        + (
                            "（文件扩展名为 .csv，但内容不是 CSV）"
                            if filename.lower().endswith(".csv")
                            else ""
                        )
                    )
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    raise _DecodeFailure(lines + chunk[: error.start].count(b"\n")) from None
                lines += chunk.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise _DecodeFailure(lines) from None
        except _DecodeFailure as failure:
            failures.append(failure.line)
            continue
        return encoding, digest.hexdigest()
    if bom:
        raise TableError(
            f"文件以 UTF-8 标记（BOM）开头，但第 {failures[0]} 行有不是 UTF-8 的字节。"
            + _SAVE_AS_HINT,
        )
    raise TableError(
        f"{NOT_A_TABLE}：编码无法识别，既不是 UTF-8，也不是 GBK/GB18030"
        f"（UTF-8 在第 {failures[0]} 行出错，GB18030 在第 {failures[1]} 行出错），"
        "或者不是文本文件。为避免乱码，系统不做猜测。" + _SAVE_AS_HINT,
    )


class _DecodeFailure(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _csv_rows(fileobj: BinaryIO, encoding: str, limits: Limits) -> RawRows:
    """csv.reader over the decoded file: the caller's file is shielded from being closed."""
    fileobj.seek(0)
    buffered = io.BufferedReader(_Shield(fileobj), buffer_size=_CHUNK)
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline="")
    return _Closing(csv.reader(text), text)


def _csv_error(error: Exception, row: int | None) -> TableError:
    where = f"第 {row} 行" if row else "文件"
    if isinstance(error, UnicodeDecodeError):
        return TableError(f"{where}无法解码：文件在读取期间被改动？", row=row)
    return TableError(f"{where}无法按 CSV 解析（可能有未配对的引号）：{error}", row=row)


class _Shield(io.RawIOBase):
    """Reads the caller's file; closing it (as TextIOWrapper does) leaves that file open."""

    def __init__(self, fileobj: BinaryIO) -> None:
        super().__init__()
        self._fileobj = fileobj

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._fileobj.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Closing:
    """An iterator that closes `resource` when closed (csv.reader has no close of its own)."""

    __slots__ = ("_iterator", "_resource")

    def __init__(self, iterator: Iterator[list[str]], resource: io.IOBase) -> None:
        self._iterator = iterator
        self._resource = resource

    def __iter__(self) -> Iterator[list[str]]:
        return self._iterator

    def __next__(self) -> list[str]:
        return next(self._iterator)

    def close(self) -> None:
        self._resource.close()


# --- XLSX -------------------------------------------------------------------------------


def _open_xlsx(
    fileobj: BinaryIO, filename: str, size: int, limits: Limits
) -> tuple[Table, RawRows]:
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("defusedxml is not in force for openpyxl: refusing to parse XLSX")
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(_CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    named_csv = (
        "（文件扩展名为 .csv，但内容是 ZIP 压缩包）" if filename.lower().endswith(".csv") else ""
    )
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TableError(
            f"{NOT_A_TABLE}：看起来是 ZIP/XLSX 文件，但已损坏或不完整{named_csv}。" + _SAVE_AS_HINT
        ) from None
    _check_archive(archive, limits)
    if "xl/workbook.xml" not in archive.namelist():
        raise TableError(f"{NOT_A_TABLE}：这是 ZIP 压缩包，但不是 Excel 工作簿{named_csv}。")
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                fileobj, read_only=True, data_only=False, keep_links=False, keep_vba=False
            )
    except Exception as error:  # openpyxl raises many kinds on a broken workbook
        if _caused_by(error, DefusedXmlException):
            raise TableError(_UNSAFE_XML) from None
        raise TableError(
            f"{NOT_A_TABLE}：无法读取 XLSX 工作簿（{type(error).__name__}）。" + _SAVE_AS_HINT
        ) from None
    if not workbook.worksheets:
        raise TableError(f"{NOT_A_TABLE}：工作簿中没有工作表。")
    sheet = workbook.worksheets[0]
    table = Table(
        format="xlsx",
        encoding=None,
        size=size,
        sha256=digest.hexdigest(),
        headers=[],
        header_row=0,
        sheet_name=sheet.title,
    )
    if len(workbook.sheetnames) > 1:
        table.warnings.append(
            f"工作簿有 {len(workbook.sheetnames)} 个工作表，只读取了第一个“{sheet.title}”。"
        )
    declared_rows, declared_columns = sheet.max_row, sheet.max_column
    if declared_rows is not None and declared_rows > limits.max_rows:
        raise TableError(
            f"行数超过上限：工作表声明 {declared_rows} 行，最多 {limits.max_rows} 行。"
        )
    if declared_columns is not None and declared_columns > limits.max_columns:
        raise TableError(
            f"列数超过上限：工作表声明 {declared_columns} 列，最多 {limits.max_columns} 列。"
        )
    merged = _merged_ranges(archive, sheet._worksheet_path, limits)
    # Read every row Excel would show, not only those inside the declared dimension.
    sheet.reset_dimensions()
    return table, _xlsx_rows(workbook, sheet, merged, limits)


_UNSAFE_XML = f"{NOT_A_TABLE}：XLSX 中含有不安全的 XML（DTD 或实体），拒绝读取。"


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    """Whether `error` or an exception it was raised from is of `kind` (openpyxl wraps)."""
    for _ in range(10):
        if error is None:
            return False
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip bomb on the zip's directory alone, before any member is decompressed.

    zipfile never inflates a member past its declared size, so capping declared sizes caps
    the work; the ratio check catches members built to expand.
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise TableError(f"XLSX 文件内部文件过多（{len(members)} 个，上限 {limits.max_members}）。")
    total = compressed = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise TableError("XLSX 文件已加密，不受支持：请取消密码后重新上传。")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TableError("XLSX 文件使用了不支持的压缩方式。" + _SAVE_AS_HINT)
        if member.file_size > limits.max_member_bytes:
            raise TableError(
                f"XLSX 文件解压后过大：{member.filename} 为 {member.file_size / MB:.1f} MB，"
                f"上限 {limits.max_member_bytes / MB:.0f} MB。"
            )
        if (
            member.file_size >= limits.ratio_min_bytes
            and member.file_size > limits.max_compression_ratio * max(member.compress_size, 1)
        ):
            raise TableError(
                f"XLSX 文件压缩比异常（{member.filename} 约 "
                f"{member.file_size / max(member.compress_size, 1):.0f} 倍，上限 "
                f"{limits.max_compression_ratio:.0f} 倍），疑似压缩炸弹，拒绝读取。"
            )
        total += member.file_size
        compressed += member.compress_size
    if total > limits.max_uncompressed_bytes:
        raise TableError(
            f"XLSX 文件解压后过大：共 {total / MB:.1f} MB，"
            f"上限 {limits.max_uncompressed_bytes / MB:.0f} MB。"
        )
    if total >= limits.ratio_min_bytes and total > limits.max_compression_ratio * max(
        compressed, 1
    ):
        raise TableError("XLSX 文件压缩比异常，疑似压缩炸弹，拒绝读取。")


_MERGE_START = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?mergeCells[\s/>]")
_MERGE_END = re.compile(
    rb"</(?:[A-Za-z_][\w.\-]*:)?mergeCells\s*>|<(?:[A-Za-z_][\w.\-]*:)?mergeCells[^<>]*/>"
)
_PREFIX = re.compile(rb"<(/?)[A-Za-z_][\w.\-]*:")


def _merged_ranges(
    archive: zipfile.ZipFile, path: str, limits: Limits
) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (min_row, min_col, max_row, max_col), by first row.

    `<mergeCells>` follows `<sheetData>`, so the member is streamed through in 1 MB chunks
    looking for it (text cannot contain "<", so only a real tag matches); just that element
    is then parsed, with defusedxml.
    """
    fragment = bytearray()
    found = False
    tail = b""
    max_fragment = 64 * limits.max_merged_ranges + 4096
    with archive.open(path.lstrip("/")) as member:
        while chunk := member.read(_CHUNK):
            if not found:
                window = tail + chunk
                start = _MERGE_START.search(window)
                if start is None:
                    tail = window[-64:]
                    continue
                found = True
                fragment += window[start.start() :]
            else:
                fragment += chunk
            if _MERGE_END.search(fragment):
                break
            if len(fragment) > max_fragment:
                raise TableError(f"合并单元格过多（上限 {limits.max_merged_ranges} 处）。")
    if not found:
        return []
    end = _MERGE_END.search(fragment)
    if end is None:
        raise TableError(f"{NOT_A_TABLE}：工作表的合并单元格信息不完整。")
    xml = _PREFIX.sub(rb"<\1", bytes(fragment[: end.end()]))
    try:
        root = defusedxml.ElementTree.fromstring(xml)
    except DefusedXmlException:
        raise TableError(_UNSAFE_XML) from None
    except Exception:  # xml.etree.ElementTree.ParseError and kin
        raise TableError(f"{NOT_A_TABLE}：工作表的合并单元格信息无法解析。") from None
    ranges = []
    for element in root.iter():
        if not element.tag.endswith("mergeCell"):
            continue
        ref = element.get("ref", "")
        if ":" not in ref:
            continue
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            raise TableError(f"{NOT_A_TABLE}：合并单元格范围 {ref[:20]} 无效。") from None
        if min_row is None or min_col is None or max_row is None or max_col is None:
            continue
        if max_col > limits.max_columns:
            raise TableError(f"合并单元格 {ref[:20]} 超出列数上限 {limits.max_columns}。")
        ranges.append((min_row, min_col, min(max_row, limits.max_rows), max_col))
        if len(ranges) > limits.max_merged_ranges:
            raise TableError(f"合并单元格过多（上限 {limits.max_merged_ranges} 处）。")
    ranges.sort()
    return ranges


def _xlsx_rows(workbook, sheet, merged: list[tuple[int, int, int, int]], limits: Limits) -> RawRows:
    max_rows = limits.max_rows
    pending = iter(merged)
    upcoming = next(pending, None)
    active: list[list] = []  # [min_row, min_col, max_row, max_col, value]
    number = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            number += 1
            if number > max_rows:
                raise _too_many_rows(number, limits)
            if len(values) > limits.max_columns:
                _check_width(list(values), number, limits)
            cells = [
                "" if value is None else value if type(value) is str else _cell_text(value)
                for value in values
            ]
            while upcoming is not None and upcoming[0] <= number:
                active.append([*upcoming, None])
                upcoming = next(pending, None)
            if active:
                cells = _apply_merges(cells, number, active)
            yield cells
    except TableError:
        raise
    except Exception as error:  # a broken sheet: openpyxl raises many kinds
        if _caused_by(error, DefusedXmlException):
            raise TableError(_UNSAFE_XML) from None
        raise TableError(
            f"{NOT_A_TABLE}：第 {number + 1} 行附近无法读取（{type(error).__name__}）。",
            row=number + 1,
        ) from None
    finally:
        workbook.close()


def _apply_merges(cells: list[str], number: int, active: list[list]) -> list[str]:
    """Give every cell of a merged range the value of its top-left cell."""
    for merge in active:
        min_row, min_col, _max_row, max_col, _ = merge
        if len(cells) < max_col:
            cells.extend([""] * (max_col - len(cells)))
        if number == min_row:
            merge[4] = cells[min_col - 1]
        value = merge[4] or ""
        for column in range(min_col - 1, max_col):
            cells[column] = value
    active[:] = [merge for merge in active if merge[2] > number]
    return cells


def _cell_text(value: object) -> str:
    """A non-string cell value as text: 5.0 → "5", 1e-7 → "0.0000001", dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        text = repr(value)
        if "e" in text and value == value and abs(value) != float("inf"):
            text = format(decimal.Decimal(text), "f")
        return text
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    formula = getattr(value, "text", None)  # ArrayFormula, DataTableFormula
    if isinstance(formula, str):
        return "=" + formula.lstrip("=")
    return str(value)
