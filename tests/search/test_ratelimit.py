"""Who the client is, behind a proxy or not, and the window counter."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from search.ratelimit import client_address, hit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    caches["default"].clear()


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.SEARCH_TRUSTED_PROXIES = []
    settings.SEARCH_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_the_header_is_believed_only_from_a_trusted_proxy_address(settings):
    settings.SEARCH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SEARCH_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    assert client_address(request("10.1.2.3", "198.51.100.1")) == "198.51.100.1"
    # a spoofed left-most entry is not the client: the proxy appended the real one
    assert client_address(request("10.1.2.3", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
    assert client_address(request("10.1.2.3", "198.51.100.1, 10.9.9.9")) == "198.51.100.1"
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert client_address(request("10.1.2.3", "not-an-address")) == "10.1.2.3"


def test_ipv6_clients_are_counted_per_64(settings):
    settings.SEARCH_TRUSTED_PROXIES = []
    assert client_address(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"


def test_the_window_counts_then_refuses_then_resets():
    decisions = [hit("t", "198.51.100.1", (3, 60), now=120.0) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].headers()["Retry-After"] == "60"
    assert hit("t", "198.51.100.2", (3, 60), now=121.0).allowed  # another client
    assert hit("t", "198.51.100.1", (3, 60), now=180.0).allowed  # the next window


def test_on_redis_the_counter_takes_one_round_trip_and_expires_with_its_window(settings):
    """Counted with INCR + EXPIRE NX in one pipeline: the first request creates the counter
    with the window's lifetime, later ones neither reset nor extend it."""
    import socket
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379 to count against")
    prefix = f"sunshine-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "counters": {
            "BACKEND": "sunshine.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        },
    }
    settings.SEARCH_RATELIMIT_CACHE = "counters"
    cache = caches["counters"]
    decisions = [hit("r", "198.51.100.7", (3, 60), now=1_200.0) for _ in range(4)]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    key = cache.make_and_validate_key("ratelimit:r:198.51.100.7:1200")
    client = cache._cache.get_client(key)
    assert int(client.get(key)) == 4
    assert 0 < client.ttl(key) <= 61
    client.expire(key, 5)
    hit("r", "198.51.100.7", (3, 60), now=1_201.0)
    assert client.ttl(key) <= 5  # not extended by later requests
    client.delete(key)
