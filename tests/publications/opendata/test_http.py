"""What every open-data response carries: ETag, Last-Modified, 304s, CORS, rate limits."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django.utils.http import http_date

from publications.opendata import http as opendata_http
from tests.factories import open_window
from tests.publications.opendata.conftest import publish_list, withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes(db):
    page = publish_list()
    gone = publish_list("撤回的名单")
    withdraw(gone, "撤回")
    return [
        "/feed.json",
        "/feed.json?limit=1",
        "/api/v1/disclosures/",
        "/api/v1/disclosures/?status=open",
        f"/api/v1/disclosures/{page.pk}/",
        f"/api/v1/disclosures/{page.pk}/entries.json",
        f"/api/v1/disclosures/{page.pk}/entries.csv",
        f"/api/v1/disclosures/{gone.pk}/entries.csv",  # 410
        "/api/v1/disclosures/99999/",  # 404
        "/api/v1/disclosures/?kind=bad",  # 400
        "/api/v1/tombstones/",
        "/api/v1/openapi.json",
    ]


def test_every_response_has_an_etag_and_a_last_modified(client, routes):
    for url in routes:
        response = client.get(url)
        assert response.has_header("ETag"), url
        assert response["ETag"].startswith('"'), url
        assert response.has_header("Last-Modified"), url


def test_if_none_match_gets_304_from_one_query_without_rebuilding(
    client, routes, django_assert_max_num_queries, monkeypatch
):
    for url in routes:
        etag = client.get(url)["ETag"]
        monkeypatch.setattr(
            "publications.opendata.api.recorded_disclosures",
            lambda: pytest.fail("a 304 rebuilt the response"),
        )
        with django_assert_max_num_queries(1):
            response = client.get(url, headers={"if-none-match": etag})
        monkeypatch.undo()
        assert response.status_code == 304, url
        assert response.content == b""
        assert response["ETag"] == etag
        assert response["Access-Control-Allow-Origin"] == "*"


def test_if_modified_since_gets_304_until_something_is_published(client, routes):
    response = client.get("/feed.json")
    since = response["Last-Modified"]
    assert client.get("/feed.json", headers={"if-modified-since": since}).status_code == 304
    # HTTP dates have one-second resolution: publish in a later second (ETags see any change).
    later = timezone.now() + timedelta(seconds=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        publish_list("新名单")
    fresh = client.get("/feed.json", headers={"if-modified-since": since})
    assert fresh.status_code == 200
    assert "新名单" in fresh.content.decode("utf-8")


def test_a_publication_changes_every_etag(client, routes):
    before = {url: client.get(url)["ETag"] for url in routes if "openapi" not in url}
    publish_list("又一份名单")
    for url, etag in before.items():
        assert client.get(url, headers={"if-none-match": etag}).status_code != 304, url


def test_a_window_closing_changes_the_etag_though_nothing_was_written(client, db, monkeypatch):
    # The admission year after the window closes, so retention does not end at the close (a
    # window open in December would otherwise run past the end of its year's retention).
    window = open_window()
    page = publish_list(admission_year=window["window_closes_at"].year + 1, **window)
    url = f"/api/v1/disclosures/{page.pk}/"
    response = client.get(url)
    assert json.loads(response.content)["status"] == "open"
    later = page.window_closes_at + timedelta(minutes=1)
    monkeypatch.setattr(opendata_http.timezone, "now", lambda: later)
    after = client.get(url, headers={"if-none-match": response["ETag"]})
    assert after.status_code == 200
    assert json.loads(after.content)["status"] == "closed"
    assert after["Last-Modified"] == http_date(page.window_closes_at.timestamp())


def test_cors_is_open_on_the_read_only_routes_and_answers_the_preflight(client, routes):
    for url in routes:
        assert client.get(url)["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options(
        "/api/v1/disclosures/",
        headers={"origin": "https://newsroom.example", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "ETag" in client.get("/feed.json")["Access-Control-Expose-Headers"]


def test_writes_are_refused(client, routes):
    for method in (client.post, client.put, client.delete):
        response = method("/api/v1/disclosures/")
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_the_admin_never_gets_cors_headers(client, db):
    for url in ("/admin/login/", "/admin/"):
        response = client.get(url, headers={"origin": "https://evil.example"})
        assert not response.has_header("Access-Control-Allow-Origin"), url
    preflight = client.options("/admin/login/", headers={"origin": "https://evil.example"})
    assert not preflight.has_header("Access-Control-Allow-Origin")


def test_past_the_rate_limit_comes_429_with_retry_after_and_the_limit_is_announced(
    client, db, settings
):
    settings.OPENDATA_RATE = (3, 60)
    responses = [client.get("/api/v1/disclosures/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[0]["X-RateLimit-Limit"] == "3"
    assert responses[0]["X-RateLimit-Remaining"] == "2"
    refused = responses[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["X-RateLimit-Remaining"] == "0"
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert json.loads(refused.content)["error_zh"]
    # A different client is counted on its own.
    other = client.get("/api/v1/disclosures/", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_head_answers_like_get_without_a_body(client, routes):
    head = client.head("/feed.json")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == client.get("/feed.json")["ETag"]


def test_the_clock_is_only_read_once_per_request(client, db, monkeypatch):
    calls = []
    real_now = timezone.now
    monkeypatch.setattr(opendata_http.timezone, "now", lambda: calls.append(1) or real_now())
    client.get("/api/v1/disclosures/")
    assert len(calls) == 1
