#!/usr/bin/env python3
"""Results day (issue 17): the admission lookup on PostgreSQL + Redis, a 4x spike, recovery.

Not a test: run by hand, on loopback only, bounded in time and count.

    .venv/bin/python scripts/bench_results_day.py --database i17bench [--rows 1000000]
        [--rounds 3] [--duration 10] [--spike-seconds 10] [--redis-url redis://127.0.0.1:6379/7]

1. Re-creates the PostgreSQL database named by --database (only that one) and loads
   1,000,000 admission results on notice, published through the review workflow
   (scripts/bench_lookup.py's set-up).
2. Pins every PostgreSQL process to core 1 (`taskset -a -p -c 1`, postmaster and backends, so
   new backends inherit it) and runs gunicorn (the shipped bin/gunicorn.conf.py: gthread
   workers, queue-timed, the lookup gate), wrk and this script on core 0. The original
   affinities are restored at the end, whatever happens.
3. Per round (rounds interleaved, medians reported):
   (a) wrk -c64 on the floor (a minimal Django view through the site's whole middleware,
       served by the same gunicorn), the same view on the lookups' lean chain (comparison
       only) and the admission lookup with random existing exam numbers: req/s, p99, ratio;
   (b) a spike at 4x the lookup's capacity just measured: wrk with a Lua script, many
       connections, each pausing between requests so that together they offer that rate, for
       --spike-seconds; per second, answered (2xx/404) / shed (503) / failed (other 5xx,
       socket errors, timeouts), counted in wrk's Lua; latency of answered lookups from a
       light probe (about 50 lookups/s on one kept-alive connection) that runs throughout,
       and of `/feed.json` from a second probe (public pages stay up?);
   (c) recovery: from the spike's end, the time until the probe's lookups are answered again
       (not shed, under 50 ms) for good.
Prints Markdown for docs/benchmarks.md.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import bench_lookup  # noqa: E402  (the data set-up and wrk runner of the lookup benchmark)

SETTINGS = """
from sunshine.settings.base import *  # noqa
DEBUG = False
SECRET_KEY = "bench-only-secret"
IDENTIFIER_HMAC_KEY = "bench-only-identifier-hmac-key"
LEDGER_SIGNING_KEY = "YmVuY2gtb25seS1sZWRnZXItc2lnbmluZy1rZXktMzI="  # bench only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# As production: persistent connections with health checks (sunshine/settings/environment.py).
DATABASES = {{"default": {database}}}
# As production with REDIS_URL: the cache and the rate-limit counters in Redis.
CACHES = {{
    "default": {{"BACKEND": "sunshine.cache.FailSoftRedisCache", "LOCATION": {redis!r},
                "KEY_PREFIX": {prefix!r}, "OPTIONS": {{"socket_connect_timeout": 0.5,
                "socket_timeout": 0.5}}}},
    "shared": {{"BACKEND": "sunshine.cache.FailSoftRedisCache", "LOCATION": {redis!r},
               "KEY_PREFIX": {prefix!r} + "-shared"}},
}}
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
    path("", include("sunshine.urls")),
]
"""

# Per-second outcomes, kept per wrk thread as a string (thread:get copies strings and
# numbers) plus the second in progress.
SPIKE_LUA = """
math.randomseed(os.time() + {seed})
threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) log = ""; sec = 0; a = 0; s = 0; f = 0 end
request = function()
  local i = math.random(1, {rows})
  return wrk.format("GET", "/api/v1/lookup/admission?exam_number=" .. string.format("2541%010d", i)
    .. "&name={name}" .. i)
end
delay = function() return math.random(0, {delay2}) end
response = function(status, headers, body)
  local now = os.time()
  if now ~= sec then
    if sec ~= 0 then log = log .. string.format("SEC %d %d %d %d\\n", sec, a, s, f) end
    sec = now; a = 0; s = 0; f = 0
  end
  if status == 503 then s = s + 1
  elseif status >= 500 then f = f + 1
  else a = a + 1 end
end
done = function(summary, latency, requests)
  for _, t in ipairs(threads) do
    io.write(t:get("log"))
    io.write(string.format("SEC %d %d %d %d\\n", t:get("sec"), t:get("a"), t:get("s"),
      t:get("f")))
  end
  local e = summary.errors
  io.write(string.format("ERRORS %d %d %d %d %d\\n", e.connect, e.read, e.write, e.status,
    e.timeout))
end
"""

NAME = bench_lookup.NAME
CORE_APP, CORE_DB = 0, 1


# -- PostgreSQL on its own core -------------------------------------------------------------


def postgres_pids() -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,comm="], capture_output=True, text=True).stdout
    return [
        int(pid)
        for pid, comm in (line.split(None, 1) for line in out.splitlines())
        if comm.strip() == "postgres"
    ]


class PinnedPostgres:
    """Every postgres process on `core` while inside; the original affinities restored after
    (processes started meanwhile get the postmaster's original affinity)."""

    def __init__(self, core: int):
        self.core = core
        self.saved: dict[int, set[int]] = {}

    def __enter__(self):
        for pid in postgres_pids():
            try:
                self.saved[pid] = os.sched_getaffinity(pid)
                subprocess.run(
                    ["taskset", "-a", "-p", "-c", str(self.core), str(pid)],
                    check=True,
                    capture_output=True,
                )
            except (OSError, subprocess.CalledProcessError):
                pass  # ended meanwhile
        return self

    def __exit__(self, *exc):
        default = ",".join(
            str(c) for c in sorted(next(iter(self.saved.values()), set(range(os.cpu_count() or 1))))
        )
        for pid in postgres_pids():
            cores = (
                ",".join(str(c) for c in sorted(self.saved[pid])) if pid in self.saved else default
            )
            subprocess.run(["taskset", "-a", "-p", "-c", cores, str(pid)], capture_output=True)
        return False


# -- load ----------------------------------------------------------------------------------


def wrk_on_core(url, workdir, expression, rows, duration, conns):
    """bench_lookup.wrk, with wrk on the application's core."""
    original = subprocess.run

    def pinned(command, *args, **kwargs):
        return original(["taskset", "-c", str(CORE_APP), *command], *args, **kwargs)

    subprocess.run = pinned
    try:
        return bench_lookup.wrk(url, workdir, expression, rows, duration, conns)
    finally:
        subprocess.run = original


class Probe(threading.Thread):
    """Closed loop on one kept-alive connection, `pause` seconds between requests; records
    (wall time at the end, latency s, outcome) with outcome answered / shed / failed."""

    def __init__(self, port, path_for, pause):
        super().__init__(daemon=True)
        self.port, self.path_for, self.pause = port, path_for, pause
        self.samples: list[tuple[float, float, str]] = []
        self.stop = threading.Event()

    def run(self):
        connection = None
        rng = random.Random(11)
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.path_for(rng), headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                status = response.status
                outcome = "shed" if status == 503 else "failed" if status >= 500 else "answered"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                outcome = "failed"
                if connection is not None:
                    connection.close()
                connection = None
            self.samples.append((time.time(), time.perf_counter() - started, outcome))
            time.sleep(self.pause)


def pct(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]


def spike(url, port, workdir, rows, rate, seconds, connections):
    """Offer `rate` lookups/s for `seconds` over `connections`; per-second outcomes."""
    # Each connection: a pause drawn from [0, 2d] ms then one request: mean d = conns / rate.
    delay_ms = max(1, int(1000 * connections / rate))
    script = workdir / f"spike-{random.randint(0, 10**9)}.lua"
    script.write_text(
        SPIKE_LUA.format(seed=random.randint(1, 10**6), rows=rows, name=NAME, delay2=2 * delay_ms)
    )
    # Eight lookup probes, so that a few answered lookups per second are timed even when most
    # requests are shed; one feed probe.
    lookup_probes = [
        Probe(
            port,
            lambda rng: (
                "/api/v1/lookup/admission?exam_number="
                + f"2541{rng.randint(1, rows):010d}&name={NAME}"
            ),
            0.05,
        )
        for _ in range(8)
    ]
    feed = Probe(port, lambda rng: "/feed.json", 0.1)
    for probe in [*lookup_probes, feed]:
        probe.start()
    time.sleep(3)  # before: the normal latency
    spike_start = time.time()
    command = [
        "taskset",
        "-c",
        str(CORE_APP),
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "2s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    spike_end = time.time()
    time.sleep(10)  # after: recovery
    for probe in [*lookup_probes, feed]:
        probe.stop.set()
    for probe in [*lookup_probes, feed]:
        probe.join(10)

    lookups = types.SimpleNamespace(  # the probes' samples together
        samples=sorted(sample for probe in lookup_probes for sample in probe.samples)
    )

    per_second: dict[int, list[int]] = {}
    for line in out.splitlines():
        if line.startswith("SEC "):
            second, answered, shed, failed = map(int, line.split()[1:])
            if second == 0:  # a wrk thread that had no answer yet
                continue
            row = per_second.setdefault(second, [0, 0, 0])
            row[0] += answered
            row[1] += shed
            row[2] += failed
    errors = re.search(r"ERRORS (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if errors is None:
        raise RuntimeError("wrk gave no summary:\n" + out)
    connect, read, write, _status, timeout = map(int, errors.groups())
    socket_errors = connect + read + write + timeout
    requests = int(re.search(r"(\d+) requests in", out).group(1))

    def window(samples, start, end):
        return [s for s in samples if start <= s[0] < end]

    before = window(lookups.samples, spike_start - 3, spike_start)
    during = window(lookups.samples, spike_start, spike_end)
    normal_ms = max(50.0, 2 * 1000 * pct([s[1] for s in before if s[2] == "answered"], 0.99))
    # Recovery: the end of the last probe lookup after the spike that was not answered in time.
    late = [
        s[0]
        for s in window(lookups.samples, spike_end, spike_end + 10)
        if s[2] != "answered" or s[1] * 1000 > normal_ms
    ]
    recovery = max(late) - spike_end if late else 0.0
    seconds_rows = []
    for second in sorted(per_second):
        answered, shed, failed = per_second[second]
        answered_ms = [
            s[1] * 1000 for s in lookups.samples if int(s[0]) == second and s[2] == "answered"
        ]
        seconds_rows.append(
            (
                second - int(spike_start),
                answered,
                shed,
                failed,
                pct(answered_ms, 0.5),
                pct(answered_ms, 0.99),
                len(answered_ms),
            )
        )
    totals = [sum(r[i] for r in per_second.values()) for i in range(3)]
    feed_during = window(feed.samples, spike_start, spike_end)
    return {
        "offered_rate": rate,
        "achieved_rate": requests / seconds,
        "answered": totals[0],
        "shed": totals[1],
        "failed": totals[2] + socket_errors,
        "other_5xx": totals[2],
        "socket_errors": socket_errors,
        "probe_before_p99": pct([s[1] * 1000 for s in before if s[2] == "answered"], 0.99),
        "answered_p50": pct([s[1] * 1000 for s in during if s[2] == "answered"], 0.5),
        "answered_p99": pct([s[1] * 1000 for s in during if s[2] == "answered"], 0.99),
        "probe_during": len(during),
        "probe_answered": sum(1 for s in during if s[2] == "answered"),
        "feed_ok": sum(1 for s in feed_during if s[2] == "answered"),
        "feed_total": len(feed_during),
        "feed_p99": pct([s[1] * 1000 for s in feed_during if s[2] == "answered"], 0.99),
        "recovery_s": recovery,
        "seconds": seconds_rows,
    }


def _loaded_rows(connection) -> int:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM disclosure_admissionresult")
            return cursor.fetchone()[0]
    except Exception:  # no tables yet
        return 0
    finally:
        connection.close()


def recreate_database(name: str):
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit("--database: lower-case letters, digits and _ only")
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "-f", name], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="PostgreSQL database to re-create")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=1_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--spike-seconds", type=int, default=10)
    parser.add_argument("--spike-connections", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--no-gate",
        action="store_true",
        help="for comparison: lookups never shed (8 places, 60 s wait), as without ADR 0017",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run if it is loaded"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    if not args.reuse:
        recreate_database(args.database)
    workdir = Path(tempfile.mkdtemp(prefix="sunshine-results-day-"))
    import dj_database_url

    url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    database = repr(dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)))
    prefix = f"results-day-bench-{os.getpid()}"
    (workdir / "bench_settings.py").write_text(
        SETTINGS.format(database=database, redis=args.redis_url, prefix=prefix)
    )
    (workdir / "bench_urls.py").write_text(URLS)
    (workdir / "bench_wsgi.py").write_text(bench_lookup.WSGI)
    sys.path[:0] = [str(workdir), str(REPO)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    if args.reuse and _loaded_rows(connection) == args.rows:
        print(f"reusing the {args.rows:,} admission results of the last run", flush=True)
    else:
        if args.reuse:
            recreate_database(args.database)
        connection.close()
        loaded, _ = bench_lookup.load(args.rows, args.candidates, 0, now)
        print(f"loaded {args.rows:,} admission results in {loaded:.0f} s", flush=True)
    connection.close()

    os.sched_setaffinity(0, {CORE_APP})  # this script's probes with gunicorn and wrk
    port = bench_lookup.free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{workdir}:{REPO}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "BIND": f"127.0.0.1:{port}",
        "REDIS_URL": args.redis_url,
    }
    env.pop("WEB_CONCURRENCY", None)
    if args.no_gate:
        env.update(LOOKUP_CONCURRENCY="8", LOOKUP_MAX_WAIT="60")
    base = f"http://127.0.0.1:{port}"
    rounds = []
    with PinnedPostgres(CORE_DB):
        server = subprocess.Popen(
            [
                "taskset",
                "-c",
                str(CORE_APP),
                str(REPO / ".venv/bin/gunicorn"),
                "-c",
                str(REPO / "bin/gunicorn.conf.py"),
                "bench_wsgi:application",
            ],
            cwd=REPO,
            env=env,
        )
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(base + "/bench/floor", timeout=1) as r:  # noqa: S310
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)
            wrk_on_core(base, workdir, '"/bench/floor?i=" .. i', 10, 2, 64)  # warm-up
            lookup = (
                '"/api/v1/lookup/admission?exam_number=" .. string.format("2541%010d", i)'
                f' .. "&name={NAME}" .. i'
            )
            scenarios = {
                "floor": '"/bench/floor?i=" .. i',
                "floor-lean": '"/bench/floor-lean?i=" .. i',
                "admission": lookup,
            }
            for n in range(args.rounds):
                measured = {
                    label: wrk_on_core(base, workdir, expression, args.rows, args.duration, 64)
                    for label, expression in scenarios.items()
                }
                # Answered (2xx; every exam number exists) per second: wrk's rate less what was shed.
                measured = {
                    label: (rps - bad / args.duration, p99, bad)
                    for label, (rps, p99, bad) in measured.items()
                }
                capacity = measured["admission"][0]
                result = spike(
                    base,
                    port,
                    workdir,
                    args.rows,
                    4 * capacity,
                    args.spike_seconds,
                    args.spike_connections,
                )
                rounds.append((measured, result))
                print(
                    f"round {n + 1}: "
                    + ", ".join(
                        f"{k} {v[0]:,.0f} req/s p99 {v[1]:.1f} ms non-2xx {v[2]}"
                        for k, v in measured.items()
                    )
                    + f"; spike offered {result['offered_rate']:,.0f}/s achieved "
                    f"{result['achieved_rate']:,.0f}/s answered {result['answered']} shed "
                    f"{result['shed']} failed {result['failed']} answered p99 "
                    f"{result['answered_p99']:.1f} ms recovery {result['recovery_s']:.2f} s",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(rounds, args)
    shutil.rmtree(workdir, ignore_errors=True)


def report(rounds, args):
    med = statistics.median
    if args.no_gate:
        print("LOOKUP GATE OFF (--no-gate): lookups wait up to 60 s, 8 places per process.")
    print()
    print(
        f"PostgreSQL (pinned to core {CORE_DB}) + Redis; gunicorn bin/gunicorn.conf.py on core "
        f"{CORE_APP} with wrk and the probes; {args.rows:,} admission results; "
        f"{len(rounds)} rounds interleaved, medians."
    )
    print()
    print(
        "| scenario | answered req/s (median) | share of floor (median of rounds) "
        "| p99 (all answers) | shed (503), all rounds |"
    )
    print("|---|---:|---:|---:|---:|")
    for label in ("floor", "floor-lean", "admission"):
        values = [m[label] for m, _ in rounds]
        share = med(m[label][0] / m["floor"][0] for m, _ in rounds)
        print(
            f"| {label} | {med(v[0] for v in values):,.0f} | {share:.0%} | "
            f"{med(v[1] for v in values):.1f} ms | {sum(v[2] for v in values)} |"
        )
    for label in ("floor", "floor-lean", "admission"):
        print(
            f"<!-- {label}: "
            + ", ".join(f"{m[label][0]:,.0f} req/s p99 {m[label][1]:.1f} ms" for m, _ in rounds)
            + " -->"
        )
    print()
    print(
        "| spike round | offered/s | achieved/s | answered | shed (503) | failed | other 5xx "
        "| answered p50 | answered p99 | feed 200s | feed p99 | recovery |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, (_, r) in enumerate(rounds, 1):
        print(
            f"| {n} | {r['offered_rate']:,.0f} | {r['achieved_rate']:,.0f} | {r['answered']:,}"
            f" | {r['shed']:,} | {r['failed']} | {r['other_5xx']} | {r['answered_p50']:.1f} ms"
            f" | {r['answered_p99']:.1f} ms | {r['feed_ok']}/{r['feed_total']} | "
            f"{r['feed_p99']:.1f} ms | {r['recovery_s']:.2f} s |"
        )
    print()
    print(
        "Per second of the middle round (s from the spike's start; answered p50/p99 from the "
        "probe's lookups in that second):"
    )
    print()
    print("| s | answered | shed | failed | probe answered | p50 | p99 |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    _, middle = rounds[len(rounds) // 2]
    for second, answered, shed, failed, p50, p99, n in middle["seconds"]:
        print(
            f"| {second} | {answered:,} | {shed:,} | {failed} | {n} | {p50:.1f} ms | {p99:.1f} ms |"
        )


if __name__ == "__main__":
    main()
