"""System checks of the deployment (`manage.py check`).

sunshine.W001: more than one web process would run while the rate-limit counters are kept in
each process's memory. Each gunicorn worker would then count on its own, and a client would
get up to N times its limit (docs/security.md); with Redis the counters are shared, and fail
closed when Redis is down.
"""

from django.conf import settings
from django.core import checks
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string

from search import conf

from .deploy import web_workers


def counters_are_shared() -> bool:
    """True when the rate-limit cache is Redis, which every process on every machine sees."""
    alias = conf.get("SEARCH_RATELIMIT_CACHE")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    try:
        return issubclass(import_string(backend), RedisCache)
    except ImportError:
        return False


@checks.register(checks.Tags.security, deploy=False)
def rate_limits_shared_across_workers(app_configs=None, **kwargs):
    shared = counters_are_shared()
    try:
        workers = web_workers(shared_counters=shared)
    except ValueError as error:
        return [checks.Error(str(error), id="sunshine.E001")]
    if workers > 1 and not shared:
        return [
            checks.Warning(
                f"{workers} web processes would run (WEB_CONCURRENCY or the gunicorn "
                "configuration, bin/gunicorn.conf.py) but the rate-limit counters are in each "
                "process's memory: every worker counts on its own, so a client gets up to "
                f"{workers} times its lookup limit.",
                hint="Set REDIS_URL so the counters are shared (docs/deploy.md), or run one "
                "web process (WEB_CONCURRENCY=1).",
                id="sunshine.W001",
            )
        ]
    return []
