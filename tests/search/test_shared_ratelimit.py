"""With Redis configured the rate limits are one count across every web process.

Two separate processes (as two gunicorn workers are), each with its own Django and its own
cache client, count the same client against real Redis (db 7, a key prefix of this test). The
same two processes with the local-memory cache (no REDIS_URL) count each on its own: what the
system check sunshine.W001 warns about.
"""

import os
import socket
import subprocess
import sys
import uuid

import pytest

from tests.conftest import REPO

CHILD = """
import json, sys
import django
django.setup()
from search.ratelimit import hit
count, now = int(sys.argv[1]), float(sys.argv[2])
decisions = [hit("lookup", "198.51.100.7", (5, 60), now=now) for _ in range(count)]
print(json.dumps([d.allowed for d in decisions]))
"""

SETTINGS = """
from sunshine.settings.test import *  # noqa
CACHES = {{**CACHES, "default": {cache!r}}}
"""


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def worker(tmp_path, cache: dict, requests: int, now: float) -> list[bool]:
    """One process, as a gunicorn worker: its own interpreter, Django and cache client."""
    (tmp_path / "shared_settings.py").write_text(SETTINGS.format(cache=cache))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shared_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO}",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(requests), str(now)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_on_redis_two_processes_share_one_count(tmp_path):
    if not redis_reachable():
        pytest.skip("no Redis at 127.0.0.1:6379: the shared count needs a real Redis")
    prefix = f"sunshine-shared-test-{uuid.uuid4().hex}"
    cache = {
        "BACKEND": "sunshine.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/7",
        "KEY_PREFIX": prefix,
    }
    try:
        first = worker(tmp_path, cache, 3, now=1_200.0)
        second = worker(tmp_path, cache, 3, now=1_201.0)
    finally:
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/7")
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    assert first == [True, True, True]
    # Limit 5 a minute: the second process sees the first one's three requests.
    assert second == [True, True, False]


def test_without_redis_each_process_counts_on_its_own(tmp_path):
    cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "own"}
    first = worker(tmp_path, cache, 3, now=1_200.0)
    second = worker(tmp_path, cache, 3, now=1_201.0)
    assert first == second == [True, True, True]  # six requests against a limit of five
