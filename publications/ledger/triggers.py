"""Database triggers that make the ledger tables append-only, on SQLite and PostgreSQL.

Every UPDATE and DELETE on ``LEDGER_TABLES`` is refused by the database itself,
whoever sends it: the ORM, a raw query, a shell. On PostgreSQL a TRUNCATE of a
table holding rows is refused too (TRUNCATE of an empty table is allowed, so
the test runner can flush). Someone with the right to drop the trigger can
still rewrite the tables: that is what the hash chain, the signed checkpoints
kept by others and ``verify_ledger`` are for.

Migration ``0004_ledger_tables`` calls ``create_all``; tests call ``drop_all``
to act as an attacker with database rights.
"""

LEDGER_TABLES = ("publications_ledgerentry", "publications_checkpoint")
REFUSAL = "append-only"  # appears in every refusal message
REFUSAL_ZH = "台账只可追加，不可修改或删除"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    has_rows boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO has_rows;
        IF NOT has_rows THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused (台账只可追加，不可修改或删除)',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is {REFUSAL}: {op} refused ({REFUSAL_ZH})'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]


def _pg_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
    ]


def _pg_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in LEDGER_TABLES for sql in _sqlite_create(table)]
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [sql for table in LEDGER_TABLES for sql in _pg_create(table)]
    raise NotImplementedError(f"no append-only triggers for the {vendor} database")


def drop_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in LEDGER_TABLES for sql in _sqlite_drop(table)]
    if vendor == "postgresql":
        return [sql for table in LEDGER_TABLES for sql in _pg_drop(table)] + [
            "DROP FUNCTION IF EXISTS ledger_refuse_change()"
        ]
    raise NotImplementedError(f"no append-only triggers for the {vendor} database")


def create_all(connection) -> None:
    with connection.cursor() as cursor:
        for sql in create_statements(connection.vendor):
            cursor.execute(sql)


def drop_all(connection) -> None:
    with connection.cursor() as cursor:
        for sql in drop_statements(connection.vendor):
            cursor.execute(sql)
