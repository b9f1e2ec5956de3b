"""Search engines behind one interface (`base.SearchEngine`), chosen by configuration."""

from django.utils.module_loading import import_string

from .. import conf
from .base import SearchEngine, SearchQuery, SearchResults

ENGINES = {
    "database": "search.engines.database.DatabaseEngine",
    "elastic": "search.engines.elastic.ElasticEngine",
}
_engines: dict[str, SearchEngine] = {}


def get_engine(name: str | None = None) -> SearchEngine:
    """The configured engine (settings.SEARCH_ENGINE), one instance per process."""
    name = name or conf.get("SEARCH_ENGINE")
    if name not in _engines:
        _engines[name] = import_string(ENGINES[name])()
    return _engines[name]


def reset_engines() -> None:
    _engines.clear()


__all__ = ["ENGINES", "SearchEngine", "SearchQuery", "SearchResults", "get_engine"]
