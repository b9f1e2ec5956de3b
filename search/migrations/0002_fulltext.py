"""Full-text structures the ORM does not model, per database vendor.

SQLite: an FTS5 table over IndexedDocument's token columns (external content), kept in step by
triggers. PostgreSQL: a generated tsvector column (title tokens weight A, the rest B) built from
the space-separated tokens with array_to_tsvector, so no text-search parser splits them again,
and a GIN index over it.
"""

from django.db import migrations

TABLE = "sunshine_search_indexeddocument"
FTS = "sunshine_search_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        title_tokens, text_tokens, content='{TABLE}', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, title_tokens, text_tokens)
        VALUES (new.id, new.title_tokens, new.text_tokens); END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title_tokens, text_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.text_tokens); END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title_tokens, text_tokens)
        VALUES ('delete', old.id, old.title_tokens, old.text_tokens);
        INSERT INTO {FTS}(rowid, title_tokens, text_tokens)
        VALUES (new.id, new.title_tokens, new.text_tokens); END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]

POSTGRES_FORWARD = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(array_to_tsvector(array_remove(string_to_array(title_tokens, ' '), '')), 'A')
        || setweight(array_to_tsvector(array_remove(string_to_array(text_tokens, ' '), '')), 'B')
        ) STORED""",
    f"CREATE INDEX {TABLE}_search_vector ON {TABLE} USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    f"DROP INDEX IF EXISTS {TABLE}_search_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("sunshine_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
