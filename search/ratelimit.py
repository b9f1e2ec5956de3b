"""Per-client rate limits for the public search and lookups, kept in the cache.

A fixed window per (scope, client): the first request creates a counter that expires with the
window, every request increments it. Past the limit: 429 with Retry-After. Every response says
where the client stands (X-RateLimit-Limit, -Remaining, -Reset).

The client is the connecting address (REMOTE_ADDR). Only when that address is a configured
trusted proxy (SEARCH_TRUSTED_PROXIES: addresses or networks) is the configured header
(SEARCH_TRUSTED_PROXY_HEADER, e.g. X-Forwarded-For or X-Real-IP) believed, read from the
right: the first address that is not itself a trusted proxy is the client. Anyone else's
header is ignored, so a client cannot pick a fresh address per request. IPv6 clients are
counted per /64, which is what one subscriber usually holds.
"""

import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse

from . import conf

logger = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def client_address(request) -> str:
    networks = _networks(tuple(conf.get("SEARCH_TRUSTED_PROXIES")))
    header = conf.get("SEARCH_TRUSTED_PROXY_HEADER")
    remote_text = request.META.get("REMOTE_ADDR", "")
    if not (header and networks) and _IPV4.fullmatch(remote_text):
        return remote_text  # the common case, without building address objects
    remote = _parse(remote_text) or ipaddress.ip_address("0.0.0.0")  # noqa: S104
    client = remote
    if header and networks and _trusted(remote, networks):
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        for part in reversed(request.META.get(meta_key, "").split(",")):
            address = _parse(part)
            if address is None:
                break
            client = address
            if not _trusted(address, networks):
                break
    if client.version == 6:
        return str(ipaddress.ip_network(f"{client}/64", strict=False))
    return str(client)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int  # seconds until the window ends

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_after),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_after)
        return headers


def hit(scope: str, client: str, rate: tuple[int, int], now: float | None = None) -> Decision:
    """Count one request of `client` in `scope` against `rate` = (requests, seconds)."""
    limit, window = rate
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    key = f"ratelimit:{scope}:{client}:{window_start}"
    count = _count(caches[conf.get("SEARCH_RATELIMIT_CACHE")], key, window + 1)
    reset_after = max(1, math.ceil(window_start + window - now))
    return Decision(count <= limit, limit, max(0, limit - count), reset_after)


def _count(cache, key: str, timeout: int) -> int:
    """Add one to the counter at `key` (created with `timeout`) and return it."""
    if isinstance(cache, RedisCache):
        # One round trip: INCR creates the counter at 1, EXPIRE NX sets its lifetime once.
        redis_key = cache.make_and_validate_key(key)
        pipeline = cache._cache.get_client(redis_key, write=True).pipeline()
        pipeline.incr(redis_key)
        pipeline.expire(redis_key, timeout, nx=True)
        count, _ = pipeline.execute()
        return int(count)
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request (or the counter just expired)
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another request created it in between


def too_many_requests(decision: Decision, json: bool = False) -> HttpResponse:
    if json:
        from django.http import JsonResponse

        response = JsonResponse({"detail": "请求过于频繁，请稍后再试。"}, status=429)
    else:
        response = HttpResponse(
            "请求过于频繁，请稍后再试。", status=429, content_type="text/plain; charset=utf-8"
        )
    for name, value in decision.headers().items():
        response[name] = value
    return response


UNAVAILABLE_MESSAGE = "查询服务暂时不可用，请稍后再试。"
UNAVAILABLE_RETRY_AFTER = 60


def unavailable(json: bool = False) -> HttpResponse:
    """503 when the counters cannot be read: fail closed, never an unthrottled lookup."""
    if json:
        from django.http import JsonResponse

        response = JsonResponse(
            {"detail": UNAVAILABLE_MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(
            UNAVAILABLE_MESSAGE, status=503, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(scope: str, rate_setting: str, *, methods=None, json: bool = False):
    """View decorator: count requests (of `methods`, default all) and refuse past the limit.

    If the cache holding the counters is down (Redis unreachable), the request is refused
    with 503: a lookup that cannot be counted is not answered."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is not None and request.method not in methods:
                return view(request, *args, **kwargs)
            try:
                decision = hit(scope, client_address(request), tuple(conf.get(rate_setting)))
            except Exception:  # any cache failure: redis.ConnectionError, TimeoutError, OSError
                logger.exception("Rate-limit cache unavailable; refusing %s", scope)
                return unavailable(json=json)
            if not decision.allowed:
                return too_many_requests(decision, json=json)
            response = view(request, *args, **kwargs)
            for name, value in decision.headers().items():
                response[name] = value
            return response

        return wrapped

    return decorator
