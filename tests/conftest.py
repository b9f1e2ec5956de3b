"""Fixtures shared by the whole suite."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = next(
    (
        parent / "shared" / "data" / "samples"
        for parent in REPO.parents
        if (parent / "shared" / "data" / "samples").is_dir()
    ),
    REPO.parent / "shared" / "data" / "samples",
)


def run_manage(
    *args: str,
    env: dict | None = None,
    settings: str = "sunshine.settings.test",
    check: bool = False,
) -> subprocess.CompletedProcess:
    """Run manage.py in a child process with a controlled environment."""
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "IDENTIFIER_HMAC_KEY",
            "SUNSHINE_PUBLIC_BASE_URL",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    child_env["DJANGO_SETTINGS_MODULE"] = settings
    child_env.update(env or {})
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env=child_env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


@pytest.fixture
def demo(db):
    """The demo content of `make run`."""
    from sunshine import demo as demo_module

    demo_module.load_all()
    return demo_module


def _uses_transactions(request) -> bool:
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _empty_ledger_before_flush(request):
    """Tests that commit (transactional_db, live_server) end with the runner flushing every
    table; the ledger's triggers refuse that on purpose. Empty it first, as a DBA would:
    drop the triggers, delete, re-create."""
    if not _uses_transactions(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    from publications.ledger import triggers

    triggers.drop_all(connection)
    with connection.cursor() as cursor:
        for table in triggers.LEDGER_TABLES:
            cursor.execute(f"DELETE FROM {table}")
    triggers.create_all(connection)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    from django.core.cache import caches

    for alias in ("default", "shared"):
        caches[alias].clear()
    yield


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Calling the WSGI application directly sends request_started/finished, which close the
    database connection (and with it the test's transaction on PostgreSQL); Django's test
    client disconnects that receiver for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
