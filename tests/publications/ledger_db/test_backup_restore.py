"""Backup and restore (issue 18, point 4): a backup restored into a new database still passes
the full ledger verification, in a separate process, on SQLite and on PostgreSQL; an older
backup over a newer ledger is refused; a tampered restore names the first bad entry.

Bad inputs tried: an older backup over a newer ledger; a backup whose history diverges from
the database's; a backup file changed after its manifest was written; a missing manifest; a
backup of the other engine; one ledger row changed in the restored database; one ledger row
changed in the backup with its manifest rewritten to match."""

import json
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from publications.ledger import triggers
from publications.ledger.backup import file_sha256, manifest_path
from publications.ledger.models import LedgerEntry
from publications.ledger.record import append_entry
from tests.conftest import run_manage
from tests.publications.ledger_db.conftest import AT, publish

# serialized_rollback: the flush afterwards must leave the site in place for later tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SQLITE = connection.vendor == "sqlite"


@pytest.fixture
def history(make_list):
    """seq 1 published, 2 corrected, 3 a workflow decision, 4 a second list published."""
    first = make_list()
    publish(first)
    first.change_note = "第2行加分分值由10分更正为5分"
    publish(first)
    append_entry("workflow_decision", detail={"decision": "approve"}, at=AT)
    publish(make_list(title="2026年保送生名单"))
    assert LedgerEntry.objects.count() == 4


@pytest.fixture
def new_database(tmp_path):
    """A DATABASE_URL for a new, empty database of the engine under test; dropped after."""
    if SQLITE:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
        return
    settings = connection.settings_dict
    name = f"i18_restore_{uuid.uuid4().hex[:8]}"
    host, port, user = settings["HOST"], settings["PORT"] or 5432, settings["USER"]
    subprocess.run(["createdb", "-h", host, "-p", str(port), "-U", user, name], check=True)
    try:
        yield f"postgres://{user}@{host}:{port}/{name}", name
    finally:
        subprocess.run(
            ["dropdb", "--if-exists", "--force", "-h", host, "-p", str(port), "-U", user, name],
            check=False,
        )


def backup_file(tmp_path) -> Path:
    path = tmp_path / ("sunshine.sqlite3" if SQLITE else "sunshine.dump")
    call_command("backup", str(path), stdout=open("/dev/null", "w"))
    return path


def restored(url: str, path: Path, *extra) -> subprocess.CompletedProcess:
    return run_manage("restore", str(path), *extra, env={"DATABASE_URL": url})


def tamper_restored(url: str, name: str | None, seq: int) -> None:
    """Change one hashed field of one ledger row, as someone with database rights would."""
    if SQLITE:
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        for sql in triggers.drop_statements("sqlite"):
            db.execute(sql)
        db.execute(
            "UPDATE publications_ledgerentry SET content_sha256 = ? WHERE seq = ?", ("0" * 64, seq)
        )
        db.commit()
        db.close()
        return
    settings = connection.settings_dict
    subprocess.run(
        [
            "psql", "-h", settings["HOST"], "-U", settings["USER"], "-d", name, "-v",
            "ON_ERROR_STOP=1", "-c",
            "ALTER TABLE publications_ledgerentry DISABLE TRIGGER USER; "
            "UPDATE publications_ledgerentry SET content_sha256 = repeat('0', 64) "
            f"WHERE seq = {seq};",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


def test_a_backup_restored_into_a_new_database_passes_the_full_verification(
    history, tmp_path, new_database
):
    url, _name = new_database
    path = backup_file(tmp_path)
    manifest = json.loads(manifest_path(path).read_text())
    head = LedgerEntry.objects.order_by("-seq").first()
    assert manifest["ledger_head"] == {"seq": 4, "entry_hash": head.entry_hash}
    assert manifest["sha256"] == file_sha256(path)

    result = restored(url, path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ledger verified: 4 entries" in result.stdout
    # and again, independently, by the operators' command in another process
    verified = run_manage("verify_ledger", env={"DATABASE_URL": url})
    assert verified.returncode == 0, verified.stderr
    assert "3 published versions and 2 datasets recomputed" in verified.stdout
    assert verified.stdout.strip().splitlines()[-1] == head.entry_hash


def test_an_older_backup_over_a_newer_ledger_is_refused_and_nothing_changes(history, tmp_path):
    path = backup_file(tmp_path)
    newer = append_entry("workflow_decision", detail={"decision": "approve"}, at=AT)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    assert "seq 4" in str(refused.value) and "seq 5" in str(refused.value)
    assert "拒绝恢复" in str(refused.value)
    assert LedgerEntry.objects.order_by("-seq").first().entry_hash == newer.entry_hash


def test_a_backup_whose_history_diverges_from_the_database_is_refused(
    history, tmp_path, new_database
):
    url, _name = new_database
    path = backup_file(tmp_path)
    assert restored(url, path).returncode == 0
    # the new database goes on with its own entry 5; a backup of *another* ledger of 4+ entries
    # (here: the original, with its own entry 5) must not overwrite it
    append_entry("workflow_decision", detail={"decision": "reject"}, at=AT)
    other = tmp_path / "other"
    other.mkdir()
    other_path = backup_file(other)
    run_manage(
        "shell", "-c",
        "from datetime import UTC, datetime\n"
        "from publications.ledger.record import append_entry\n"
        "append_entry('workflow_decision', detail={'d': 1}, at=datetime(2026, 7, 1, tzinfo=UTC))",
        env={"DATABASE_URL": url}, check=True,
    )  # fmt: skip
    result = restored(url, other_path)
    assert result.returncode != 0
    assert "diverge" in result.stderr


def test_a_backup_changed_after_its_manifest_is_refused(history, tmp_path, new_database):
    url, _name = new_database
    path = backup_file(tmp_path)
    with path.open("ab") as stream:
        stream.write(b"\0")
    result = restored(url, path)
    assert result.returncode != 0
    assert "does not match the SHA-256 in its manifest" in result.stderr


def test_a_backup_without_its_manifest_is_refused(history, tmp_path, new_database):
    url, _name = new_database
    path = backup_file(tmp_path)
    manifest_path(path).unlink()
    result = restored(url, path)
    assert result.returncode != 0
    assert "manifest" in result.stderr


def test_a_backup_of_the_other_engine_is_refused(history, tmp_path, new_database):
    url, _name = new_database
    path = backup_file(tmp_path)
    manifest = json.loads(manifest_path(path).read_text())
    manifest["vendor"] = "postgresql" if SQLITE else "sqlite"
    manifest_path(path).write_text(json.dumps(manifest))
    result = restored(url, path)
    assert result.returncode != 0
    assert "the backup is of a" in result.stderr


def test_a_tampered_restore_fails_verification_naming_the_first_bad_entry(
    history, tmp_path, new_database
):
    url, name = new_database
    path = backup_file(tmp_path)
    assert restored(url, path).returncode == 0
    tamper_restored(url, name, seq=2)
    result = run_manage("verify_ledger", env={"DATABASE_URL": url})
    assert result.returncode != 0
    assert "FAILED at seq 2" in result.stderr


@pytest.mark.skipif(not SQLITE, reason="edits the SQLite backup file in place; on PostgreSQL "
                    "the restored database is tampered instead (test above)")  # fmt: skip
def test_a_backup_tampered_with_its_manifest_rewritten_restores_but_fails_naming_the_entry(
    history, tmp_path, new_database
):
    url, _name = new_database
    path = backup_file(tmp_path)
    tamper_restored(f"sqlite:///{path}", None, seq=3)
    manifest = json.loads(manifest_path(path).read_text())
    manifest["sha256"] = file_sha256(path)
    manifest_path(path).write_text(json.dumps(manifest))
    result = restored(url, path)
    assert result.returncode != 0
    assert "FAILS ledger verification at seq 3" in result.stderr
