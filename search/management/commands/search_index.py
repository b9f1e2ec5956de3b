"""`manage.py search_index rebuild|prune [--engine NAME]`.

rebuild: index every disclosure anew (the old index serves until the new one is complete),
with a progress bar. prune: remove what has passed retention or withdrawal; run it daily from
the scheduler (the query-time filter already hides such items; this takes them out).
"""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.models import CandidateEntry, CandidateListPage, DisclosurePage
from search import indexing
from search.engines import ENGINES, get_engine


class ProgressBar:
    def __init__(self, total: int, stream, width: int = 30):
        self.total, self.done, self.stream, self.width = max(total, 1), 0, stream, width

    def __call__(self, step: int) -> None:
        self.done += step
        share = min(1.0, self.done / self.total)
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%} {self.done}/{self.total}")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")


class Command(BaseCommand):
    help = "Rebuild or prune the public search index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "prune"])
        parser.add_argument("--engine", choices=sorted(ENGINES), help="default: SEARCH_ENGINE")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, action, engine=None, no_progress=False, **options):
        search_engine = get_engine(engine)
        now = timezone.now()
        if action == "prune":
            removed = indexing.prune(now, search_engine)
            self.stdout.write(f"已清除 {removed} 条过期检索文档（{search_engine.name}）。")
            return
        datasets = CandidateListPage.objects.live().values_list("dataset_id", flat=True)
        total = (
            DisclosurePage.objects.live().count()
            + CandidateEntry.objects.filter(dataset_id__in=list(datasets)).count()
        )
        bar = None if no_progress else ProgressBar(total, self.stderr._out or sys.stderr)
        done = indexing.rebuild(now, search_engine, progress=bar)
        if bar:
            bar.finish()
        self.stdout.write(f"已重建检索索引：{done} 条文档（{search_engine.name}）。")
