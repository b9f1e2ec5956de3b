"""Verify the ledger from the live database: exit 0 with the head hash, or name the first bad entry.

Usage: ``python manage.py verify_ledger [--chain-only] [--public-key BASE64]``.
What is checked: ``publications/ledger/verify.py``.
"""

from django.core.management.base import BaseCommand, CommandError

from publications.ledger.checkpoint import SigningKeyError
from publications.ledger.keys import verification_keys
from publications.ledger.verify import verify_ledger


class Command(BaseCommand):
    help = (
        "Recompute every ledger hash, every published version's content (page revisions, "
        "dataset rows) and every checkpoint; exit non-zero naming the first mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chain-only",
            action="store_true",
            help="check hashes, chain and checkpoints only, not the published contents",
        )
        parser.add_argument(
            "--public-key",
            help="one public key (base64), valid at all times, to check signatures with; "
            "default: the ledger's published keys and their validity ranges (after a rotation), "
            "else the public half of LEDGER_SIGNING_KEY",
        )

    def handle(self, *args, chain_only=False, public_key=None, **options):
        keys = public_key
        if not keys:
            try:
                keys = verification_keys()
            except SigningKeyError as error:
                raise CommandError(f"{error}; or pass --public-key") from None
        report = verify_ledger(keys, contents=not chain_only)
        if not report.ok:
            raise CommandError(
                f"台账验证失败 / ledger verification FAILED at {report.problem}\n"
                f"verified before it: {report.entries} entries, {report.checkpoints} checkpoints"
            )
        skipped = (
            f", {report.taken_down_skipped} taken down (not recomputed)"
            if report.taken_down_skipped
            else ""
        )
        contents = (
            "contents not checked (--chain-only)"
            if chain_only
            else f"{report.versions_recomputed} published versions and "
            f"{report.datasets_recomputed} datasets recomputed{skipped}"
        )
        self.stdout.write(
            f"台账验证通过 / ledger verified: {report.entries} entries, "
            f"{report.checkpoints} checkpoints, {contents}"
        )
        self.stdout.write(f"head seq {report.head_seq}")
        self.stdout.write(report.head_hash)
