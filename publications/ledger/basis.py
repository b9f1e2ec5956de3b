"""The ledger's word on a page's live version, for lists that rest on it (逐级公示).

Registered from `PublicationsConfig.ready()` with `disclosure.models.chain`, which may not
import the ledger itself.
"""

from .models import CONTENT_EVENTS, LedgerEntry


def live_version(page_id: int) -> tuple[int, str] | None:
    """(version, content SHA-256) of the newest published or corrected version, if any."""
    entry = (
        LedgerEntry.objects.filter(disclosure_id=page_id, event__in=CONTENT_EVENTS)
        .order_by("-seq")
        .values_list("version", "content_sha256")
        .first()
    )
    return (entry[0], entry[1]) if entry else None
