"""Fast, streamed bulk insert of entry rows: COPY on PostgreSQL, executemany on SQLite.

The ORM's bulk_create builds a model instance per row; for a million rows that is the
slowest part of an import. Rows arrive as tuples in `columns` order, in batches.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connection

BATCH_ROWS = 5_000


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_rows(model, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` into `model`'s table; returns the count. Call inside a transaction."""
    return insert_batches(model, columns, _batches(rows, BATCH_ROWS))


def insert_batches(model, columns: Sequence[str], batches: Iterable[list[tuple]]) -> int:
    """Insert each batch of rows into `model`'s table; returns the count. In a transaction."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = [model._meta.get_field(name).column for name in columns]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row)
                    count += len(batch)
            return count
        placeholders = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608
        for batch in batches:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
