"""Past capacity the lookups are shed with a fast 503; pages and the feed stay up (ADR 0017).

A real gunicorn process, started with the shipped configuration (bin/gunicorn.conf.py, its
gthread worker that times the queue) on a free loopback port, one worker, one lookup place
(`CONCURRENCY` 1). The place is held by a request on a gated route that waits for the test's
signal (a file), standing for a lookup stuck on a slow database. Then a real admission lookup
gets 503, Retry-After and the API's Chinese JSON error, while `/` and `/feed.json` answer 200;
once the held request ends, lookups are answered again without anything being reset.
"""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

from sunshine.shedding import SHED_MESSAGE
from tests.conftest import REPO

SETTINGS = """
from sunshine.settings.test import *  # noqa
from sunshine.settings.environment import sqlite_options
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r},
                           "OPTIONS": sqlite_options()}}}}
ROOT_URLCONF = "held_urls"
SUNSHINE_LOOKUP_SHEDDING = {{"CONCURRENCY": 1, "MAX_WAIT": 0.2, "RETRY_AFTER": 7}}
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""

URLS = """
import time
from pathlib import Path

from django.http import JsonResponse
from django.urls import include, path

HERE = Path({here!r})


def held(request):
    (HERE / "entered").touch()
    deadline = time.monotonic() + 20
    while not (HERE / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return JsonResponse({{"held": True}})


urlpatterns = [path("test/held-lookup", held), path("", include("sunshine.urls"))]
"""

# The site's WSGI application; the held route goes through the lookups' chain and gate.
WSGI = """
from sunshine.lean import LEAN_PATHS, LeanRoutes
from sunshine.wsgi import _site, application as site

application = LeanRoutes(_site, site.lean, LEAN_PATHS | {"/test/held-lookup"})
"""

LOOKUP = "/api/v1/lookup/admission?exam_number=25410000000001&name=%E8%80%83%E7%94%9F"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    here = tmp_path_factory.mktemp("shedding")
    db = str(here / "site.sqlite3")
    (here / "held_settings.py").write_text(SETTINGS.format(db=db))
    (here / "held_urls.py").write_text(URLS.format(here=str(here)))
    (here / "held_wsgi.py").write_text(WSGI)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "held_settings",
        "PYTHONPATH": f"{here}{os.pathsep}{REPO}",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "4",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    gunicorn = shutil.which("gunicorn", path=str(REPO / ".venv" / "bin"))
    process = subprocess.Popen(
        [gunicorn, "-c", str(REPO / "bin" / "gunicorn.conf.py"), "held_wsgi:application"],
        cwd=REPO,
        env=env,
    )
    try:
        for _ in range(300):
            try:
                if get(port, "/feed.json", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer within 30 s")
        yield port, here
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_past_its_places_a_lookup_gets_a_fast_503_while_pages_and_the_feed_stay_up(server):
    port, here = server
    held = {}
    holder = threading.Thread(target=lambda: held.update(answer=get(port, "/test/held-lookup")))
    holder.start()
    try:
        for _ in range(1000):
            if (here / "entered").exists():
                break
            time.sleep(0.01)
        assert (here / "entered").exists(), "the held request never started"

        status, headers, body = get(port, LOOKUP)
        assert status == 503
        assert headers["Retry-After"] == "7"
        assert headers["Content-Type"] == "application/json"
        assert headers["Cache-Control"] == "no-store"
        assert json.loads(body) == {"detail": SHED_MESSAGE}
        assert "请稍后再试" in body.decode()
        # the name check shares the place: shed too
        assert get(port, "/api/v1/lookup/candidate?name=%E8%80%83%E7%94%9F")[0] == 503

        # While the lookups are at their limit, the public pages and the feed answer.
        assert get(port, "/")[0] == 200
        assert get(port, "/feed.json")[0] == 200
        assert not holder.join(0) and holder.is_alive()  # still held throughout
    finally:
        (here / "release").touch()
        holder.join(30)
    assert held["answer"][0] == 200


def test_when_the_spike_has_passed_lookups_are_answered_again(server):
    port, here = server
    (here / "release").touch()  # nothing held
    status, headers, body = get(port, LOOKUP)
    assert status == 404  # answered: an empty site has no such result
    assert json.loads(body)["found"] is False
    assert "Retry-After" not in headers
    assert headers["X-RateLimit-Limit"]  # counted by the limiter, as every answered lookup


def test_connections_that_have_sent_nothing_yet_do_not_hold_the_threads(server):
    """More idle connections than the worker has threads (4): each waits on the poller for
    its first request, so the feed and a lookup are still answered meanwhile (gunicorn's own
    gthread accept would give each a thread for up to 5 s; the 3 s client timeout fails)."""
    port, here = server
    (here / "release").touch()
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(12)]
    try:
        time.sleep(0.2)  # accepted by now
        assert get(port, "/feed.json", timeout=3)[0] == 200
        assert get(port, LOOKUP, timeout=3)[0] == 404
    finally:
        for connection in idle:
            connection.close()


def _answer(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b"{}"]


def _call(gate):
    seen = {}

    def start_response(status, headers):
        seen.update(status=status, headers=dict(headers))

    body = b"".join(gate({"PATH_INFO": "/api/v1/lookup/admission"}, start_response))
    return seen["status"], seen["headers"], body


def test_a_lookup_that_already_waited_its_time_in_the_worker_queue_is_shed():
    """The time spent in the worker's queue counts: with a free place, a request that has
    waited longer than MAX_WAIT before reaching the gate is still refused at once."""
    from sunshine import shedding

    gate = shedding.LookupGate(_answer, concurrency=1, max_wait=0.1, retry_after=5)
    shedding._request_clock.since = time.monotonic() - 1.0  # a second in the queue
    try:
        assert _call(gate)[0].startswith("503")
    finally:
        shedding._request_clock.since = None
    assert _call(gate)[0] == "200 OK"  # fresh request, free place


def test_a_failing_lookup_gives_its_place_back():
    from sunshine.shedding import LookupGate

    def broken(environ, start_response):
        raise RuntimeError("database gone")

    gate = LookupGate(broken, concurrency=1, max_wait=0, retry_after=5)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            _call(gate)
    gate.app = _answer
    assert _call(gate)[0] == "200 OK"


@pytest.mark.parametrize("concurrency, max_wait", [(0, 0.1), (-1, 0.1), (1, -0.5)])
def test_a_gate_without_places_or_with_a_negative_wait_is_refused(concurrency, max_wait):
    from sunshine.shedding import LookupGate

    with pytest.raises(ValueError):
        LookupGate(_answer, concurrency=concurrency, max_wait=max_wait, retry_after=5)
