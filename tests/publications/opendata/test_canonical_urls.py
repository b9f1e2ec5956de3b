"""Canonical URLs (issue 18): every absolute URL the feed, the API, the ledger API and the
e-mails give out starts with SUNSHINE_PUBLIC_BASE_URL, whatever Host the request came in on.

Requests here come in as ``localhost`` (an allowed host, as an internal address or a second
name would be) while the public base is ``http://testserver``: an answer built from the
request's Host names ``localhost`` and fails."""

import json
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from wagtail.models import Site

from publications.objections.notifications import admin_url
from publications.opendata.feed import JSON_FEED_VERSION
from publications.opendata.links import page_url, public_url, sync_default_site
from tests.publications.opendata.conftest import correct, publish_list, withdraw

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"'<>]+")
OTHER_HOST = "localhost"


def absolute_urls(value) -> list[str]:
    """Every absolute URL anywhere in a JSON value: as a whole string or inside one (HTML)."""
    if isinstance(value, dict):
        return [url for item in value.values() for url in absolute_urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in absolute_urls(item)]
    if isinstance(value, str) and value != JSON_FEED_VERSION:  # the spec's name, not a link
        return URL.findall(value)
    return []


def fetch(client, path: str) -> dict:
    """A JSON answer (200, or 410 for a tombstone, whose body carries URLs too)."""
    response = client.get(path, HTTP_HOST=OTHER_HOST)
    assert response.status_code in (200, 410), (path, response.content[:300])
    return json.loads(response.content.decode("utf-8"))


def crawl(client, start_paths: list[str], base: str) -> list[str]:
    """Fetch each path, follow every URL of ours found in the answers, collect all URLs."""
    seen, queue, found = set(), list(start_paths), []
    netloc = urlsplit(base).netloc
    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        urls = absolute_urls(fetch(client, path))
        found += urls
        for url in urls:
            parts = urlsplit(url)
            followed = parts.path + (f"?{parts.query}" if parts.query else "")
            is_json = parts.path.startswith("/api/") or parts.path == "/feed.json"
            if parts.netloc == netloc and is_json and not parts.path.endswith(".csv"):
                queue.append(followed)
    return found


@pytest.fixture
def published(db):
    first = publish_list()
    corrected = correct(publish_list("2026年高校专项计划考生名单"), "更正一名考生的中学", [])
    withdraw(publish_list("2026年保送生名单"), "名单有误，撤回重新审核")
    return first, corrected


START = [
    "/feed.json?limit=1",
    "/api/v1/disclosures/?limit=1",
    "/api/v1/tombstones/",
    "/api/v1/ledger/?limit=1",
    "/api/v1/ledger/checkpoints/?limit=1",
]


def test_every_absolute_url_in_the_feed_and_the_api_names_the_public_host(client, published):
    urls = crawl(client, START, "http://testserver")
    assert len(urls) > 20  # pages, items, data, next links: there is something to check
    assert {urlsplit(url).netloc for url in urls} == {"testserver"}, sorted(set(urls))[:10]
    assert all(url.startswith("http://testserver/") for url in urls)


def test_a_changed_public_base_url_is_what_every_answer_names(client, published, settings):
    settings.SUNSHINE_PUBLIC_BASE_URL = "https://gaokao.example.cn"
    urls = crawl(client, START, "https://gaokao.example.cn")
    assert urls and {urlsplit(url).netloc for url in urls} == {"gaokao.example.cn"}
    assert all(url.startswith("https://gaokao.example.cn/") for url in urls)


def test_a_disclosures_url_and_api_url_share_scheme_and_host(client, published, settings):
    settings.SUNSHINE_PUBLIC_BASE_URL = "https://gaokao.example.cn:8443"
    listed = fetch(client, "/api/v1/disclosures/")["disclosures"]
    with_page = [item for item in listed if item["url"]]
    assert with_page
    for item in with_page:
        page, api = urlsplit(item["url"]), urlsplit(item["api_url"])
        assert (
            (page.scheme, page.netloc)
            == (api.scheme, api.netloc)
            == (
                "https",
                "gaokao.example.cn:8443",
            )
        )
        # and the page URL is the page itself, served here
        assert client.get(page.path).status_code == 200


def test_feed_items_link_the_page_on_the_public_host(client, published):
    feed = fetch(client, "/feed.json")
    linked = [item for item in feed["items"] if "url" in item]
    assert linked
    for item in linked:
        assert item["url"].startswith("http://testserver/")
        assert f'href="{item["url"]}"' in item["content_html"]
    assert feed["home_page_url"] == "http://testserver/"
    assert feed["feed_url"] == "http://testserver/feed.json"


def test_the_objection_e_mail_links_the_admin_on_the_public_host(settings):
    settings.SUNSHINE_PUBLIC_BASE_URL = "https://gaokao.example.cn"
    url = admin_url(SimpleNamespace(pk=7))
    assert url.startswith("https://gaokao.example.cn/admin/")


def test_wagtails_default_site_follows_the_public_base_url(settings, published):
    settings.SUNSHINE_PUBLIC_BASE_URL = "https://gaokao.example.cn"
    assert sync_default_site() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("gaokao.example.cn", 443)
    assert site.root_url == "https://gaokao.example.cn"
    first, _ = published
    assert first.get_full_url() == page_url(first)
    assert sync_default_site() is False  # already there: nothing written


def test_public_url_replaces_the_scheme_and_host_of_an_absolute_url():
    assert public_url("http://localhost/gongshi/1/?a=b") == "http://testserver/gongshi/1/?a=b"
    assert public_url("feed.json") == "http://testserver/feed.json"
