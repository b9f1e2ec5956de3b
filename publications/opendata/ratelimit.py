"""Rate limits of the open-data routes, counted with the search service's limiter.

`search.ratelimit` already has what is needed: the client address (proxy headers believed only
from configured proxies, IPv6 per /64) and a fixed-window counter in the cache. Only the rate
differs: `OPENDATA_RATE` = (requests, seconds) per client, shared by every open-data route;
304 answers count too (they are cheap, but a poller that ignores Retry-After is still told).
"""

from django.conf import settings

from search.ratelimit import Decision, client_address, hit

DEFAULT_RATE = (300, 60)
SCOPE = "opendata"


def rate() -> tuple[int, int]:
    return tuple(getattr(settings, "OPENDATA_RATE", DEFAULT_RATE))


def check(request) -> Decision:
    return hit(SCOPE, client_address(request), rate())
