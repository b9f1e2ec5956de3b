#!/usr/bin/env python3
"""Benchmark of the public check and the embedded full-text search. Not a test: run by hand.

    .venv/bin/python scripts/bench_lookup.py [--rows 1000000] [--duration 15] [--rounds 3]
        [--database-url URL]

1. Builds a throw-away database (SQLite in a temporary folder, or --database-url) with
   1,000,000 admission results and 20,000 candidate-list rows on notice.
2. Serves the site with gunicorn (2 sync workers, persistent DB connections) on a free
   loopback port, and loads it from a second process with wrk (installed from Debian if
   missing) at 64 connections, for a bounded time per scenario:
   - floor: a minimal Django view through the site's whole middleware (the framework floor,
     the baseline of the targets);
   - floor on the lean chain: the same view through the lookups' shorter middleware chain
     (sunshine/lean.py), for comparison only;
   - admission: GET /api/v1/lookup/admission with random existing exam numbers + names;
   - name: GET /api/v1/lookup/candidate (the JSON name check) with random names.
   The rate limiter runs on every lookup request (its limit raised so it never refuses).
3. Full-text search on the embedded engine with 10,000 disclosures: p50/p99 of
   engine.search() in-process over a fixed set of queries.
Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
BJ = ZoneInfo("Asia/Shanghai")

SETTINGS = """
from sunshine.settings.base import *  # noqa
DEBUG = False
SECRET_KEY = "bench-only-secret"
IDENTIFIER_HMAC_KEY = "bench-only-identifier-hmac-key"
LEDGER_SIGNING_KEY = "YmVuY2gtb25seS1sZWRnZXItc2lnbmluZy1rZXktMzI="  # bench only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {{"default": {database}}}
DATABASES["default"]["CONN_MAX_AGE"] = None
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
ROOT_URLCONF = "bench_urls"
SEARCH_ENGINE = "database"
SEARCH_LOOKUP_RATE = (10**9, 60)
SEARCH_QUERY_RATE = (10**9, 60)
_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
STORAGES = {{**STORAGES, "staticfiles": {{"BACKEND": _STATIC}}}}
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""

URLS = """
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET



@require_GET
def floor(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/floor", floor),
    path("bench/floor-lean", floor),
    path("", include("search.urls")),
]
"""

# The site's WSGI application, with the bench's second floor also on the lean chain.
WSGI = """
from sunshine.lean import LEAN_PATHS, LeanRoutes
from sunshine.wsgi import _site, application as site

application = LeanRoutes(_site, site.lean, LEAN_PATHS | {"/bench/floor-lean"})
"""

LUA = """
math.randomseed(os.time() + {seed})
request = function()
  local i = math.random(1, {rows})
  return wrk.format("GET", {expression})
end
"""

NAME = "%E8%80%83%E7%94%9F"  # 考生, URL-encoded


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django(workdir: Path, database_url: str | None):
    if database_url:
        import dj_database_url

        database = repr(dict(dj_database_url.parse(database_url)))
    else:
        sys.path.insert(0, str(REPO))
        from sunshine.settings.environment import sqlite_options

        # The options the site ships with (WAL, memory-mapped reads).
        database = repr(
            {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(workdir / "bench.sqlite3"),
                "OPTIONS": sqlite_options(),
            }
        )
    (workdir / "bench_settings.py").write_text(SETTINGS.format(database=database))
    (workdir / "bench_urls.py").write_text(URLS)
    (workdir / "bench_wsgi.py").write_text(WSGI)
    sys.path[:0] = [str(workdir), str(REPO)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    import django

    django.setup()


def load(rows: int, candidates: int, disclosures: int, now: datetime):
    from django.core.management import call_command
    from django.db import connection, transaction

    from disclosure.models import (
        AdmissionResultsPage,
        CandidateListPage,
        Dataset,
        Issuer,
    )
    from search import indexing
    from search.documents import IndexDocument
    from search.engines.database import DatabaseEngine
    from search.identifiers import exam_number_hmac

    call_command("migrate", verbosity=0)
    issuer, _ = Issuer.objects.get_or_create(name="基准测试考试院", level="province")

    def dataset(kind, count):
        return Dataset.objects.create(
            kind=kind,
            source_filename="bench.csv",
            source_size=1,
            source_sha256="0" * 64,
            source_format="csv",
            row_count=count,
            content_sha256=os.urandom(32).hex(),
            public_sha256="0" * 64,
        )

    started = time.perf_counter()
    admissions = dataset("admission_results", rows)
    sql = (
        "INSERT INTO disclosure_admissionresult (dataset_id, position, source_row,"
        " exam_number_masked, exam_number_hmac, name, id_number_masked, id_number_hmac, batch,"
        " track, institution_code, institution, major) VALUES"
        " (%s, %s, %s, %s, %s, %s, '', '', '本科一批', '物理类', '10001', '某某大学', '某专业')"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        batch = []
        for i in range(1, rows + 1):
            exam = f"2541{i:010d}"
            batch.append(
                (
                    admissions.pk,
                    i,
                    i + 1,
                    exam[:4] + "********" + exam[-2:],
                    exam_number_hmac(exam),
                    f"考生{i}",
                )
            )
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    candidate_rows = dataset("candidate_list", candidates)
    sql = (
        "INSERT INTO disclosure_candidateentry (dataset_id, position, source_row, serial, name,"
        " gender, exam_number_masked, exam_number_hmac, id_number_masked, id_number_hmac, school,"
        " category, qualification, test_item, test_score, pass_standard, institution, major,"
        " bonus_points, remarks) VALUES (%s, %s, %s, '', %s, '男', '', '', '', '', %s, '少数民族',"
        " '', '', '', '', '', '', '5', '')"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (candidate_rows.pk, i, i + 1, f"考生{i}", f"第{i % 300}中学")
                for i in range(1, candidates + 1)
            ],
        )
    loaded = time.perf_counter() - started
    # Published as in production: through the review workflow (tests/factories.py).
    from tests.factories import add_disclosure, open_window

    window = open_window(now, opened_days_ago=2)
    opens, closes = window["window_opens_at"], window["window_closes_at"]
    pages = [
        add_disclosure(cls, title=title, issuer=issuer, dataset=ds, **window, **extra)
        for cls, ds, title, extra in (
            (AdmissionResultsPage, admissions, "本科一批录取结果", {}),
            (CandidateListPage, candidate_rows, "少数民族考生加分名单公示", {"list_type": "bonus"}),
        )
    ]
    for page in pages:
        indexing.index_page(page.pk, now, DatabaseEngine())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # 10,000 disclosures for the full-text benchmark, straight into the engine.
    words = [
        "加分",
        "名单",
        "公示",
        "保送",
        "专项计划",
        "艺术类",
        "高水平运动队",
        "招生章程",
        "录取",
        "少数民族",
        "烈士子女",
        "综合评价",
        "强基计划",
        "复查",
        "通知",
    ]
    rng = random.Random(7)

    def documents():
        for n in range(disclosures):
            title = "".join(rng.sample(words, 3)) + f"第{n}号"
            body = "。".join("".join(rng.sample(words, 4)) for _ in range(20))
            yield IndexDocument(
                doc_id=f"d-{10**6 + n}",
                doc_type="disclosure",
                page_id=10**6 + n,
                kind="notice",
                title=title,
                text=body,
                url="",
                issuer_id=issuer.pk,
                issuer_name=issuer.name,
                level="province",
                year=now.year,
                opens_at=opens - timedelta(minutes=n),
                closes_at=closes,
                visible_from=opens - timedelta(minutes=n),
                visible_until=closes + timedelta(days=90),
            )

    engine = DatabaseEngine()
    engine.rebuild(documents())
    return loaded, engine


def search_latencies(engine, now, rounds: int = 300):
    from search.engines import SearchQuery

    queries = [
        "加分",
        "名单",
        "加分名单",
        "专项计划",
        "高水平运动队",
        "强基",
        "第123号",
        "录取复查",
    ]
    samples = []
    for i in range(rounds):
        q = SearchQuery(text=queries[i % len(queries)], page=1 + (i % 3))
        t = time.perf_counter()
        engine.search(q, now)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def wrk(url: str, workdir: Path, expression: str, rows: int, duration: int, conns: int):
    """Requests/s, p99 (ms) and non-2xx count of `expression` (Lua, with `i` random in rows)."""
    script = workdir / f"bench-{random.randint(0, 10**9)}.lua"
    script.write_text(LUA.format(seed=random.randint(1, 10**6), rows=rows, expression=expression))
    command = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "-s", str(script), url]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    if os.environ.get("BENCH_VERBOSE"):
        print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99_ms, int(non2xx.group(1)) if non2xx else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--disclosures", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--rounds", type=int, default=3, help="scenarios run interleaved this many times"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="sunshine-bench-"))
    setup_django(workdir, args.database_url)
    from django.utils import timezone

    now = timezone.now()
    loaded, engine = load(args.rows, args.candidates, args.disclosures, now)
    print(f"loaded {args.rows} admission results + {args.candidates} rows in {loaded:.0f} s")
    p50, p99 = search_latencies(engine, now)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{workdir}:{REPO}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
    }
    server = subprocess.Popen(
        [
            str(REPO / ".venv/bin/gunicorn"),
            "bench_wsgi:application",
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        for _ in range(300):  # both workers up: Django set up, connections opened
            try:
                with urllib.request.urlopen(url + "/bench/floor", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        wrk(url, workdir, '"/bench/floor?i=" .. i', 10, 2, args.connections)  # warm-up
        scenarios = {
            "floor (minimal Django view)": ('"/bench/floor?i=" .. i', args.rows),
            "floor on the lean chain (for comparison)": ('"/bench/floor-lean?i=" .. i', args.rows),
            "admission lookup (exam number + name)": (
                '"/api/v1/lookup/admission?exam_number=" .. string.format("2541%010d", i)'
                f' .. "&name={NAME}" .. i',
                args.rows,
            ),
            "name check (name on a list on notice)": (
                f'"/api/v1/lookup/candidate?name={NAME}" .. i',
                args.candidates,
            ),
        }
        runs = {label: [] for label in scenarios}
        for _ in range(args.rounds):  # interleaved, so a noisy minute hits every scenario
            for label, (expression, rows) in scenarios.items():
                runs[label].append(
                    wrk(url, workdir, expression, rows, args.duration, args.connections)
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor_label = "floor (minimal Django view)"
    # Share of the floor: per round (the floor measured minutes apart would add noise), median.
    shares = {
        label: statistics.median(
            run[0] / floor[0] for run, floor in zip(runs[label], runs[floor_label], strict=True)
        )
        for label in runs
    }
    results = {
        label: (
            statistics.median(r[0] for r in values),
            statistics.median(r[1] for r in values),
            sum(r[2] for r in values),
        )
        for label, values in runs.items()
    }
    vendor = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print()
    print(
        f"Database: {vendor}; gunicorn 2 sync workers; wrk -t2 -c{args.connections} "
        f"-d{args.duration}s on loopback; {os.cpu_count()} cores; {args.rounds} rounds "
        "interleaved, medians."
    )
    print()
    print("| scenario | requests/s | share of floor | p99 | non-2xx |")
    print("|---|---:|---:|---:|---:|")
    for label, (rps, p99_ms, bad) in results.items():
        print(f"| {label} | {rps:,.0f} | {shares[label]:.0%} | {p99_ms:.1f} ms | {bad} |")
    for label, values in runs.items():
        rounds = ", ".join(f"{r[0]:,.0f} req/s p99 {r[1]:.1f} ms" for r in values)
        print(f"<!-- {label}: {rounds} -->")
    print()
    print(
        f"Full-text search, embedded engine, {args.disclosures:,} disclosures, in-process "
        f"engine.search(): p50 {p50:.1f} ms, p99 {p99:.1f} ms."
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
