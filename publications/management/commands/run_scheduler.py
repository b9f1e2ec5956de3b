import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from publications.windows.scheduler import tick


class Command(BaseCommand):
    help = (
        "Open scheduled disclosures, take down those whose retention ended, sign the daily "
        "ledger checkpoint. Run every minute (cron), or with --loop as a long-running process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=int, default=60, help="seconds between ticks")

    def handle(self, *args, loop, interval, **options):
        while True:
            report = tick(timezone.now())
            if report.published or report.retired or report.late or options["verbosity"] > 1:
                signed = "signed" if report.checkpoint_signed else "-"
                self.stdout.write(
                    f"opened {len(report.published)}, taken down {len(report.retired)}, "
                    f"late {len(report.late)}, checkpoint {signed}"
                )
            if not loop:
                return
            time.sleep(interval)
