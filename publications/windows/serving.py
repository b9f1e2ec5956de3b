"""Every public view filters by the window itself: a page not yet open is not found, and a
withdrawn or retired page is served only as its tombstone, whatever the scheduler did."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from disclosure.models import DisclosurePage
from publications.ledger.models import LedgerEntry
from publications.rules.windows import WindowStatus

from .pages import page_window


def serve_by_window(page, request, serve_args, serve_kwargs):
    if not isinstance(page, DisclosurePage):
        return None
    window = page_window(page, timezone.now())
    if window.status == WindowStatus.SCHEDULED:
        raise Http404("not yet on notice")
    if window.shows_content:
        return None
    return tombstone_response(request, page, window)


def tombstone_response(request, page, window):
    entries = LedgerEntry.objects.filter(disclosure_id=page.pk).order_by("seq")
    last_content = entries.exclude(content_sha256="").last()
    return TemplateResponse(
        request,
        "publications/tombstone.html",
        {
            "page": page,
            "window": window,
            "entries": entries,
            "content_sha256": last_content.content_sha256 if last_content else "",
            "notice": page.withdrawal_notice,
        },
    )
