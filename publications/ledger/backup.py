"""Backups that restore into a ledger that still verifies (issue 18, docs/adr/0018).

``backup(path)`` writes one file and, beside it, ``<path>.json``, its manifest: the database
engine, the ledger head (seq and entry hash) *read from the same snapshot the file holds*, and
the file's SHA-256.

- SQLite: the sqlite3 online backup API, from Django's own connection (a consistent copy while
  the site keeps serving; works for the in-memory test database too).
- PostgreSQL: ``pg_dump --format=custom``, run on a snapshot exported from a REPEATABLE READ
  transaction in which the ledger head is read, so the manifest and the dump agree.

``restore(path)`` refuses, before writing anything, when the file does not match its manifest,
when the engine differs, when the database's ledger is newer than the backup's (an older backup
over a newer ledger would silently drop published history), or when the backup's ledger is not
the history the database has (the database's head entry is not in the backup). After writing it
runs the full ledger verification (``verify.verify_ledger``) and reports the first bad entry.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections, transaction

MANIFEST_FORMAT = "sunshine-backup/v1"
LEDGER_TABLE = "publications_ledgerentry"


class BackupError(Exception):
    """Refused: the message says why, in Chinese and English; nothing was written."""


@dataclass(frozen=True)
class Head:
    seq: int
    entry_hash: str

    def as_json(self) -> dict:
        return {"seq": self.seq, "entry_hash": self.entry_hash}


EMPTY = Head(0, "")


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Reading ledger heads


def database_head(using: str = "default") -> Head:
    """The configured database's ledger head; EMPTY for a new database (no tables yet)."""
    conn = connections[using]
    if LEDGER_TABLE not in conn.introspection.table_names():
        return EMPTY
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT seq, entry_hash FROM {LEDGER_TABLE} ORDER BY seq DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return Head(int(row[0]), row[1]) if row else EMPTY


def database_hash_at(seq: int, using: str = "default") -> str | None:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT entry_hash FROM {LEDGER_TABLE} WHERE seq = %s", [seq])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _sqlite_ledger(path: Path) -> dict[int, str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        try:
            rows = db.execute(f"SELECT seq, entry_hash FROM {LEDGER_TABLE}").fetchall()  # noqa: S608
        except sqlite3.DatabaseError as error:
            raise BackupError(
                f"备份文件不是可读的 SQLite 数据库 / not a readable SQLite backup: {error}"
            ) from None
    return {int(seq): entry_hash for seq, entry_hash in rows}


_COPY = re.compile(rf"^COPY [\w.]*{LEDGER_TABLE} \((?P<columns>[^)]*)\) FROM stdin;$")


def _pg_dump_ledger(path: Path) -> dict[int, str]:
    """seq -> entry_hash of the ledger table inside a custom-format dump (pg_restore -a -t)."""
    result = subprocess.run(  # noqa: S603 - fixed program, our own arguments
        ["pg_restore", "--data-only", "--table", LEDGER_TABLE, "--file", "-", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore 无法读取备份 / pg_restore cannot read the backup: {result.stderr.strip()}"
        )
    ledger, columns = {}, None
    for line in result.stdout.splitlines():
        if columns is None:
            match = _COPY.match(line)
            if match:
                columns = [c.strip().strip('"') for c in match["columns"].split(",")]
            continue
        if line == "\\.":
            break
        values = dict(zip(columns, line.split("\t"), strict=False))
        ledger[int(values["seq"])] = values["entry_hash"]
    return ledger


def _head_of(ledger: dict[int, str]) -> Head:
    if not ledger:
        return EMPTY
    seq = max(ledger)
    return Head(seq, ledger[seq])


# Backup


def backup(path: Path, *, using: str = "default") -> dict:
    """Write the backup and its manifest; return the manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connections[using]
    if conn.vendor == "sqlite":
        tool = f"sqlite {sqlite3.sqlite_version}"
        _sqlite_backup(conn, path)
        head = _head_of(_sqlite_ledger(path))
    elif conn.vendor == "postgresql":
        tool = _check_pg_versions(conn)
        head = _pg_backup(conn, path)
    else:
        raise BackupError(f"不支持的数据库 / no backup for the {conn.vendor} database")
    manifest = {
        "format": MANIFEST_FORMAT,
        "vendor": conn.vendor,
        "tool": tool,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ledger_head": head.as_json(),
        "file": path.name,
        "sha256": file_sha256(path),
    }
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return manifest


def _sqlite_backup(conn, path: Path) -> None:
    conn.ensure_connection()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        conn.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, path)


def _pg_env(conn) -> dict:
    params = conn.get_connection_params()
    env = {**os.environ}
    for key, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _major(text: str) -> int:
    match = re.search(r"(\d+)\.\d+", text)
    return int(match.group(1)) if match else 0


def _check_pg_versions(conn) -> str:
    """pg_dump must be at least the server's major version (else its dump may be unusable)."""
    for program in ("pg_dump", "pg_restore"):
        if shutil.which(program) is None:
            raise BackupError(f"找不到 {program} / {program} is not installed (postgresql-client)")
    version = subprocess.run(
        ["pg_dump", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    conn.ensure_connection()
    server = conn.pg_version // 10000
    if _major(version) < server:
        raise BackupError(
            f"pg_dump 版本（{version}）低于数据库服务器（{server}）/ pg_dump is older than the "
            f"server (major {server}): install the matching postgresql-client"
        )
    return f"{version}; server {conn.pg_version}"


def _pg_backup(conn, path: Path) -> Head:
    partial = path.with_name(path.name + ".partial")
    with transaction.atomic(using=conn.alias):
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        head = database_head(conn.alias)
        result = subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={partial}",
            ],
            env=_pg_env(conn),
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump 失败 / pg_dump failed: {result.stderr.strip()}")
    os.replace(partial, path)
    return head


# Restore


def read_manifest(path: Path) -> dict:
    where = manifest_path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件 / no backup file at {path}")
    try:
        manifest = json.loads(where.read_text())
    except (OSError, ValueError):
        raise BackupError(
            f"找不到或无法读取备份清单 / the backup's manifest {where.name} is missing or "
            "unreadable"
        ) from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"未知的备份清单格式 / unknown manifest format in {where.name}")
    if manifest.get("sha256") != file_sha256(path):
        raise BackupError(
            "备份文件与其清单的 SHA-256 不符：文件被改动或替换 / the backup file does not match "
            "the SHA-256 in its manifest: it was changed or swapped"
        )
    return manifest


def check_restore(path: Path, manifest: dict, *, using: str = "default") -> Head:
    """Refuse an engine mismatch, or a backup older than (or diverging from) the database."""
    conn = connections[using]
    if manifest.get("vendor") != conn.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('vendor')}，而当前数据库是 {conn.vendor} / the backup is of "
            f"a {manifest.get('vendor')} database, this one is {conn.vendor}"
        )
    ledger = _sqlite_ledger(path) if conn.vendor == "sqlite" else _pg_dump_ledger(path)
    backup_head = _head_of(ledger)
    if backup_head.as_json() != manifest.get("ledger_head"):
        raise BackupError(
            "备份内的台账头与清单不符 / the ledger head inside the backup is not the manifest's"
        )
    current = database_head(using)
    if current.seq > backup_head.seq:
        raise BackupError(
            f"拒绝恢复：备份的台账（至序号 {backup_head.seq}）比当前数据库的台账（至序号 "
            f"{current.seq}）旧，恢复会抹去已公开的记录。请恢复到一个新的空数据库中核查。 / "
            f"refused: the backup's ledger ends at seq {backup_head.seq}, this database's at "
            f"seq {current.seq}; restoring would erase published history. Restore into a new, "
            "empty database to investigate."
        )
    if current.seq and ledger.get(current.seq) != current.entry_hash:
        raise BackupError(
            f"拒绝恢复：当前数据库的台账第 {current.seq} 条不在备份中，两者历史不同 / refused: "
            f"this database's ledger entry {current.seq} is not in the backup: the histories "
            "diverge"
        )
    return backup_head


def restore(path: Path, *, using: str = "default") -> Head:
    """Check, then overwrite the configured database with the backup; return its head."""
    path = Path(path)
    manifest = read_manifest(path)
    head = check_restore(path, manifest, using=using)
    conn = connections[using]
    if conn.vendor == "sqlite":
        _sqlite_restore(conn, path)
    else:
        _pg_restore(conn, path)
    return head


def _sqlite_restore(conn, path: Path) -> None:
    conn.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(conn.connection)
    finally:
        source.close()
    conn.close()


def _pg_restore(conn, path: Path) -> None:
    _check_pg_versions(conn)
    conn.close()
    result = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conn.settings_dict['NAME']}",
            str(path),
        ],
        env=_pg_env(conn),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore 失败（未作任何更改）/ pg_restore failed: {result.stderr.strip()}"
        )


__all__ = ["BackupError", "Head", "backup", "restore"]
