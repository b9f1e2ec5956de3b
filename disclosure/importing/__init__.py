"""Reading, validating and canonicalising import files (CSV, XLSX).

Pure Python: no Django, no ORM, no settings, no clock. Settings (the HMAC key, the
exam-number pattern, limits) are passed in as arguments. The caller streams the clean rows
into the database inside a transaction and rolls back unless the report is ok.

Clear identifiers (exam numbers, ID numbers) never leave this package: clean rows and
reports carry only their masks and HMACs.
"""

from .canonical import RowsHasher, canonical_line, canonical_row, hash_rows
from .identifiers import (
    IdentifierHasher,
    hmac_identifier,
    mask_exam_number,
    mask_id_number,
    matches,
    normalise_identifier,
)
from .pipeline import (
    CleanRow,
    ImportReport,
    Note,
    RowError,
    Validation,
    dry_run,
    validate_file,
)
from .readers import Limits, Table, TableError, open_table
from .schemas import KINDS, Column, HeaderError, Schema, get_schema
from .validators import DEFAULT_EXAM_NUMBER_PATTERN, CellError

__all__ = [
    "DEFAULT_EXAM_NUMBER_PATTERN",
    "KINDS",
    "CellError",
    "CleanRow",
    "Column",
    "HeaderError",
    "IdentifierHasher",
    "ImportReport",
    "Limits",
    "Note",
    "RowError",
    "RowsHasher",
    "Schema",
    "Table",
    "TableError",
    "Validation",
    "canonical_line",
    "canonical_row",
    "dry_run",
    "get_schema",
    "hash_rows",
    "hmac_identifier",
    "mask_exam_number",
    "mask_id_number",
    "matches",
    "normalise_identifier",
    "open_table",
    "validate_file",
]
