"""The search service's settings, with their defaults. Read through these helpers only."""

from django.conf import settings

DEFAULTS = {
    "SEARCH_ENGINE": "database",
    "SEARCH_PAGE_SIZE": 10,
    # Personal lookups (admission result, name on a list): requests per window per client.
    "SEARCH_LOOKUP_RATE": (20, 60),
    # Full-text search: more generous, it reveals nothing personal that is not on notice.
    "SEARCH_QUERY_RATE": (120, 60),
    "SEARCH_TRUSTED_PROXIES": [],
    "SEARCH_TRUSTED_PROXY_HEADER": "",
    "SEARCH_RATELIMIT_CACHE": "default",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def elasticsearch_options() -> dict:
    options = {
        "URL": getattr(settings, "ELASTICSEARCH_URL", ""),
        "INDEX": "sunshine",
        "ANALYZER": "cjk",
        "SEARCH_ANALYZER": None,
        "COMPATIBILITY_HEADER": True,
        "REFRESH": False,
        "TIMEOUT": 10,
    }
    options.update({k: v for k, v in getattr(settings, "SEARCH_ELASTICSEARCH", {}).items() if v})
    if "COMPATIBILITY_HEADER" in getattr(settings, "SEARCH_ELASTICSEARCH", {}):
        options["COMPATIBILITY_HEADER"] = settings.SEARCH_ELASTICSEARCH["COMPATIBILITY_HEADER"]
    return options
