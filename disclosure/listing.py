"""Filtering disclosures for the public index: kind, year, level, issuer (with the issuers
below it), tag; and the public page of one issuer."""

from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from .models.issuers import Issuer, IssuerLevel, issuer_subtree_ids
from .models.pages import PAGE_MODELS_BY_KIND, DisclosureKind, DisclosurePage

PAGE_SIZE = 20
STATUSES = (
    ("open", "公示中"),
    ("closed", "公示期满"),
    ("withdrawn", "已撤下"),
)


def not_taken_down() -> Q:
    return Q(withdrawn_at__isnull=True, retired_at__isnull=True)


def status_q(status: str, now: datetime) -> Q | None:
    """A filter for one public status, from the page's own window fields."""
    if status == "open":
        return not_taken_down() & Q(window_opens_at__lte=now, window_closes_at__gt=now)
    if status == "closed":
        return not_taken_down() & Q(window_closes_at__lte=now)
    if status == "withdrawn":
        return Q(withdrawn_at__isnull=False, withdrawn_at__lte=now)
    if status == "scheduled":
        return Q(window_opens_at__gt=now)
    return None


def public_disclosures(now: datetime):
    """Disclosures the public may see listed now (live, public, window opened)."""
    return (
        DisclosurePage.objects.live()
        .public()
        # A live page whose window has not opened is not listed (as it is not served).
        .exclude(window_opens_at__gt=now)
        .select_related("issuer")
        .order_by("-first_published_at", "-pk")
    )


def issuer_options() -> list[dict]:
    """Every issuer with its depth, in tree order (province, its cities, their counties …)."""
    issuers = list(Issuer.objects.all())
    by_parent: dict[int | None, list[Issuer]] = {}
    known = {issuer.pk for issuer in issuers}
    for issuer in issuers:
        parent = issuer.parent_id if issuer.parent_id in known else None
        by_parent.setdefault(parent, []).append(issuer)
    ordered: list[dict] = []
    todo = [(issuer, 0) for issuer in reversed(by_parent.get(None, []))]
    seen: set[int] = set()
    while todo:
        issuer, depth = todo.pop()
        if issuer.pk in seen:
            continue
        seen.add(issuer.pk)
        ordered.append({"issuer": issuer, "depth": depth, "indent": "　" * depth})
        todo.extend((child, depth + 1) for child in reversed(by_parent.get(issuer.pk, [])))
    return ordered


def filtered_disclosures(index_page, params) -> dict:
    now = timezone.now()
    pages = public_disclosures(now).descendant_of(index_page)
    filters = {
        "kind": params.get("kind", ""),
        "year": params.get("year", ""),
        "level": params.get("level", ""),
        "issuer": params.get("issuer", ""),
        "tag": params.get("tag", ""),
        "status": params.get("status", ""),
    }
    if filters["kind"] in DisclosureKind.values:
        pages = pages.type(PAGE_MODELS_BY_KIND[filters["kind"]])
    if filters["year"].isdigit():
        pages = pages.filter(admission_year=int(filters["year"]))
    if filters["level"] in IssuerLevel.values:
        pages = pages.filter(issuer__level=filters["level"])
    if filters["issuer"].isascii() and filters["issuer"].isdigit() and len(filters["issuer"]) < 10:
        # The issuer and every issuer below it (a city's page lists its counties' too).
        pages = pages.filter(issuer_id__in=issuer_subtree_ids(int(filters["issuer"])))
    if filters["status"] in dict(STATUSES):
        pages = pages.filter(status_q(filters["status"], now))
    if filters["tag"]:
        pages = pages.filter(tags__name=filters["tag"][:100])
    paginator = Paginator(pages.specific(), PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        "disclosures": page_obj,
        "filters": filters,
        "kinds": DisclosureKind.choices,
        "levels": IssuerLevel.choices,
        "statuses": STATUSES,
        "issuers": issuer_options(),
    }
