"""Sign a checkpoint over the whole ledger now. Run at least daily from cron (docs/verify.md).

Publications sign one each; this one proves the ledger was not rewritten on quiet days.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publications.ledger.checkpoint import SigningKeyError
from publications.ledger.record import sign_checkpoint_now
from publications.ledger.views import checkpoint_json


class Command(BaseCommand):
    help = "Sign and store a checkpoint (tree size, Merkle root, time) of the ledger; print it."

    def handle(self, *args, **options):
        try:
            checkpoint = sign_checkpoint_now(timezone.now())
        except SigningKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(checkpoint_json(checkpoint), ensure_ascii=False))
