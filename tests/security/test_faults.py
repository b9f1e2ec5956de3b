"""Faults: the site degrades safely and loses nothing.

- Redis down: personal lookups (and the rate-limited search) fail closed with 503 and a Chinese
  message, never an unthrottled answer; public pages still render. "Down" is a cache pointed at
  a closed port, so the machine's Redis keeps running for everyone else.
- A database error in the middle of a publication leaves the whole version with its ledger
  entry, or nothing (real transactions: `transaction=True`).
- A scheduler that was down catches up on restart and logs the delay.
- A backup (dumpdata) restored on a new database (loaddata) passes `verify_ledger`, with the
  same head hash; a tampered backup does not.
"""

import contextlib
import json
import logging
import socket
import uuid
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone
from wagtail.signals import page_published

from disclosure.models import CandidateListPage, DisclosurePage
from publications import roles
from publications.ledger.models import LedgerEntry
from search.models import IndexedDocument
from tests.conftest import run_manage
from tests.factories import add_disclosure, open_window, workflow_person

from .conftest import admission_dataset, plain_candidate_dataset

CLOSED_PORT_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


def redis_reachable(host="127.0.0.1", port=6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# --- Redis down ------------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings, monkeypatch, tmp_path):
    """The caches exactly as production builds them from REDIS_URL, pointed at nothing."""
    from sunshine.settings import environment

    monkeypatch.setenv("REDIS_URL", CLOSED_PORT_REDIS["LOCATION"])
    settings.CACHES = {
        "default": environment.cache(),
        "shared": environment.shared_cache(tmp_path),
    }
    assert settings.CACHES["default"]["BACKEND"] == "sunshine.cache.FailSoftRedisCache"


@pytest.fixture
def on_notice(db, django_capture_on_commit_callbacks):
    from disclosure.models import AdmissionResultsPage

    with django_capture_on_commit_callbacks(execute=True):
        page = add_disclosure(
            CandidateListPage,
            title="加分照顾考生名单",
            list_type="bonus",
            dataset=plain_candidate_dataset(),
        )
        add_disclosure(AdmissionResultsPage, title="录取结果", dataset=admission_dataset())
    return page


LOOKUPS = [
    ("post", "/lookup/", {"check": "name", "name": "廖鑫"}),
    ("post", "/lookup/", {"check": "admission", "exam_number": "25410052000000", "name": "周娜"}),
    ("get", "/api/v1/lookup/admission", {"exam_number": "25410052000000", "name": "周娜"}),
    ("get", "/search/", {"q": "廖鑫", "scope": "entry"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "data"), LOOKUPS)
def test_with_redis_down_lookups_fail_closed_with_a_chinese_message(
    client, on_notice, redis_down, method, path, data, caplog
):
    with (
        mock.patch("search.views.check_name") as check_name,
        mock.patch("search.views.lookup_admission") as lookup_admission,
        mock.patch("search.views.get_engine") as get_engine,
    ):
        response = getattr(client, method)(path, data)
    assert response.status_code == 503
    assert "暂时不可用" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # Never an unthrottled lookup: nothing was looked up at all.
    check_name.assert_not_called()
    lookup_admission.assert_not_called()
    get_engine.assert_not_called()
    assert "Rate-limit cache unavailable" in caplog.text


@pytest.mark.django_db
def test_with_redis_down_public_pages_still_render(client, on_notice, redis_down):
    from django.core.cache import caches

    with pytest.raises(Exception, match="Connection refused"):
        caches["default"].incr("a-counter")  # Redis really is unreachable
    for path in ("/", on_notice.url, on_notice.get_parent().url, "/ledger/", "/lookup/"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "廖鑫" in client.get(on_notice.url).content.decode()
    assert client.get("/api/v1/ledger/").status_code == 200


@pytest.mark.django_db
def test_with_redis_up_lookups_are_counted_and_refused_past_the_limit(client, on_notice, settings):
    if not redis_reachable():
        pytest.skip("no Redis at 127.0.0.1:6379 to test the limit against")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"sunshine-test-{uuid.uuid4().hex}",
        },
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.SEARCH_LOOKUP_RATE = (3, 60)
    params = {"exam_number": "25410052000000", "name": "周娜"}
    statuses = [client.get("/api/v1/lookup/admission", params).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


# --- a database error in the middle of a publication ---------------------------------------


def _draft(title="事务测试名单"):
    return add_disclosure(
        CandidateListPage,
        title=title,
        list_type="bonus",
        dataset=plain_candidate_dataset(),
        publish=False,
    )


def _vote(page, username, role):
    current = type(page).objects.get(pk=page.pk)
    current.current_workflow_task.on_action(
        current.current_workflow_task_state, workflow_person(username, role), "approve"
    )


def _submit_and_review(page):
    page.get_workflow().start(page, workflow_person("author", roles.EDITOR))
    _vote(page, "wf-reviewer", roles.REVIEWER)
    _vote(page, "wf-committee1", roles.COMMITTEE)


def _fail_after_the_ledger_entry(**kwargs):
    # Connected after the ledger's receiver: the page row and its entry are already written.
    assert LedgerEntry.objects.filter(disclosure_id=kwargs["instance"].pk).exists()
    raise DatabaseError("disk I/O error (injected)")


# serialized_rollback: the flush afterwards must leave the site in place for later tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("where", ["after the ledger entry", "while signing the checkpoint"])
def test_a_database_error_mid_publication_leaves_nothing_then_a_retry_leaves_everything(where):
    page = _draft()
    _submit_and_review(page)
    entries_before = LedgerEntry.objects.count()
    if where == "after the ledger entry":
        page_published.connect(_fail_after_the_ledger_entry, dispatch_uid="inject-fault")
        fault = contextlib.nullcontext()
    else:
        fault = mock.patch(
            "publications.ledger.record.sign_checkpoint",
            side_effect=DatabaseError("could not extend file (injected)"),
        )
    try:
        with fault, pytest.raises(DatabaseError, match="injected"):
            _vote(page, "wf-committee2", roles.COMMITTEE)
    finally:
        page_published.disconnect(dispatch_uid="inject-fault")

    stored = DisclosurePage.objects.get(pk=page.pk)
    assert not stored.live and stored.live_revision_id is None
    assert stored.first_published_at is None
    assert LedgerEntry.objects.count() == entries_before
    assert not IndexedDocument.objects.filter(page_id=page.pk).exists()

    _vote(page, "wf-committee2", roles.COMMITTEE)  # the same last vote, once the fault is gone
    stored = DisclosurePage.objects.get(pk=page.pk)
    assert stored.live and stored.live_revision_id is not None
    entries = list(LedgerEntry.objects.filter(disclosure_id=page.pk))
    assert [(e.event, e.version) for e in entries] == [("published", 1)]
    assert entries[0].detail["revision_id"] == stored.live_revision_id
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert LedgerEntry.objects.order_by("-seq").first().entry_hash in out.getvalue()


# --- the scheduler ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_scheduler_down_for_hours_publishes_on_restart_once_and_logs_the_delay(
    caplog, django_capture_on_commit_callbacks
):
    opens = timezone.now() + timedelta(hours=1)
    page = add_disclosure(
        CandidateListPage,
        title="定时公示名单",
        list_type="bonus",
        dataset=plain_candidate_dataset(name="迟到生"),
        publish=False,
        **open_window(opens, opened_days_ago=0),
    )
    _submit_and_review(page)
    _vote(page, "wf-committee2", roles.COMMITTEE)
    assert not DisclosurePage.objects.get(pk=page.pk).live  # approved, waiting for its window

    restart = opens + timedelta(hours=3)  # the scheduler was down over the opening
    out = StringIO()
    with (
        mock.patch("django.utils.timezone.now", return_value=restart),
        caplog.at_level(logging.WARNING, logger="publications.scheduler"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_scheduler", stdout=out)
        call_command("run_scheduler", stdout=StringIO())  # a second tick changes nothing
    assert "opened 1" in out.getvalue() and "late 1" in out.getvalue()
    assert any("catching up" in m and "3:00:00" in m for m in caplog.messages), caplog.messages
    stored = DisclosurePage.objects.get(pk=page.pk)
    assert stored.live
    events = list(LedgerEntry.objects.filter(disclosure_id=page.pk).values_list("event", "version"))
    assert events == [("published", 1)]
    assert IndexedDocument.objects.filter(page_id=page.pk).exists()


# --- backup and restore --------------------------------------------------------------------
#
# Decided in ADR 0011: a backup is database-native (pg_dump, or SQLite's online backup) or
# `dumpdata --format xml`. Django's JSON serializer cuts datetimes to milliseconds, which
# changes the ledger's hashed timestamps: such a restore is caught by verify_ledger, below.

MAKE_CONTENT = """
from sunshine import demo
demo.load_all()
from disclosure.models import CandidateListPage
from tests.factories import add_disclosure
from tests.security.conftest import plain_candidate_dataset
add_disclosure(CandidateListPage, title="备份恢复演练名单", list_type="bonus",
               dataset=plain_candidate_dataset())
"""
DUMP_EXCLUDES = ("contenttypes", "auth.permission", "sessions", "wagtailcore.referenceindex")
COUNT = """
import json
from publications.ledger.models import LedgerEntry
from disclosure.models import CandidateEntry, DisclosurePage
print(json.dumps({"ledger": LedgerEntry.objects.count(), "rows": CandidateEntry.objects.count(),
                  "live": DisclosurePage.objects.live().count()}))
"""


def _run(db_file, *args):
    return run_manage(*args, env={"DATABASE_URL": f"sqlite:///{db_file}"})


def _manage(db_file, *args):
    result = _run(db_file, *args)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def _head(verify_output: str) -> str:
    return next(w for w in verify_output.split() if len(w) == 64)


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    """A database with published content and its ledger, and a fresh, migrated one."""
    root = tmp_path_factory.mktemp("backup")
    source, empty = root / "source.sqlite3", root / "empty.sqlite3"
    _manage(source, "migrate", "-v0")
    empty.write_bytes(source.read_bytes())  # a new, never-used database
    _manage(source, "shell", "-v0", "-c", MAKE_CONTENT)
    return {
        "root": root,
        "source": source,
        "empty": empty,
        "head": _head(_manage(source, "verify_ledger")),
    }


def _dump(backup, fmt):
    dump = backup["root"] / f"backup.{fmt}"
    excludes = [arg for model in DUMP_EXCLUDES for arg in ("-e", model)]
    _manage(
        backup["source"],
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--format",
        fmt,
        *excludes,
        "--output",
        str(dump),
    )
    return dump


def _restore(backup, dump, name):
    target = backup["root"] / name
    target.write_bytes(backup["empty"].read_bytes())
    _manage(target, "loaddata", str(dump))
    return target


def test_an_xml_dump_restored_on_a_new_database_passes_verify_ledger_with_the_same_head(backup):
    restored = _restore(backup, _dump(backup, "xml"), "restored.sqlite3")
    assert _head(_manage(restored, "verify_ledger")) == backup["head"]
    counts = json.loads(_manage(restored, "shell", "-v0", "-c", COUNT).strip().splitlines()[-1])
    assert counts["ledger"] >= 2 and counts["rows"] >= 1 and counts["live"] >= 2


def test_a_database_native_sqlite_backup_passes_verify_ledger_with_the_same_head(backup):
    import sqlite3

    copy = backup["root"] / "online-backup.sqlite3"
    with sqlite3.connect(backup["source"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    assert _head(_manage(copy, "verify_ledger")) == backup["head"]


def test_a_lossy_json_dump_is_caught_by_verify_ledger(backup):
    restored = _restore(backup, _dump(backup, "json"), "from-json.sqlite3")
    result = _run(restored, "verify_ledger")
    assert result.returncode != 0 and "FAILED" in result.stderr


def test_a_tampered_backup_fails_verify_ledger(backup):
    import re

    text = _dump(backup, "xml").read_text()
    # A name quietly changed in the backup, in every list that carries it (some lists in the
    # demo are not published, so changing only the first row found might prove nothing).
    rows = re.findall(r'<object model="disclosure.candidateentry".*?</object>', text, re.S)
    assert any("廖鑫" in row for row in rows), "the backup holds the lists' rows"
    for row in rows:
        if "廖鑫" in row:
            text = text.replace(row, row.replace("廖鑫", "顶替生"))
    tampered = backup["root"] / "tampered.xml"
    tampered.write_text(text)
    result = _run(_restore(backup, tampered, "tampered.sqlite3"), "verify_ledger")
    assert result.returncode != 0
    assert "FAILED" in result.stderr
