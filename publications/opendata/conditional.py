"""Conditional GET without rebuilding: a validator from the ledger head and the clock.

Everything the open-data routes say follows from two things: the ledger (every publication,
correction, withdrawal, window change and take-down appends an entry in the same transaction
as the change) and the time (a window opens or closes, retention ends, with nothing written).
So the state of the whole open-data surface is

    (head seq, head entry hash, how many window boundaries have passed)

The head entry hash commits to every content hash before it, so the ETag is derived from the
content hashes. The boundaries (window opening, closing, end of retention of every live
disclosure) are computed once per ledger head and kept in the cache under that head; a 304
costs one indexed query (the ledger head) and one cache read.

`Last-Modified` is the later of the head entry's time and the last boundary passed.
The issuer tree lives outside the ledger: `/api/v1/issuers/` and the `issuer=` filter add a
token of the tree (and its latest `updated_at`) to the validator (`with_issuer_tree`). Not
covered: an issuer renamed in the admin shows in the other responses, but their validator
moves only with the next ledger entry or boundary (names are not part of what the ledger pins).
"""

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from disclosure.models import DisclosurePage
from publications.ledger.models import LedgerEntry

# Bump when the shapes of the responses change, so old validators stop matching.
VALIDATOR_VERSION = "opendata/1"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
BOUNDARIES_TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class State:
    head_seq: int
    head_hash: str
    epoch: int  # window boundaries passed
    last_modified: datetime

    @property
    def token(self) -> str:
        return f"{self.head_seq}:{self.head_hash}:{self.epoch}"


def window_boundaries() -> list[float]:
    """Every moment at which some live disclosure's window status changes (POSIX seconds)."""
    from publications.windows.pages import opening_of, retention_ends_at

    moments: set[float] = set()
    pages = (
        DisclosurePage.objects.filter(live=True)
        .select_related("issuer")
        .only(
            "window_opens_at",
            "window_closes_at",
            "go_live_at",
            "first_published_at",
            "admission_year",
            "retired_at",
            "withdrawn_at",
            "issuer__level",
        )
    )
    for page in pages.iterator(chunk_size=2000):
        for moment in (
            opening_of(page),
            page.window_closes_at,
            retention_ends_at(page),
            page.retired_at,
            page.withdrawn_at,
        ):
            if moment is not None:
                moments.add(moment.timestamp())
    return sorted(moments)


def current_state(now: datetime) -> State:
    head = LedgerEntry.objects.order_by("-seq").values_list("seq", "entry_hash", "at").first()
    seq, entry_hash, at = head or (0, "", EPOCH)
    key = f"opendata:boundaries:{seq}:{entry_hash}"
    boundaries = cache.get(key)
    if boundaries is None:
        boundaries = window_boundaries()
        cache.set(key, boundaries, BOUNDARIES_TIMEOUT)
    epoch = bisect_right(boundaries, now.timestamp())
    last_modified = at
    if epoch:
        last_modified = max(at, datetime.fromtimestamp(boundaries[epoch - 1], tz=UTC))
    return State(seq, entry_hash, epoch, last_modified)


def etag_for(request, token: str) -> str:
    """A strong ETag for this URL at this state: the body is a function of both."""
    query = "&".join(sorted(f"{k}={v}" for k, vs in request.GET.lists() for v in vs))
    material = "|".join(
        [
            VALIDATOR_VERSION,
            request.scheme,
            request.get_host(),
            request.path,
            query,
            token,
        ]
    )
    return '"' + hashlib.sha256(material.encode("utf-8")).hexdigest()[:40] + '"'


def not_modified(request, etag: str, last_modified: datetime) -> bool:
    """RFC 9110 §13.2.2 for GET/HEAD: If-None-Match wins; else If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        if "*" in tags:
            return True
        bare = etag.removeprefix("W/")
        return any(tag.removeprefix("W/") == bare for tag in tags)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(last_modified.timestamp()) <= since


def last_modified_header(moment: datetime) -> str:
    return http_date(moment.timestamp())


def issuer_tree_state() -> tuple[str, datetime | None]:
    """A token for the issuer tree as it stands (ids, names, levels, parents, region codes)
    and its latest change: issuers live outside the ledger, so routes whose answer depends on
    the tree (`/api/v1/issuers/`, `?issuer=` filters) add this to the ledger state."""
    from django.db.models import Max

    from disclosure.models import Issuer

    rows = Issuer.objects.order_by("pk").values_list(
        "pk", "name", "level", "parent_id", "region_code"
    )
    digest = hashlib.sha256(repr(list(rows)).encode("utf-8")).hexdigest()[:32]
    latest = Issuer.objects.aggregate(latest=Max("updated_at"))["latest"]
    return digest, latest


def with_issuer_tree(request, now: datetime, *, always: bool = False) -> tuple[str, datetime]:
    """The ledger state, plus the issuer tree when the answer depends on it."""
    state = current_state(now)
    if not always and not request.GET.get("issuer"):
        return state.token, state.last_modified
    tree, latest = issuer_tree_state()
    last_modified = max(state.last_modified, latest) if latest else state.last_modified
    return f"{state.token}:tree:{tree}", last_modified
