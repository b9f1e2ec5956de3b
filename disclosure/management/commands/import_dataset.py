import os
import sys

from django.core.management.base import BaseCommand, CommandError

from disclosure.imports import ImportRejected, import_file
from disclosure.models import DatasetKind


class ProgressBar:
    """A one-line progress bar on stderr: bytes read of the file's size."""

    WIDTH = 30

    def __init__(self, total_bytes: int, stream, enabled: bool):
        self.total = max(total_bytes, 1)
        self.stream = stream
        self.enabled = enabled

    def __call__(self, rows: int, bytes_read: int) -> None:
        if not self.enabled:
            return
        share = min(bytes_read / self.total, 1.0)
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {share:6.1%}  {rows:,} 行")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import a CSV or XLSX file as a new dataset; print its id and row count."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=DatasetKind.values)
        parser.add_argument("file")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, kind, file, no_progress, **options):
        try:
            size = os.path.getsize(file)
            handle = open(file, "rb")
        except OSError as error:
            raise CommandError(f"无法读取文件：{file}（{error.strerror}）") from error
        progress = ProgressBar(size, sys.stderr, enabled=not no_progress and sys.stderr.isatty())
        try:
            with handle:
                dataset = import_file(
                    handle, os.path.basename(file), kind, on_progress=progress, path=file
                )
        except ImportRejected as rejected:
            progress.finish()
            self.stderr.write(rejected.report.as_text())
            raise CommandError("导入被拒绝，未保存任何数据。") from None
        progress.finish()
        self.stdout.write(f"dataset {dataset.pk} rows {dataset.row_count}")
        self.stdout.write(
            f"数据集 {dataset.pk}：{dataset.row_count} 行，公开内容哈希 {dataset.public_sha256}"
        )
