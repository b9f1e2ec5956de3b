"""Index and remove one disclosure: the two seams the tasks, the signals and the rebuild use.

Both are plain functions with the clock passed in; `search.tasks` wraps them as background
tasks. Each keeps two things in step: the register of public disclosures (what the personal
lookups join to) and the configured full-text engine.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from wagtail.models import Page

from .documents import documents_for_page, indexable_pages
from .engines import SearchEngine, get_engine
from .models import PublicDisclosure
from .visibility import public_interval


def _register(page, documents) -> None:
    if not documents:
        PublicDisclosure.objects.filter(page_id=page.pk).delete()
        return
    interval = public_interval(page)
    PublicDisclosure.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "kind": page.kind,
            "dataset_id": getattr(page, "dataset_id", None),
            "title": page.title[:255],
            "url": (page.url or "")[:255],
            "visible_from": interval.starts_at,
            "closes_at": interval.closes_at,
            "visible_until": interval.ends_at,
            "lookup_until": interval.lookup_ends_at,
        },
    )


def index_page(page_id: int, now: datetime, engine: SearchEngine | None = None) -> int:
    """(Re)index disclosure `page_id` as it stands at `now`; returns documents indexed.

    A page that must not be found (unpublished, withdrawn, past retention, deleted) is removed.
    """
    engine = engine or get_engine()
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        remove_page(page_id, engine)
        return 0
    page = page.specific
    documents = documents_for_page(page, now)
    with transaction.atomic():
        _register(page, documents)
    engine.replace_page(page_id, documents)
    return len(documents)


def remove_page(page_id: int, engine: SearchEngine | None = None) -> None:
    """Take disclosure `page_id` and its rows out of the register and the index."""
    engine = engine or get_engine()
    PublicDisclosure.objects.filter(page_id=page_id).delete()
    engine.remove_page(page_id)


def prune(now: datetime, engine: SearchEngine | None = None) -> int:
    """Remove whatever has passed its retention or withdrawal: register and index."""
    engine = engine or get_engine()
    PublicDisclosure.objects.filter(visible_until__lte=now).delete()
    return engine.prune(now)


def rebuild(
    now: datetime,
    engine: SearchEngine | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the register and the index from the live pages; returns documents indexed."""
    engine = engine or get_engine()
    registered: list = []

    def documents():
        for page in indexable_pages():
            page_documents = documents_for_page(page, now)
            if page_documents:
                registered.append(page)
            yield from page_documents

    done = engine.rebuild(documents(), progress)
    with transaction.atomic():
        PublicDisclosure.objects.all().delete()
        for page in registered:
            _register(page, [True])
    return done
