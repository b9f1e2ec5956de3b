"""Importing a spreadsheet into an immutable dataset: the one action behind the admin upload,
the background task and `manage.py import_dataset`.

One pass: rows are validated as they stream from the file and inserted inside a single
transaction; if the report ends with any error, the transaction rolls back and nothing is
stored. Clear exam numbers and ID numbers never leave the import pipeline.
"""

import fcntl
import logging
import marshal
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import BinaryIO

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from .bulk import insert_batches
from .importing import ImportReport, get_schema, validate_file
from .models import Dataset, ImportJob
from .models.entries import ENTRY_MODELS

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES: int = settings.IMPORT_MAX_UPLOAD_BYTES
REPORT_ERRORS_KEPT = 1000


class ImportRejected(Exception):
    """The file was refused; `report` names every bad row, column and reason."""

    def __init__(self, report: ImportReport):
        super().__init__(report.as_text())
        self.report = report


def _entry_columns(model) -> list[str]:
    skip = {"id", "dataset"}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


def import_file(
    fileobj: BinaryIO,
    filename: str,
    kind: str,
    *,
    user=None,
    on_progress: Callable[[int, int], None] | None = None,
    path: str | None = None,
) -> Dataset:
    """Validate and store one file as a new dataset, or raise ImportRejected storing nothing.

    Given the file's `path` and a large file, parsing and validation run in a second process
    while this one inserts, so both cores work (see docs/benchmarks.md).
    """
    model = ENTRY_MODELS[kind]
    columns = _entry_columns(model)
    plan = _row_plan(kind, [c for c in columns if c not in ("position", "source_row")])
    options = {
        "hmac_key": settings.IDENTIFIER_HMAC_KEY.encode(),
        "exam_number_pattern": settings.EXAM_NUMBER_PATTERN,
    }
    parallel = path is not None and os.path.getsize(path) >= PARALLEL_MIN_BYTES
    with transaction.atomic():
        dataset = Dataset.objects.create(
            kind=kind,
            source_filename=filename[:255],
            source_size=0,
            source_sha256="",
            source_format="",
            row_count=0,
            content_sha256="",
            public_sha256="",
            created_by=user if getattr(user, "pk", None) else None,
        )
        shape = (plan, dataset.pk)
        if parallel:
            validated = _validated_in_child(path, filename, kind, shape, options, on_progress)
        else:
            validation = validate_file(fileobj, filename, kind, on_progress=on_progress, **options)
            validated = nullcontext((_entry_batches(validation, shape), lambda: validation.report))
        with validated as (batches, finish):
            insert_batches(model, [*columns, "dataset"], batches)
            report = finish()
        if not report.ok:
            transaction.set_rollback(True)
            raise ImportRejected(report)
        # Filled in once, inside the creating transaction; after commit the dataset is frozen.
        Dataset.objects.filter(pk=dataset.pk).update(
            source_size=report.source_size or 0,
            source_sha256=report.source_sha256 or "",
            source_format=report.format or "",
            source_encoding=report.encoding or "",
            row_count=report.row_count,
            content_sha256=report.content_sha256,
            public_sha256=report.public_sha256,
            report=stored_report(report),
        )
    dataset.refresh_from_db()
    logger.info("Imported dataset %s: %s rows of %s", dataset.pk, dataset.row_count, kind)
    return dataset


PARALLEL_MIN_BYTES = 4 * 1024 * 1024
BATCH_ROWS = 1_000


def _row_plan(kind: str, row_columns: list[str]) -> list[tuple[bool, object]]:
    """How to build an entry's values from a clean row: (from_hmacs, index or key) per column.

    `exam_number_masked` is the row's value of `exam_number` (the pipeline masks it);
    `exam_number_hmac` its HMAC; other columns are values by position in the schema.
    """
    keys = list(get_schema(kind).keys)
    plan: list[tuple[bool, object]] = []
    for name in row_columns:
        if name.endswith("_hmac"):
            plan.append((True, name.removesuffix("_hmac")))
        elif name.endswith("_masked"):
            plan.append((False, keys.index(name.removesuffix("_masked"))))
        else:
            plan.append((False, keys.index(name)))
    return plan


def _entry_batches(validation, shape) -> Iterator[list[tuple]]:
    """Clean rows as lists of complete entry tuples: (position, source_row, *values, dataset)."""
    plan, dataset_id = shape
    batch: list[tuple] = []
    position = 0
    for row in validation:
        values, hmacs = row.values, row.hmacs
        position += 1
        batch.append(
            (
                position,
                row.source_row,
                *[hmacs[where] if from_hmacs else values[where] for from_hmacs, where in plan],
                dataset_id,
            )
        )
        if len(batch) >= BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _produce(path, filename, kind, shape, options, connection, progress) -> None:
    """In the child process: read and validate, send batches of entry rows, then the report.

    Touches no database; clear identifiers never leave this process either.
    """
    try:
        with open(path, "rb") as handle:
            validation = validate_file(handle, filename, kind, on_progress=progress, **options)
            for batch in _entry_batches(validation, shape):
                connection.send_bytes(b"B" + marshal.dumps(batch))
            connection.send_bytes(b"R" + pickle.dumps(validation.report))
    except BaseException as error:
        connection.send_bytes(b"E" + f"{type(error).__name__}: {error}".encode())
    finally:
        connection.close()


# The pipe from the validating child holds this much (Linux: F_SETPIPE_SZ, capped by
# /proc/sys/fs/pipe-max-size), so the child writes the next batches while this process
# inserts; with the default 64 KB the two processes would take turns.
PIPE_BYTES = 1024 * 1024


def _widen(pipe_end) -> None:
    try:
        with open("/proc/sys/fs/pipe-max-size") as limit:
            size = min(PIPE_BYTES, int(limit.read()))
        fcntl.fcntl(pipe_end.fileno(), fcntl.F_SETPIPE_SZ, size)
    except (OSError, ValueError, AttributeError):  # not Linux: the default buffer, slower
        pass


@contextmanager
def _validated_in_child(path, filename, kind, shape, options, on_progress):
    """Validate in a forked child, which sends batches of entry rows through a pipe.

    Batches travel as marshal data (several times cheaper than pickle for tuples of
    strings and ints). They are read here, in the inserting thread: a reader thread would
    wait for the interpreter lock after every read while the inserts hold it.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _widen(sender)
    child = context.Process(
        target=_produce,
        args=(path, filename, kind, shape, options, sender, on_progress),
        daemon=True,
    )
    child.start()
    sender.close()
    outcome: dict = {}

    def batches():
        try:
            while True:
                message = receiver.recv_bytes()
                tag = message[:1]
                if tag == b"B":
                    yield marshal.loads(memoryview(message)[1:])  # noqa: S302 (our child)
                elif tag == b"R":
                    outcome["report"] = pickle.loads(message[1:])  # noqa: S301 (our child)
                    return
                else:
                    outcome["error"] = message[1:].decode()
                    return
        except EOFError:
            outcome["error"] = "the validating process ended without a report"

    stream = batches()

    def finish():
        for _ in stream:  # drain if the caller stopped early
            pass
        child.join(timeout=30)
        if "error" in outcome:
            raise RuntimeError(f"import validation failed: {outcome['error']}")
        return outcome["report"]

    try:
        yield stream, finish
    finally:
        # If inserting failed, the child may be blocked writing to the pipe: stop it, so a
        # long-running worker does not keep it.
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join(timeout=30)


def stored_report(report: ImportReport) -> dict:
    """The report as kept with a dataset or job: JSON, errors capped, Chinese summary."""
    data = report.as_dict()
    data["errors"] = [
        {"row": e.row, "column": e.column, "message": e.reason}
        for e in report.errors[:REPORT_ERRORS_KEPT]
    ]
    data["errors_truncated"] = report.error_count > len(data["errors"])
    data["notes"] = [n.text for n in report.notes]
    data["title_rows"] = [n.text for n in report.title_rows]
    data["summary"] = report.as_text().splitlines()[0]
    return data


# --- background imports -------------------------------------------------------------------

PROGRESS_KEY = "import-progress:{job_id}"


def queue_import(uploaded_file, kind: str, *, user=None) -> ImportJob:
    """Store the upload and queue its import; the request returns at once."""
    from .tasks import run_import_job

    job = ImportJob.objects.create(
        kind=kind,
        upload=uploaded_file,
        source_filename=uploaded_file.name[:255],
        bytes_total=uploaded_file.size,
        created_by=user if getattr(user, "pk", None) else None,
    )
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows, bytes) done so far, from the cache shared by the worker and the web server."""
    value = caches["shared"].get(PROGRESS_KEY.format(job_id=job.pk))
    return tuple(value) if value else (job.rows_done, job.bytes_done)


def _local_path(field_file) -> str | None:
    try:
        return field_file.path
    except NotImplementedError:  # remote storage: read through the file object instead
        return None


def execute_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.FAILED):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    progress_cache = caches["shared"]
    key = PROGRESS_KEY.format(job_id=job.pk)

    def on_progress(rows: int, bytes_read: int) -> None:
        progress_cache.set(key, (rows, bytes_read), timeout=3600)

    outcome: dict = {"finished_at": timezone.now()}
    try:
        with job.upload.open("rb") as fileobj:
            dataset = import_file(
                fileobj,
                job.source_filename,
                job.kind,
                user=job.created_by,
                on_progress=on_progress,
            )
    except ImportRejected as rejected:
        outcome |= {
            "status": ImportJob.Status.REJECTED,
            "report": stored_report(rejected.report),
            "rows_done": rejected.report.row_count,
        }
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        outcome |= {
            "status": ImportJob.Status.FAILED,
            "report": {
                "summary": "导入过程中发生系统错误，未保存任何数据；请稍后重试或联系管理员。"
            },
        }
    else:
        outcome |= {
            "status": ImportJob.Status.SUCCEEDED,
            "dataset": dataset,
            "report": dataset.report,
            "rows_done": dataset.row_count,
            "bytes_done": job.bytes_total,
        }
    ImportJob.objects.filter(pk=job.pk).update(**outcome)
    progress_cache.delete(key)
    # The upload held clear identifiers; the dataset keeps only masks and HMACs.
    job.upload.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(upload="")
    job.refresh_from_db()
    return job
