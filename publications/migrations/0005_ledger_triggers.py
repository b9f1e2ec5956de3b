"""Append-only ledger: database triggers refusing UPDATE and DELETE (publications/ledger/triggers.py).

The SQL differs per database vendor, so it runs from RunPython, which sees the connection.
"""

from django.db import migrations

from publications.ledger import triggers


def create_triggers(apps, schema_editor):
    for sql in triggers.create_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)  # no placeholders: "%" is literal


def drop_triggers(apps, schema_editor):
    for sql in triggers.drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)  # no placeholders: "%" is literal


class Migration(migrations.Migration):
    dependencies = [("publications", "0004_ledger_tables")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
