"""sunshine.W001: several web processes must not each keep their own rate-limit counters."""

import pytest

from sunshine.checks import rate_limits_shared_across_workers
from sunshine.deploy import web_workers
from tests.conftest import run_manage
from tests.sunshine.test_settings import GOOD_SECRETS

REDIS_CACHE = {
    "BACKEND": "sunshine.cache.FailSoftRedisCache",
    "LOCATION": "redis://127.0.0.1:6379/7",
}


def ids(messages):
    return [message.id for message in messages]


def test_without_redis_one_web_process_runs_unless_told_otherwise():
    assert web_workers({}) == 1
    assert web_workers({"WEB_CONCURRENCY": "3"}) == 3


def test_with_redis_one_web_process_per_core_at_least_two():
    assert web_workers({"REDIS_URL": "redis://127.0.0.1:6379/7"}) >= 2
    assert web_workers({"REDIS_URL": "redis://x", "WEB_CONCURRENCY": "5"}) == 5


def test_several_workers_counting_in_their_own_memory_are_warned_about(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")  # test settings: local-memory counters
    messages = rate_limits_shared_across_workers()
    assert ids(messages) == ["sunshine.W001"]
    assert "4 times" in messages[0].msg


def test_one_worker_without_redis_is_not_warned_about(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert rate_limits_shared_across_workers() == []
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert rate_limits_shared_across_workers() == []


def test_several_workers_sharing_counters_in_redis_are_not_warned_about(monkeypatch, settings):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    settings.CACHES = {**settings.CACHES, "counters": REDIS_CACHE}
    settings.SEARCH_RATELIMIT_CACHE = "counters"
    assert rate_limits_shared_across_workers() == []


def test_a_redis_url_the_settings_ignore_does_not_silence_the_check(monkeypatch):
    """Test settings keep local-memory caches even with REDIS_URL in the environment: what
    counts is the cache the limiter uses, not the variable."""
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/7")
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    assert ids(rate_limits_shared_across_workers()) == ["sunshine.W001"]


@pytest.mark.parametrize("bad", ["two", "2.5", "-"])
def test_a_worker_count_that_is_not_a_number_is_an_error(monkeypatch, bad):
    monkeypatch.setenv("WEB_CONCURRENCY", bad)
    messages = rate_limits_shared_across_workers()
    assert ids(messages) == ["sunshine.E001"]
    assert repr(bad) in messages[0].msg


def test_manage_check_fails_on_the_warning_under_production_settings_without_redis():
    env = {**GOOD_SECRETS, "WEB_CONCURRENCY": "4", "REDIS_URL": ""}
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="sunshine.settings.production",
        env=env,
    )
    assert result.returncode != 0
    assert "sunshine.W001" in result.stdout + result.stderr


def test_manage_check_passes_under_production_settings_with_redis():
    env = {**GOOD_SECRETS, "WEB_CONCURRENCY": "4", "REDIS_URL": "redis://127.0.0.1:6379/7"}
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="sunshine.settings.production",
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_make_tests_check_does_not_warn_under_test_settings():
    result = run_manage("check", "--fail-level", "WARNING", env={"WEB_CONCURRENCY": ""})
    assert result.returncode == 0, result.stdout + result.stderr
