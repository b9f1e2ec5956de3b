"""A dataset's hashes recomputed from its stored rows, and its public CSV form.

The definition is the import pipeline's (``disclosure/importing/canonical.py``):
a canonical row is the list of a kind's column values in schema column order,
as text, "" for an empty column; each row is the line
``json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\\n"`` in UTF-8;
the hash is SHA-256 over all lines in row order (no header; no rows hash "").

- ``public_sha256``: identifiers (考生号, 身份证号) as their masks, as the public sees them;
- ``content_sha256``: identifiers as their HMACs (hex), as stored.

Here the rows come from the entry tables (``CandidateEntry`` …) ordered by
``position``, so ``verify_ledger`` notices a row changed behind the application's back.

The public CSV (``write_public_csv``) is what a journalist downloads and re-hashes
(docs/verify.md): UTF-8 with a BOM, CRLF line ends, one header row of the Chinese
column names in schema order, then the public rows in order. A cell that starts with
``= + - @``, a tab, a carriage return or ``'`` gets one ``'`` in front (so a
spreadsheet never runs it as a formula); a reader removes one leading ``'``.
"""

import csv
import hashlib
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring

from disclosure.models import Dataset, DatasetKind
from disclosure.models.entries import ENTRY_MODELS

# (column key, Chinese header, is an identifier) in the schema's column order.
COLUMNS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    DatasetKind.CANDIDATE_LIST: (
        ("serial", "序号", False),
        ("name", "姓名", False),
        ("gender", "性别", False),
        ("exam_number", "考生号", True),
        ("id_number", "身份证号", True),
        ("school", "所在中学", False),
        ("category", "照顾类别", False),
        ("qualification", "资格条件", False),
        ("test_item", "测试项目", False),
        ("test_score", "测试成绩", False),
        ("pass_standard", "合格标准", False),
        ("institution", "拟录高校", False),
        ("major", "拟录专业", False),
        ("bonus_points", "加分分值", False),
        ("remarks", "备注", False),
    ),
    DatasetKind.QUOTA_PLAN: (
        ("institution_code", "院校代码", False),
        ("institution", "院校名称", False),
        ("major_code", "专业代码", False),
        ("major", "专业名称", False),
        ("track", "科类", False),
        ("batch", "批次", False),
        ("places", "计划数", False),
        ("years", "学制", False),
        ("tuition", "学费", False),
        ("remarks", "备注", False),
    ),
    DatasetKind.ADMISSION_RESULTS: (
        ("exam_number", "考生号", True),
        ("name", "姓名", False),
        ("id_number", "身份证号", True),
        ("batch", "批次", False),
        ("track", "科类", False),
        ("institution_code", "院校代码", False),
        ("institution", "院校名称", False),
        ("major", "专业名称", False),
    ),
}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_CHUNK = 5000


def headers(kind: str) -> list[str]:
    return [header for _key, header, _identifier in COLUMNS[kind]]


def public_fields(kind: str) -> list[str]:
    """The entry model's fields giving the public row: identifiers as masks."""
    return [f"{key}_masked" if ident else key for key, _header, ident in COLUMNS[kind]]


def content_fields(kind: str) -> list[str]:
    """The entry model's fields giving the content row: identifiers as HMACs."""
    return [f"{key}_hmac" if ident else key for key, _header, ident in COLUMNS[kind]]


def canonical_line(row: Iterable[str]) -> str:
    return "[" + ",".join(map(encode_basestring, row)) + "]\n"


def hash_lines(rows: Iterable[list[str]]) -> tuple[str, int]:
    """SHA-256 hex over the canonical lines of ``rows``, and how many there were."""
    digest, count, pending = hashlib.sha256(), 0, []
    for row in rows:
        pending.append(canonical_line(row))
        count += 1
        if len(pending) >= _CHUNK:
            digest.update("".join(pending).encode("utf-8"))
            pending.clear()
    digest.update("".join(pending).encode("utf-8"))
    return digest.hexdigest(), count


def stored_rows(dataset: Dataset, fields: list[str]) -> Iterator[list[str]]:
    """The dataset's rows from its entry table, in position order, every value as text."""
    model = ENTRY_MODELS[dataset.kind]
    rows = (
        model.objects.filter(dataset=dataset)
        .order_by("position")
        .values_list(*fields)
        .iterator(chunk_size=_CHUNK)
    )
    for values in rows:
        yield ["" if value is None else str(value) for value in values]


def public_rows(dataset: Dataset) -> Iterator[list[str]]:
    return stored_rows(dataset, public_fields(dataset.kind))


def recompute_public_sha256(dataset: Dataset) -> tuple[str, int]:
    """(public hash, row count) recomputed from the entry table."""
    return hash_lines(public_rows(dataset))


def recompute_content_sha256(dataset: Dataset) -> tuple[str, int]:
    """(content hash, row count) recomputed from the entry table (HMACs as stored)."""
    return hash_lines(stored_rows(dataset, content_fields(dataset.kind)))


def escape_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def write_public_csv(dataset: Dataset, stream) -> int:
    """Write the public CSV of ``dataset`` to a text stream; returns the row count.

    Open the stream with ``newline=""`` (csv writes the CRLF itself).
    """
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers(dataset.kind))
    count = 0
    for row in public_rows(dataset):
        writer.writerow([escape_cell(value) for value in row])
        count += 1
    return count


def public_sha256_of_csv(kind: str, lines: Iterable[str]) -> tuple[str, int]:
    """The public hash recomputed from a public CSV's text lines (the BOM may remain).

    Raises ValueError if the header row is not the kind's headers in order.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise ValueError("the CSV is empty: no header row")
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if header != headers(kind):
        raise ValueError(f"the header row is not that of {kind}: {header}")
    width = len(header)

    def unescaped():
        for number, row in enumerate(reader, start=2):
            if len(row) != width:
                raise ValueError(f"CSV line {number} has {len(row)} cells, not {width}")
            yield [unescape_cell(value) for value in row]

    return hash_lines(unescaped())
