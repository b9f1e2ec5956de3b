"""Back the database up into one file and its manifest (publications/ledger/backup.py).

Usage: ``python manage.py backup var/backups/sunshine-2026-12-04.sqlite3`` (SQLite: the online
backup API) or ``… .dump`` (PostgreSQL: pg_dump, custom format). Prints the ledger head.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publications.ledger.backup import BackupError, backup, manifest_path


class Command(BaseCommand):
    help = "Write a consistent backup of the database and a manifest with its ledger head."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file to write (its manifest: PATH.json)")

    def handle(self, *args, path, **options):
        try:
            manifest = backup(Path(path))
        except BackupError as error:
            raise CommandError(str(error)) from None
        head = manifest["ledger_head"]
        self.stdout.write(
            f"备份完成 / backed up ({manifest['vendor']}): {path}, manifest "
            f"{manifest_path(Path(path)).name}, ledger head seq {head['seq']} {head['entry_hash']}"
        )
