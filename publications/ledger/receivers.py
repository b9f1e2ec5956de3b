"""Wagtail's publish and unpublish signals, recorded in the ledger.

Wagtail sends ``page_published`` and ``page_unpublished`` after saving the page
and before returning, in the same database transaction as the save, so the
entry commits or rolls back with the publication. Wagtail's publish action does
not open a transaction of its own: a caller that wants "all or nothing" wraps
the publish in ``transaction.atomic()`` (workflow approval already does:
``TaskState.approve`` is atomic). Only ``DisclosurePage`` kinds are recorded.
"""

from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from disclosure.models import DisclosurePage
from publications.ledger.record import record_publication, record_unpublication

DISPATCH_UID = "publications.ledger"


def on_page_published(sender, instance, revision, **kwargs):
    if isinstance(instance, DisclosurePage) and instance.live:
        record_publication(instance, revision, at=timezone.now())


def on_page_unpublished(sender, instance, **kwargs):
    if isinstance(instance, DisclosurePage):
        record_unpublication(instance, at=timezone.now())


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid=f"{DISPATCH_UID}.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid=f"{DISPATCH_UID}.unpublished")
