"""The Redis cache as the site uses it: a cache that is down is a cache that misses.

Wagtail keeps the site's root paths in the default cache, so with a plain Redis backend every
page URL, and so every public page, fails while Redis is unreachable. `FailSoftRedisCache`
answers reads with the default and drops writes instead (logging a warning), so pages are
built from the database. Counters are the exception: `incr` and `decr` still raise, because
a made-up count would let a client past its rate limit; the limiter (search/ratelimit.py)
turns that into a 503, failing closed. Decided in ADR 0011.
"""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("sunshine.cache")


def _redis_errors():
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def _soft(fallback):
    def decorator(method):
        @wraps(method)
        def wrapped(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _redis_errors() as error:
                logger.warning("Redis unavailable, cache %s skipped: %s", method.__name__, error)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapped

    return decorator


def _default(key, default=None, version=None):
    return default


class FailSoftRedisCache(RedisCache):
    get = _soft(_default)(RedisCache.get)
    get_many = _soft({})(RedisCache.get_many)
    has_key = _soft(False)(RedisCache.has_key)
    add = _soft(False)(RedisCache.add)
    set = _soft(None)(RedisCache.set)
    set_many = _soft([])(RedisCache.set_many)
    touch = _soft(False)(RedisCache.touch)
    delete = _soft(False)(RedisCache.delete)
    delete_many = _soft(None)(RedisCache.delete_many)
    clear = _soft(False)(RedisCache.clear)
    # incr / decr are not softened: a counter that cannot be read must not be guessed.
