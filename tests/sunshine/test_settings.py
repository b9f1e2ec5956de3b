"""Settings: embedded by default, switched by the environment, production refuses to start bare."""

import pytest

from sunshine.settings import environment
from tests.conftest import run_manage

GOOD_SECRETS = {
    "SECRET_KEY": "k3y-for-the-deploy-check-" + "x9Q!vT#2mZ@7rL$" * 4,
    "ALLOWED_HOSTS": "gk.example.cn",
    "IDENTIFIER_HMAC_KEY": "another-long-random-key-used-only-for-identifier-hmacs",
    "SUNSHINE_PUBLIC_BASE_URL": "https://gk.example.cn",
}


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "IDENTIFIER_HMAC_KEY", "SUNSHINE_PUBLIC_BASE_URL"]
)
def test_production_settings_refuse_to_start_without_each_secret(missing):
    env = {k: v for k, v in GOOD_SECRETS.items() if k != missing}
    result = run_manage("check", settings="sunshine.settings.production", env=env)
    assert result.returncode != 0
    assert "refuse to start without" in result.stderr
    assert missing in result.stderr


def test_production_settings_refuse_the_hmac_key_equal_to_the_secret_key():
    env = {**GOOD_SECRETS, "IDENTIFIER_HMAC_KEY": GOOD_SECRETS["SECRET_KEY"]}
    result = run_manage("check", settings="sunshine.settings.production", env=env)
    assert result.returncode != 0
    assert "IDENTIFIER_HMAC_KEY must differ" in result.stderr


def test_check_deploy_passes_with_no_warnings_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="sunshine.settings.production",
        env=GOOD_SECRETS,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_no_variables_the_embedded_sqlite_database_runs(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = environment.database(tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_switches_to_postgresql_with_persistent_connections(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.internal:5432/sunshine")
    config = environment.database(tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "sunshine"
    assert config["CONN_MAX_AGE"] > 0


def test_redis_url_switches_the_cache_to_redis(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert environment.cache()["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    assert environment.cache()["BACKEND"].endswith("RedisCache")


def test_the_embedded_sqlite_database_really_runs_in_wal_mode(tmp_path):
    db = tmp_path / "wal.sqlite3"
    result = run_manage(
        "shell",
        "-v0",
        "-c",
        "from django.db import connection\n"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "c.execute('PRAGMA mmap_size'); print(c.fetchone()[0])",
        env={"DATABASE_URL": f"sqlite:///{db}"},
    )
    assert result.returncode == 0, result.stderr
    journal_mode, mmap_size = result.stdout.strip().splitlines()[-2:]
    assert journal_mode == "wal"
    assert int(mmap_size) == environment.SQLITE_MMAP_BYTES  # lookups read through a map


def test_chinese_is_the_default_language_and_beijing_the_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
