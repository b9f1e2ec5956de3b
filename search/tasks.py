"""Background tasks that keep the search index in step with publishing events.

publish or correct (Wagtail's `page_published`) → `index_page_task`;
unpublish (`page_unpublished`) and delete (`post_delete`) → `remove_page_task`;
an issuer renamed or moved to another level (`post_save` of Issuer) → `index_page_task` for
each of its live disclosures, whose documents carry the issuer's name and level;
withdrawal publishes the withdrawn state, so it re-indexes, which removes the page;
retention end → `index_page_task` again at that moment where the task backend can defer,
and in any case `manage.py search_index prune` (run daily) and the query-time filter.

Tasks are enqueued when the transaction commits, so a rolled-back publish indexes nothing.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import default_task_backend, task
from wagtail.signals import page_published, page_unpublished

from . import indexing
from .visibility import public_interval

logger = logging.getLogger(__name__)


@task()
def index_page_task(page_id: int) -> int:
    count = indexing.index_page(page_id, timezone.now())
    _schedule_retention_end(page_id)
    return count


@task()
def remove_page_task(page_id: int) -> None:
    indexing.remove_page(page_id)


def _schedule_retention_end(page_id: int) -> None:
    if not default_task_backend.supports_defer:
        return
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    interval = public_interval(page.specific) if page is not None else None
    if interval is not None and interval.ends_at > timezone.now():
        index_page_task.using(run_after=interval.ends_at).enqueue(page_id)


def _is_disclosure(instance) -> bool:
    from disclosure.models import DisclosurePage

    return isinstance(instance, DisclosurePage)


def _on_commit(task_, page_id: int) -> None:
    transaction.on_commit(lambda: task_.enqueue(page_id), robust=True)


def on_page_published(sender, instance, **kwargs):
    if _is_disclosure(instance):
        _on_commit(index_page_task, instance.pk)


def on_page_unpublished(sender, instance, **kwargs):
    if _is_disclosure(instance):
        _on_commit(remove_page_task, instance.pk)


def on_page_deleted(sender, instance, **kwargs):
    if _is_disclosure(instance):
        _on_commit(remove_page_task, instance.pk)


def on_issuer_saved(sender, instance, created, raw=False, **kwargs):
    """Search shows and filters by the issuer's name and level: re-index its disclosures."""
    if created or raw:
        return
    from disclosure.models import DisclosurePage

    for page_id in (
        DisclosurePage.objects.live().filter(issuer=instance).values_list("pk", flat=True)
    ):
        _on_commit(index_page_task, page_id)


def connect() -> None:
    from disclosure.models import Issuer

    post_save.connect(on_issuer_saved, sender=Issuer, dispatch_uid="sunshine_search.issuer")
    page_published.connect(on_page_published, dispatch_uid="sunshine_search.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="sunshine_search.unpublished")
    # Per model, never sender-less: a sender-less post_delete receiver would stop Django from
    # fast-deleting anything (dataset rows included).
    from django.apps import apps

    from disclosure.models import DisclosurePage

    for model in apps.get_models():
        if issubclass(model, DisclosurePage):
            post_delete.connect(
                on_page_deleted, sender=model, dispatch_uid=f"sunshine_search.deleted.{model}"
            )
