"""The ledger's key operations. ``verify_ledger`` and ``ledger_checkpoint`` stay as they are.

- ``python manage.py ledger keys``: every public key with its validity range.
- ``python manage.py ledger generate-key PATH``: a new Ed25519 key into PATH (mode 0600).
- ``python manage.py ledger rotate-key --new-key-file PATH [--old-key-file PATH]``: retire the
  current key now and start the one in PATH. The old key is LEDGER_SIGNING_KEY unless given;
  it must be the ledger's current key, else nothing changes. Then set LEDGER_SIGNING_KEY to the
  new key and restart: until then, processes holding the old key refuse to sign.

docs/verify.md ("Key rotation") and docs/adr/0018-trust-and-operations.md.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publications.ledger.checkpoint import SigningKeyError, generate_private_key_text, key_id
from publications.ledger.keys import published_keys, rotate


def _read_key_file(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            f"拒绝轮换，原密钥保持在用 / rotation refused, the old key stays: cannot read the "
            f"{what} key file {path}: {error.strerror or error}"
        ) from None


class Command(BaseCommand):
    help = "Ledger signing keys: list them, generate one, rotate to a new one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("keys", help="list every public key with its validity range")
        generate = sub.add_parser("generate-key", help="write a new signing key to a file")
        generate.add_argument("path")
        rotate_parser = sub.add_parser("rotate-key", help="retire the current key, start a new one")
        rotate_parser.add_argument("--new-key-file", required=True, help="the new key (0600)")
        rotate_parser.add_argument(
            "--old-key-file", help="the current key, if LEDGER_SIGNING_KEY no longer holds it"
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action.replace("-", "_"))(**options)

    def handle_keys(self, **options):
        keys = published_keys()
        if not keys:
            self.stdout.write("no rotation yet: the key in use is LEDGER_SIGNING_KEY's")
        for key in keys:
            self.stdout.write(
                f"{key.key_id} {key.public_key} from {key.valid_from} "
                f"until {key.valid_until or '(in use)'}"
            )

    def handle_generate_key(self, *, path, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{path} exists: a key file is never overwritten")
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        text = generate_private_key_text()
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(text + "\n")
        self.stdout.write(f"new key {key_id(_public(text))} written to {path} (mode 0600)")

    def handle_rotate_key(self, *, new_key_file, old_key_file=None, **options):
        new_text = _read_key_file(new_key_file, "new")
        old_text = (
            _read_key_file(old_key_file, "old")
            if old_key_file
            else getattr(settings, "LEDGER_SIGNING_KEY", "")
        )
        try:
            row = rotate(old_text, new_text, at=timezone.now())
        except SigningKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"台账签名密钥已轮换 / ledger key rotated: new key {row.key_id}")
        self.stdout.write(
            "now set LEDGER_SIGNING_KEY to the new key and restart every process; until then "
            "they refuse to sign. Publish the new public key where journalists pin it."
        )


def _public(private_text: str) -> str:
    from publications.ledger.checkpoint import load_private_key, public_key_text

    return public_key_text(load_private_key(private_text))
