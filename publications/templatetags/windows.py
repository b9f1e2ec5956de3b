from django import template
from django.utils import timezone

from publications.windows.pages import page_window

register = template.Library()


@register.simple_tag
def disclosure_window(page):
    """The window state of a disclosure now, for the public templates."""
    return page_window(page, timezone.now())


@register.simple_tag
def change_notes(page):
    """Every public change note of the disclosure, from the ledger (oldest first)."""
    from publications.ledger.models import LedgerEntry

    notes = []
    for entry in LedgerEntry.objects.filter(
        disclosure_id=page.pk, event__in=("corrected", "window_changed")
    ).order_by("seq"):
        text = (entry.detail or {}).get("change_note", "")
        if text:
            notes.append({"at": entry.at, "version": entry.version, "text": text})
    return notes
