"""Validating an import file: a stream of clean rows, then a report.

    validation = validate_file(upload, "名单.xlsx", "candidate_list", hmac_key=key)
    with transaction.atomic():
        rows = iter(validation)
        while batch := list(itertools.islice(rows, 5000)):
            CandidateEntry.objects.bulk_create(
                CandidateEntry(dataset=dataset, position=..., source_row=row.source_row,
                               **row.flat())
                for row in batch
            )
        report = validation.report
        if not report.ok:
            raise Rejected(report)  # rolls the inserted rows back

One bad row rejects the whole file. Rows are yielded until the first error is found; after
that nothing more is yielded (the caller will roll back anyway) but every remaining row is
still checked, so the report names every bad row, its column and the reason, in Chinese.
Duplicates are known only at the end, so a file can yield all its rows and still be rejected:
always look at `report.ok` after the last row. `dry_run()` checks without yielding.

Clean rows carry the normalised public values, the masks and the HMACs of identifiers,
never a clear identifier.

Speed: rows whose every cell is already canonical are checked by one regular expression over
the whole row (built from the columns' `fast` fragments), plus the identifiers' own checks;
any other row goes through the cell validators one by one, which are the reference: the fast
path only ever accepts what they would accept unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any, BinaryIO, NamedTuple

from . import validators as v
from .canonical import RowsHasher
from .identifiers import IdentifierHasher, mask_exam_number, mask_id_number
from .readers import Limits, Table, TableError, open_table
from .schemas import Column, HeaderError, Schema, UniqueRule, get_schema

__all__ = [
    "CleanRow",
    "ImportReport",
    "Note",
    "RowError",
    "Validation",
    "dry_run",
    "validate_file",
]

_FORMAT_LABELS = {"csv": "CSV", "xlsx": "XLSX"}
_ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030/GBK"}
_MAX_DISTINCT_COUNTED = 1000
_OTHER = "（其他）"
_PROGRESS_EVERY = 10_000
_ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


class RowError(NamedTuple):
    """A problem: its source row (None for the whole file), column (Chinese) and reason."""

    row: int | None
    column: str | None
    reason: str


class Note(NamedTuple):
    row: int
    text: str


class CleanRow(NamedTuple):
    """One valid row. No clear identifier: identifiers appear as masks and HMACs only.

    `values` are the kind's columns in schema order, normalised, with each identifier column
    holding its mask: the public projection (`fields` gives them by column key). `hmacs` has
    each identifier column of the kind by key: HMAC-SHA256 hex, or "" when the cell was empty.
    """

    source_row: int
    kind: str
    values: tuple[str, ...]
    hmacs: dict[str, str]

    @property
    def fields(self) -> dict[str, str]:
        return dict(zip(get_schema(self.kind).keys, self.values, strict=True))

    @property
    def masks(self) -> dict[str, str]:
        fields = self.fields
        return {key: fields[key] for key in self.hmacs}

    def flat(self) -> dict[str, str]:
        """Public fields, with each identifier as `<key>_masked` and `<key>_hmac`."""
        flat = self.fields
        for key, digest in self.hmacs.items():
            flat[f"{key}_masked"] = flat.pop(key)
            flat[f"{key}_hmac"] = digest
        return flat


@dataclass
class ImportReport:
    """What validation found. Complete only once the rows have all been read."""

    kind: str
    kind_label: str
    filename: str
    format: str | None = None  # "csv" | "xlsx"
    encoding: str | None = None  # "utf-8" | "utf-8-sig" | "gb18030"; None for XLSX
    source_size: int | None = None
    source_sha256: str | None = None  # of the file's bytes
    sheet_name: str | None = None
    header_row: int | None = None
    columns: list[str] = field(default_factory=list)  # the file's columns, Chinese, in order
    title_rows: list[Note] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # note rows below the data, skipped
    warnings: list[str] = field(default_factory=list)
    row_count: int = 0  # data rows read
    error_count: int = 0  # every error, listed or not
    errors: list[RowError] = field(default_factory=list)  # at most Limits.max_errors
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # column key → value → rows
    totals: dict[str, int] = field(default_factory=dict)  # column key → sum (计划数)
    content_sha256: str | None = None  # canonical rows, identifiers as HMACs
    public_sha256: str | None = None  # canonical rows, identifiers as masks
    complete: bool = False

    @property
    def ok(self) -> bool:
        return self.complete and self.error_count == 0

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.row is not None})

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (for the dataset's stored report)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["ok"] = self.ok
        data["errors"] = [e._asdict() for e in self.errors]
        data["notes"] = [n._asdict() for n in self.notes]
        data["title_rows"] = [n._asdict() for n in self.title_rows]
        return data

    def as_text(self) -> str:
        """The report in Chinese, for the command line."""
        lines = []
        if self.ok:
            lines.append(f"导入检查通过：{self.kind_label}，共 {self.row_count} 行。")
        elif not self.complete:
            lines.append("导入检查未完成。")
        else:
            bad = len({e.row for e in self.errors if e.row is not None})
            where = f"，涉及 {bad} 行" if bad else ""
            lines.append(
                f"导入被拒绝：{self.kind_label}，共 {self.error_count} 处错误{where}；"
                "整个文件未导入，请修改后重新上传。"
            )
        source = f"文件：{self.filename}"
        if self.format:
            source += f"（{_FORMAT_LABELS.get(self.format, self.format)}"
            if self.encoding:
                source += f"，编码 {_ENCODING_LABELS.get(self.encoding, self.encoding)}"
            if self.sheet_name:
                source += f"，工作表“{self.sheet_name}”"
            source += "）"
        lines.append(source)
        if self.header_row:
            lines.append(f"表头：第 {self.header_row} 行（{'、'.join(self.columns)}）")
        for note in self.title_rows:
            lines.append(f"标题行（已跳过）：第 {note.row} 行：{note.text}")
        for note in self.notes:
            lines.append(f"说明行（已跳过）：第 {note.row} 行：{note.text}")
        for warning in self.warnings:
            lines.append(f"提示：{warning}")
        if self.errors:
            lines.append("错误：")
            for error in self.errors:
                place = f"第 {error.row} 行" if error.row is not None else "文件"
                column = f"　{error.column}" if error.column else ""
                lines.append(f"  {place}{column}：{error.reason}")
            unlisted = self.error_count - len(self.errors)
            if unlisted > 0:
                lines.append(f"  ……另有 {unlisted} 处错误未逐条列出。")
        if self.ok:
            for key, counts in self.counts.items():
                label = get_schema(self.kind).column(key).header
                parts = "，".join(f"{value or '（空）'} {n}" for value, n in counts.items())
                lines.append(f"按{label}：{parts}")
            for key, total in self.totals.items():
                lines.append(f"{get_schema(self.kind).column(key).header}合计：{total}")
            lines.append(f"公开内容哈希（public_sha256）：{self.public_sha256}")
            lines.append(f"内容哈希（content_sha256）：{self.content_sha256}")
            lines.append(f"源文件 SHA-256：{self.source_sha256}")
        return "\n".join(lines)


class Validation(Iterator[CleanRow]):
    """The clean rows of a file, one by one; then `report`. Iterate once."""

    def __init__(self, rows: Iterator[CleanRow], report: ImportReport) -> None:
        self._rows = rows
        self._report = report

    def __iter__(self) -> Iterator[CleanRow]:
        return self._rows  # the generator itself: `for` loops run without a Python __next__

    def __next__(self) -> CleanRow:
        return next(self._rows)

    @property
    def report(self) -> ImportReport:
        """The report; only once every row has been read (otherwise RuntimeError)."""
        if not self._report.complete:
            raise RuntimeError("the report is complete only after the last row has been read")
        return self._report

    def dry_run(self) -> ImportReport:
        """Check the whole file without keeping its rows."""
        for _ in self._rows:
            pass
        return self.report


def validate_file(
    fileobj: BinaryIO,
    filename: str,
    kind: str,
    *,
    hmac_key: bytes,
    exam_number_pattern: str = v.DEFAULT_EXAM_NUMBER_PATTERN,
    limits: Limits | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Validation:
    """Validate an import file of `kind` as it is read: clean rows, then `.report`.

    Nothing is read until the first row is asked for. File-level problems (not a table,
    encoding, headers) end up in the report like row errors, never as exceptions.
    `on_progress(rows_read, bytes_read)` is called every 10,000 rows.
    """
    schema = get_schema(kind)
    limits = limits or Limits()
    # Check the key and pattern now, not half-way through an import.
    hashers = {c.key: IdentifierHasher(hmac_key, c.key) for c in schema.columns if c.identifier}
    v.exam_number_regex(exam_number_pattern)
    report = ImportReport(kind=kind, kind_label=schema.label, filename=filename)
    run = _Run(schema, report, limits, hashers, exam_number_pattern, on_progress)
    return Validation(run.rows(fileobj, filename), report)


def dry_run(
    fileobj: BinaryIO,
    filename: str,
    kind: str,
    *,
    hmac_key: bytes,
    exam_number_pattern: str = v.DEFAULT_EXAM_NUMBER_PATTERN,
    limits: Limits | None = None,
) -> ImportReport:
    """Validate a whole file and return its report, keeping no rows."""
    return validate_file(
        fileobj,
        filename,
        kind,
        hmac_key=hmac_key,
        exam_number_pattern=exam_number_pattern,
        limits=limits,
    ).dry_run()


class _Run:
    def __init__(
        self,
        schema: Schema,
        report: ImportReport,
        limits: Limits,
        hashers: dict[str, IdentifierHasher],
        exam_number_pattern: str,
        on_progress: Callable[[int, int], None] | None,
    ) -> None:
        self.schema = schema
        self.report = report
        self.limits = limits
        self.hashers = hashers
        self.pattern = exam_number_pattern
        self.on_progress = on_progress
        self.failed = False
        self.order = {c.header: i for i, c in enumerate(schema.columns)}
        self.exam_like = re.compile(
            f"(?<![0-9A-Za-z])(?:{exam_number_pattern})(?![0-9A-Za-z])", re.ASCII | re.IGNORECASE
        )
        self.validators = {c.key: c.validator(exam_number_pattern) for c in schema.columns}
        index_of = {c.key: i for i, c in enumerate(schema.columns)}
        # Duplicates: the first 8 bytes of each row's digest, as an integer (smaller than a bytes
        # key: a million rows per identifier column), → the first row that had it. Equal 64-bit
        # prefixes of two different HMACs in a million rows: chance ~3e-8 per file.
        self.rules: dict[str, UniqueRule] = {}
        self.seen: dict[str, dict] = {}
        self.repeats: dict[str, list[tuple[int, int]]] = {}
        self.other_unique: list[tuple[str, list[list[int]], dict[bytes, int]]] = []
        for rule in schema.unique:
            name = rule.parts[0][0] if rule.is_identifier else rule.label
            self.rules[name], self.seen[name], self.repeats[name] = rule, {}, []
            if not rule.is_identifier:
                parts = [[index_of[k] for k in part] for part in rule.parts]
                self.other_unique.append((name, parts, self.seen[name]))
        self.counts: dict[str, dict[str, int]] = {key: {} for key in schema.summaries}
        self.totals: dict[str, int] = {key: 0 for key in schema.totals}

    def redact(self, text: str) -> str:
        """Mask anything shaped like an identifier in free text kept in the report."""
        text = _ID_LIKE.sub(lambda m: mask_id_number(m.group()), text)
        return self.exam_like.sub(lambda m: mask_exam_number(m.group()), text)

    def error(self, row: int | None, column: str | None, reason: str) -> None:
        self.failed = True
        self.report.error_count += 1
        if len(self.report.errors) < self.limits.max_errors:
            self.report.errors.append(RowError(row, column, reason))

    def rows(self, fileobj: BinaryIO, filename: str) -> Iterator[CleanRow]:
        report = self.report
        try:
            yield from self._rows(fileobj, filename)
        except TableError as problem:
            self.error(problem.row, None, problem.message)
        report.errors.sort(key=self._error_order)
        report.complete = True

    def _error_order(self, error: RowError) -> tuple[int, int]:
        return (error.row or 0, self.order.get(error.column or "", len(self.order)))

    def _rows(self, fileobj: BinaryIO, filename: str) -> Iterator[CleanRow]:
        schema, report, limits = self.schema, self.report, self.limits
        table = open_table(fileobj, filename, limits=limits, is_known_header=schema.is_known_header)
        report.format, report.encoding = table.format, table.encoding
        report.source_size, report.source_sha256 = table.size, table.sha256
        report.sheet_name, report.header_row = table.sheet_name, table.header_row
        report.title_rows = [Note(row, self.redact(text)) for row, text in table.title_rows]
        report.warnings = table.warnings
        report.columns = list(table.headers)
        try:
            mapped = schema.map_headers(table.headers)
        except HeaderError as problem:
            table.close()
            for reason in problem.problems:
                self.error(table.header_row, None, reason)
            return
        report.columns = [c.header if c else "" for c in mapped]
        try:
            yield from self._data_rows(table, mapped)
        finally:
            table.close()
            report.notes = [Note(row, self.redact(text)) for row, text in table.notes]
        for name, pairs in self.repeats.items():
            self._report_duplicates(self.rules[name], pairs)
        report.counts = {
            key: dict(sorted(counts.items(), key=lambda item: -item[1]))
            for key, counts in self.counts.items()
        }
        report.totals = self.totals
        if self.failed:
            report.public_sha256 = report.content_sha256 = None

    def _data_rows(self, table: Table, mapped: list[Column | None]) -> Iterator[CleanRow]:
        """The hot loop, written for speed: locals, and no calls on the fast path but C ones.

        A row takes the fast path when its text (cells joined by FAST_SEPARATOR) is printable
        and matches the columns' fragments at once, and its identifiers pass their own
        checks; then every cell is already what its validator would return. Any other row
        takes `_slow`, the validators cell by cell.
        """
        schema, report, kind = self.schema, self.report, self.schema.kind
        width = len(mapped)
        index_of = {c.key: i for i, c in enumerate(schema.columns)}
        file_index = {c.key: i for i, c in enumerate(mapped) if c is not None}

        exam_fragment, exam_needs_check = v.exam_number_fast(self.pattern)
        fast_match = re.compile(
            v.FAST_SEPARATOR.join(
                ""
                if c is None
                else c.fast_fragment(exam_fragment if c.key == "exam_number" else None)
                for c in mapped
            )
        ).fullmatch
        exam_at = file_index.get("exam_number", -1)
        exam_check = v.exam_number_regex(self.pattern).fullmatch if exam_needs_check else None
        if exam_at < 0:
            exam_check = None
        id_at = file_index.get("id_number", -1)
        id_valid = v.id_number_checker()
        id_prefixes_get, id_tails = id_valid.prefixes.get, v.ID_TAILS
        # Schema order from file order; absent columns read the "" appended at index `width`.
        to_schema = operator.itemgetter(*(file_index.get(key, width) for key in schema.keys))
        join = v.FAST_SEPARATOR.join

        exam_pos = index_of.get("exam_number", -1)
        id_pos = index_of.get("id_number", -1)
        # HMAC-SHA256 inlined (IdentifierHasher.digest): two copies of precomputed states.
        exam_inner, exam_outer = self.hashers["exam_number"].states if exam_pos >= 0 else (0, 0)
        id_inner, id_outer = self.hashers["id_number"].states if id_pos >= 0 else (0, 0)
        exam_seen, id_seen = self.seen.get("exam_number"), self.seen.get("id_number")
        from_bytes = int.from_bytes
        exam_stars = ["*" * n for n in range(40)]
        id_stars = "*" * 14

        counted = [(index_of[key], self.counts[key]) for key in schema.summaries]
        summed = [(index_of[key], key) for key in schema.totals]
        totals = self.totals
        public_hash, content_hash = RowsHasher(), RowsHasher()
        public_lines, content_lines = public_hash.lines, content_hash.lines
        encode = encode_basestring
        on_progress = self.on_progress
        slow = functools.partial(self._slow, width=width, mapped=mapped, index_of=index_of)
        track_other = self._track_other if self.other_unique else None
        new_row = tuple.__new__  # CleanRow's own __new__ is a Python function: skip it
        count = 0

        try:
            for number, cells in table.rows():
                count += 1
                if len(cells) != width:
                    cells = _fit(cells, width)
                text = join(cells)
                fast = text.isprintable() and fast_match(text) is not None
                if fast and exam_check is not None and cells[exam_at]:
                    fast = exam_check(cells[exam_at]) is not None
                if fast and id_at >= 0 and (value := cells[id_at]):
                    # id_number_checker inlined; the fragment has checked the shape.
                    if id_prefixes_get(value[:14]) != id_tails[value[14:]]:
                        fast = id_valid(value)  # fills the cache, or the number is wrong
                if fast:
                    cells.append("")
                    public = list(to_schema(cells))
                    plain = '"' not in text and "\\" not in text
                else:
                    public = slow(number, cells)
                    if public is None:
                        continue
                    plain = False

                exam_hmac = id_hmac = ""
                if exam_pos >= 0:
                    value = public[exam_pos]
                    if value:
                        inner = exam_inner()
                        inner.update(value.encode())
                        outer = exam_outer()
                        outer.update(inner.digest())
                        digest = outer.digest()
                        exam_hmac = digest.hex()
                        n = len(value)
                        public[exam_pos] = (
                            value[:4] + exam_stars[n - 6] + value[-2:]
                            if n >= 10
                            else mask_exam_number(value)
                        )
                        if exam_seen is not None:
                            first = exam_seen.setdefault(from_bytes(digest[:8]), number)
                            if first != number:
                                self.repeats["exam_number"].append((first, number))
                if id_pos >= 0:
                    value = public[id_pos]
                    if value:
                        inner = id_inner()
                        inner.update(value.encode())
                        outer = id_outer()
                        outer.update(inner.digest())
                        digest = outer.digest()
                        id_hmac = digest.hex()
                        public[id_pos] = value[:3] + id_stars + value[17:]
                        if id_seen is not None:
                            first = id_seen.setdefault(from_bytes(digest[:8]), number)
                            if first != number:
                                self.repeats["id_number"].append((first, number))
                if track_other is not None:
                    track_other(number, public, set())
                for position, counter in counted:
                    value = public[position]
                    if value in counter or len(counter) < _MAX_DISTINCT_COUNTED:
                        counter[value] = counter.get(value, 0) + 1
                    else:
                        counter[_OTHER] = counter.get(_OTHER, 0) + 1
                for position, key in summed:
                    totals[key] += int(public[position] or 0)
                if on_progress is not None and count % _PROGRESS_EVERY == 0:
                    on_progress(count, table.bytes_read)
                if self.failed:
                    continue

                # Canonical lines (canonical.py). With no quote or backslash (and no control
                # character, refused), json.dumps would write each value as it is.
                if plain:
                    public_lines.append('["' + '","'.join(public) + '"]\n')
                    content = public.copy()
                    if exam_pos >= 0:
                        content[exam_pos] = exam_hmac
                    if id_pos >= 0:
                        content[id_pos] = id_hmac
                    content_lines.append('["' + '","'.join(content) + '"]\n')
                else:
                    encoded = list(map(encode, public))
                    public_lines.append("[" + ",".join(encoded) + "]\n")
                    if exam_pos >= 0:
                        encoded[exam_pos] = f'"{exam_hmac}"'
                    if id_pos >= 0:
                        encoded[id_pos] = f'"{id_hmac}"'
                    content_lines.append("[" + ",".join(encoded) + "]\n")
                if len(public_lines) >= 4096:
                    public_hash.flush()
                    content_hash.flush()

                if exam_pos >= 0 and id_pos >= 0:
                    hmacs = {"exam_number": exam_hmac, "id_number": id_hmac}
                elif exam_pos >= 0:
                    hmacs = {"exam_number": exam_hmac}
                elif id_pos >= 0:
                    hmacs = {"id_number": id_hmac}
                else:
                    hmacs = {}
                yield new_row(CleanRow, (number, kind, tuple(public), hmacs))
        finally:
            report.row_count = count

        if on_progress is not None:
            on_progress(count, table.bytes_read)
        if not self.failed:
            report.public_sha256 = public_hash.hexdigest()
            report.content_sha256 = content_hash.hexdigest()

    def _slow(
        self,
        number: int,
        cells: list[str],
        *,
        width: int,
        mapped: list[Column | None],
        index_of: dict[str, int],
    ) -> list[str] | None:
        """Validate a row cell by cell. The row's values, or None after reporting its errors.

        The identifiers and keys of a bad row that are themselves valid still count for
        duplicates, so a duplicate is reported even on a row with another problem.
        """
        values = [""] * len(self.schema.columns)
        failed: set[int] = set()
        for position, cell in enumerate(cells):
            column = mapped[position] if position < width else None
            if column is None:
                if cell.strip(v.STRIP_CHARS):
                    self.error(number, f"第 {position + 1} 列", "该列没有表头，却有内容")
                    failed.add(-1)
                continue
            target = index_of[column.key]
            try:
                values[target] = self.validators[column.key](cell)
            except v.CellError as problem:
                self.error(number, column.header, problem.reason)
                failed.add(target)
        if not failed:
            return values
        for key in ("exam_number", "id_number"):
            position = index_of.get(key, -1)
            if position < 0 or position in failed or not values[position]:
                continue
            seen = self.seen.get(key)
            if seen is not None:
                digest = self.hashers[key].digest(values[position])
                first = seen.setdefault(_key(digest), number)
                if first != number:
                    self.repeats[key].append((first, number))
        if self.other_unique:
            self._track_other(number, values, failed)
        return None

    def _track_other(self, number: int, values: list[str], failed: set[int]) -> None:
        """Duplicates on keys other than an identifier (quota plans): skip failed parts."""
        for label, parts, seen in self.other_unique:
            if any(i in failed for part in parts for i in part):
                continue
            key = "\x1f".join(next((values[i] for i in part if values[i]), "") for part in parts)
            digest = hashlib.sha256(key.encode("utf-8")).digest()
            first = seen.setdefault(digest[:16], number)
            if first != number:
                self.repeats[label].append((first, number))

    def _report_duplicates(self, rule: UniqueRule, pairs: list[tuple[int, int]]) -> None:
        """Name every row of each group of duplicates, with the other rows of its group."""
        groups: dict[int, list[int]] = {}
        for first, row in pairs:
            groups.setdefault(first, [first]).append(row)
        column = rule.label if len(rule.parts) == 1 else None
        for group in groups.values():
            for row in group:
                others = "、".join(str(r) for r in group if r != row)
                reason = f"重复：与第 {others} 行相同"
                self.error(row, column, reason if column else f"{rule.label}{reason}")


def _fit(cells: list[str], width: int) -> list[str]:
    """Pad a short row with empty cells; drop empty cells past the header's width."""
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
        return cells
    if not "".join(cells[width:]).strip(v.STRIP_CHARS):
        del cells[width:]
    return cells


def _key(digest: bytes) -> int:
    """The duplicate-detection key of an identifier's HMAC digest (see Validation.__init__)."""
    return int.from_bytes(digest[:8])
