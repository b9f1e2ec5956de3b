"""Benchmark: import of a generated 1,000,000-row admission-results CSV, end to end
(parse, validate, HMAC, insert), beside a raw insert of the same rows in the same run.

Usage:  .venv/bin/python scripts/bench_import.py [--rows N] [--repeat R] [--postgres URL]

Each measurement runs in a fresh child process on a fresh database, so its peak memory
(ru_maxrss) is its own. Figures are medians of --repeat runs; compare ratios, not seconds:
the machine is shared and noisy.
"""

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
INSTITUTIONS = [
    ("10001", "北京大学"),
    ("10003", "清华大学"),
    ("10459", "郑州大学"),
    ("10475", "河南大学"),
    ("10284", "南京大学"),
]


def id_number(n: int) -> str:
    body = f"410102{2006 + n % 2}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(2025)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["考生号", "姓名", "身份证号", "批次", "科类", "院校代码", "院校名称", "专业名称"]
        )
        for n in range(rows):
            code, name = INSTITUTIONS[n % len(INSTITUTIONS)]
            out.writerow(
                [
                    f"25{41000000000000 + n:012d}"[-14:],
                    rng.choice(SURNAMES) + rng.choice(GIVEN),
                    id_number(n),
                    "本科批",
                    "物理类" if n % 2 else "历史类",
                    code,
                    name,
                    "法学",
                ]
            )


CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.settings.dev")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
mode, path = sys.argv[1], sys.argv[2]
from django.db import connection, transaction
start = time.perf_counter()
if mode == "import":
    from disclosure.imports import import_file
    with open(path, "rb") as handle:
        dataset = import_file(handle, "bench.csv", "admission_results", path=path)
    rows = dataset.row_count
else:
    import csv
    from disclosure.bulk import insert_rows
    from disclosure.models import AdmissionResult, Dataset
    with transaction.atomic():
        ds = Dataset.objects.create(kind="admission_results", source_filename="raw",
            source_size=0, source_sha256="", source_format="csv", row_count=0,
            content_sha256="", public_sha256="")
        def raw_rows():
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                for i, r in enumerate(reader, 1):
                    yield (i, i + 1, r[0], r[0], r[1], r[2], r[2], r[3], r[4], r[5], r[6], r[7], ds.pk)
        rows = insert_rows(AdmissionResult, ["position", "source_row", "exam_number_masked",
            "exam_number_hmac", "name", "id_number_masked", "id_number_hmac", "batch", "track",
            "institution_code", "institution", "major", "dataset"], raw_rows())
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# The validating process of a large import (forked, so its resident set counts the pages it
# shares with this one as well).
child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": elapsed, "peak_mb": peak_mb, "child_mb": child_mb}))
"""


def measure(mode: str, path: Path, database_url: str | None) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as tmp:
        if database_url:
            env["DATABASE_URL"] = database_url
            reset_postgres(database_url)
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        result = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(path)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


def reset_postgres(url: str) -> None:
    import psycopg

    admin_url, _, name = url.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/sunshine_bench")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "admission_results.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB "
            f"in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
        databases = [("SQLite", None)] + (
            [] if args.no_postgres else [("PostgreSQL", args.postgres)]
        )
        print(
            "| database | what | rows/s (median) | seconds (median) | peak MB (max) "
            "| validating process peak MB | runs |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, url in databases:
            for mode, what in (("raw", "raw insert (baseline)"), ("import", "import end to end")):
                runs = [measure(mode, path, url) for _ in range(args.repeat)]
                seconds = statistics.median(r["seconds"] for r in runs)
                print(
                    f"| {label} | {what} | {args.rows / seconds:,.0f} | {seconds:.1f} | "
                    f"{max(r['peak_mb'] for r in runs):.0f} | "
                    f"{max(r['child_mb'] for r in runs):.0f} | {len(runs)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
