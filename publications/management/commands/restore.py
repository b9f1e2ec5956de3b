"""Restore a backup made by ``manage.py backup`` over the configured database, then verify it.

Usage: ``python manage.py restore PATH [--no-verify]``. Refuses, writing nothing, an older
backup over a newer ledger, a file that does not match its manifest, or another engine's backup;
after restoring runs the full ledger verification and exits non-zero naming the first bad entry.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from publications.ledger.backup import BackupError, restore
from publications.ledger.verify import verify_ledger


class Command(BaseCommand):
    help = "Restore a backup (refusing one older than the database's ledger) and verify it."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a backup file written by manage.py backup")
        parser.add_argument(
            "--no-verify", action="store_true", help="skip the ledger verification afterwards"
        )

    def handle(self, *args, path, no_verify=False, **options):
        try:
            head = restore(Path(path))
        except BackupError as error:
            raise CommandError(f"未恢复 / not restored: {error}") from None
        self.stdout.write(f"已恢复 / restored {path}: ledger head seq {head.seq}")
        if no_verify:
            self.stdout.write("台账未验证（--no-verify）/ ledger not verified (--no-verify)")
            return
        from publications.ledger.keys import verification_keys

        report = verify_ledger(verification_keys())
        if not report.ok:
            raise CommandError(
                "恢复的数据库未通过台账验证，请勿上线 / the restored database FAILS ledger "
                f"verification at {report.problem}"
            )
        self.stdout.write(
            f"台账验证通过 / ledger verified: {report.entries} entries, "
            f"{report.checkpoints} checkpoints, {report.versions_recomputed} published versions"
        )
        self.stdout.write(report.head_hash)
