"""Filtering disclosures for the public index: kind, year, level, issuer, tag."""

from django.core.paginator import Paginator

from .models.issuers import Issuer, IssuerLevel
from .models.pages import PAGE_MODELS_BY_KIND, DisclosureKind, DisclosurePage

PAGE_SIZE = 20


def filtered_disclosures(index_page, params) -> dict:
    pages = (
        DisclosurePage.objects.live()
        .public()
        .descendant_of(index_page)
        .select_related("issuer")
        .order_by("-first_published_at", "-pk")
    )
    filters = {
        "kind": params.get("kind", ""),
        "year": params.get("year", ""),
        "level": params.get("level", ""),
        "issuer": params.get("issuer", ""),
        "tag": params.get("tag", ""),
    }
    if filters["kind"] in DisclosureKind.values:
        pages = pages.type(PAGE_MODELS_BY_KIND[filters["kind"]])
    if filters["year"].isdigit():
        pages = pages.filter(admission_year=int(filters["year"]))
    if filters["level"] in IssuerLevel.values:
        pages = pages.filter(issuer__level=filters["level"])
    if filters["issuer"].isdigit():
        pages = pages.filter(issuer_id=int(filters["issuer"]))
    if filters["tag"]:
        pages = pages.filter(tags__name=filters["tag"][:100])
    paginator = Paginator(pages.specific(), PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    return {
        "disclosures": page_obj,
        "filters": filters,
        "kinds": DisclosureKind.choices,
        "levels": IssuerLevel.choices,
        "issuers": Issuer.objects.all(),
    }
