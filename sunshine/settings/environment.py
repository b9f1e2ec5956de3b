"""The one place where settings read the process environment.

Every engine is chosen by a variable; with none set, the embedded default runs
(SQLite in WAL mode, local-memory cache, search in the database).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def get(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def get_list(name: str) -> list[str]:
    return [item.strip() for item in get(name).split(",") if item.strip()]


def get_bool(name: str, default: bool = False) -> bool:
    value = get(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def base_url(value: str, name: str = "SUNSHINE_PUBLIC_BASE_URL") -> str:
    """A site's public address, ``scheme://host[:port]`` with no path, query or fragment.

    Raises ImproperlyConfigured naming the variable otherwise: a base URL with a path or a typo
    in the scheme would silently give every absolute URL of the site a wrong prefix.
    """
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"{name} must be scheme://host[:port] with no path, e.g. https://gaokao.example.cn "
            f"(got {value!r})"
        )
    return f"{parts.scheme}://{parts.netloc}"


def public_base_url(default: str) -> str:
    """``SUNSHINE_PUBLIC_BASE_URL`` (or, for older deployments, ``WAGTAILADMIN_BASE_URL``)."""
    raw = get("SUNSHINE_PUBLIC_BASE_URL") or get("WAGTAILADMIN_BASE_URL") or default
    return base_url(raw)


def database(default_sqlite_path: Path) -> dict:
    """``DATABASE_URL`` if set, else SQLite in WAL mode at ``default_sqlite_path``."""
    url = get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config.setdefault("OPTIONS", {}).update(sqlite_options())
        return config
    default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite_path,
        "OPTIONS": sqlite_options(),
    }


# Reads through a memory map of the file (up to this size) instead of a read() per page:
# a lookup in a million admission results touches pages all over the file, which SQLite's
# 2 MB page cache cannot hold; measured: 110 µs per lookup without the map, 30 µs with it
# (docs/benchmarks.md). The map is address space, shared with the OS page cache, not memory
# the process owns.
SQLITE_MMAP_BYTES = 1024**3


def sqlite_options() -> dict:
    # WAL lets the public read while an import writes; IMMEDIATE transactions
    # avoid "database is locked" upgrades from read to write locks.
    return {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            f" PRAGMA mmap_size={SQLITE_MMAP_BYTES};"
        ),
        "transaction_mode": "IMMEDIATE",
    }


# Redis down must not take pages down: reads miss, writes are dropped, counters raise
# (sunshine/cache.py); short timeouts so an unreachable Redis costs a page little.
REDIS_BACKEND = "sunshine.cache.FailSoftRedisCache"
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def cache() -> dict:
    url = get("REDIS_URL")
    if url:
        return {"BACKEND": REDIS_BACKEND, "LOCATION": url, "OPTIONS": dict(REDIS_OPTIONS)}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sunshine"}


def shared_cache(default_dir: Path) -> dict:
    """A cache every process on the machine sees: the web server and the worker.

    Redis when configured; otherwise files, so import progress written by the worker is
    visible to the admin page served by another process.
    """
    url = get("REDIS_URL")
    if url:
        return {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": url,
            "KEY_PREFIX": "shared",
            "OPTIONS": dict(REDIS_OPTIONS),
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": default_dir,
    }
