"""The public page of one issuer: where it sits, the issuers below it, its disclosures."""

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .listing import PAGE_SIZE, public_disclosures
from .models import DisclosureIndexPage, Issuer

MAX_ISSUER_ID = 2**31 - 1


@require_safe
def issuer_page(request, pk: int):
    issuer = Issuer.objects.filter(pk=pk).first() if 0 < pk <= MAX_ISSUER_ID else None
    if issuer is None:
        raise Http404("没有这个发布机构。")
    now = timezone.now()
    pages = public_disclosures(now).filter(issuer=issuer).specific()
    index = DisclosureIndexPage.objects.live().public().first()
    return TemplateResponse(
        request,
        "disclosure/issuer_page.html",
        {
            "issuer": issuer,
            "ancestors": list(reversed(issuer.ancestors())),
            "children": Issuer.objects.filter(parent=issuer).order_by("name"),
            "disclosures": Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page")),
            "index_page": index,
        },
    )
