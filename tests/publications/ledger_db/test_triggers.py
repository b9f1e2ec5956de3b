"""The database itself refuses to change or delete ledger rows, on SQLite and on PostgreSQL.

Each test runs on the database it names and skips, saying why, on the other.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from publications.ledger.record import append_entry
from tests.publications.ledger_db.conftest import AT

pytestmark = pytest.mark.django_db

REFUSED = "append-only"


def only_on(vendor):
    if connection.vendor != vendor:
        pytest.skip(f"this rule is about {vendor}; the tests run on {connection.vendor}")


def refused(sql):
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    return str(caught.value)


@pytest.fixture
def two_entries(db):
    append_entry("published", at=AT)
    append_entry("withdrawn", at=AT)


@pytest.mark.parametrize("table", ["publications_ledgerentry", "publications_checkpoint"])
def test_sqlite_refuses_update_and_delete_on_the_ledger_tables(two_entries, table):
    only_on("sqlite")
    assert REFUSED in refused(
        f"UPDATE {table} SET signature = 'x'"
        if "checkpoint" in table
        else f"UPDATE {table} SET event = 'published'"
    )
    assert REFUSED in refused(f"DELETE FROM {table}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == 2


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["publications_ledgerentry", "publications_checkpoint"])
def test_postgresql_refuses_update_delete_and_truncate_on_the_ledger_tables(two_entries, table):
    only_on("postgresql")
    assert REFUSED in refused(
        f"UPDATE {table} SET signature = 'x'"
        if "checkpoint" in table
        else f"UPDATE {table} SET event = 'published'"
    )
    assert REFUSED in refused(f"DELETE FROM {table}")
    assert REFUSED in refused(f"TRUNCATE {table}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == 2


def test_inserting_new_rows_stays_allowed(two_entries):
    append_entry("workflow_decision", at=AT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(seq) FROM publications_ledgerentry")
        assert cursor.fetchone()[0] == 3
