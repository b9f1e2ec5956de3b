"""SUNSHINE_PUBLIC_BASE_URL: read in one place, validated, required by production settings."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sunshine.settings import environment
from tests.conftest import run_manage
from tests.sunshine.test_settings import GOOD_SECRETS


@pytest.mark.parametrize(
    "bad",
    [
        "gaokao.example.cn",  # no scheme
        "ftp://gaokao.example.cn",
        "https://gaokao.example.cn/gongshi",  # a path
        "https://gaokao.example.cn/?x=1",
        "https://user@gaokao.example.cn",
        "https://gaokao.example.cn:port",
        "https://",
        "",
    ],
)
def test_a_malformed_public_base_url_is_refused_with_its_name(bad):
    with pytest.raises(ImproperlyConfigured, match="SUNSHINE_PUBLIC_BASE_URL"):
        environment.base_url(bad)


def test_a_good_public_base_url_loses_its_trailing_slash():
    assert environment.base_url("https://gaokao.example.cn/") == "https://gaokao.example.cn"
    assert environment.base_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"


def test_the_variable_wins_over_the_older_wagtailadmin_base_url(monkeypatch):
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "https://old.example.cn")
    monkeypatch.delenv("SUNSHINE_PUBLIC_BASE_URL", raising=False)
    assert environment.public_base_url("http://127.0.0.1:8000") == "https://old.example.cn"
    monkeypatch.setenv("SUNSHINE_PUBLIC_BASE_URL", "https://gaokao.example.cn")
    assert environment.public_base_url("http://127.0.0.1:8000") == "https://gaokao.example.cn"


def test_production_refuses_to_start_without_the_public_base_url():
    env = {k: v for k, v in GOOD_SECRETS.items() if k != "SUNSHINE_PUBLIC_BASE_URL"}
    result = run_manage("check", settings="sunshine.settings.production", env=env)
    assert result.returncode != 0
    assert "SUNSHINE_PUBLIC_BASE_URL" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://gk.example.cn", "https://"),
        ("https://elsewhere.example.cn", "not in ALLOWED_HOSTS"),
    ],
)
def test_production_wants_https_on_a_host_it_serves(value, message):
    env = {**GOOD_SECRETS, "SUNSHINE_PUBLIC_BASE_URL": value}
    result = run_manage("check", settings="sunshine.settings.production", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_wagtail_admin_links_use_the_public_base_url(settings):
    assert settings.WAGTAILADMIN_BASE_URL == settings.SUNSHINE_PUBLIC_BASE_URL
