"""Public search (/search/), the public check (/lookup/) and the JSON admission lookup."""

import functools
import hashlib
import json
from datetime import UTC, datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from disclosure.models import DisclosureKind, Issuer, IssuerLevel

from . import conf
from .engines import SearchQuery, get_engine
from .engines.base import SORTS, STATUSES, TARGETS
from .lookup import NAME_MAX, SCHOOL_MAX, check_name, lookup_admission
from .ratelimit import rate_limited

QUERY_MAX = 100
STATUS_LABELS = {"open": "公示中", "closed": "公示期满"}
TARGET_LABELS = {"disclosure": "公示", "entry": "名单中的考生"}
SORT_LABELS = {"relevance": "相关度", "newest": "最新发布"}


def _int(value, default=None, minimum=1, maximum=10_000):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if minimum <= number <= maximum else default


def parse_query(params) -> SearchQuery:
    """A SearchQuery from request parameters; anything unknown is ignored, never an error."""
    kind = params.get("kind", "")
    level = params.get("level", "")
    status = params.get("status", "")
    target = params.get("scope", "disclosure")
    sort = params.get("sort", "relevance")
    return SearchQuery(
        text=params.get("q", "").strip()[:QUERY_MAX],
        target=target if target in TARGETS else "disclosure",
        kind=kind if kind in DisclosureKind.values else "",
        year=_int(params.get("year"), minimum=2000, maximum=2100),
        issuer_id=_int(params.get("issuer"), maximum=2**31 - 1),
        level=level if level in IssuerLevel.values else "",
        status=status if status in STATUSES else "",
        sort=sort if sort in SORTS else "relevance",
        page=_int(params.get("page"), default=1, maximum=1000),
        per_page=conf.get("SEARCH_PAGE_SIZE"),
    )


@require_GET
@rate_limited("search", "SEARCH_QUERY_RATE")
def search(request):
    query = parse_query(request.GET)
    searched = bool(query.text) or any(
        request.GET.get(k) for k in ("kind", "year", "issuer", "level", "status")
    )
    results = get_engine().search(query, timezone.now()) if searched else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "results": results,
            "searched": searched,
            "base_params": params.urlencode(),
            "kinds": DisclosureKind.choices,
            "levels": IssuerLevel.choices,
            "issuers": Issuer.objects.order_by("name"),
            "statuses": STATUS_LABELS.items(),
            "targets": TARGET_LABELS.items(),
            "sorts": SORT_LABELS.items(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("lookup", "SEARCH_LOOKUP_RATE", methods={"POST"})
def lookup(request):
    context = {"name_max": NAME_MAX, "school_max": SCHOOL_MAX}
    if request.method == "POST":
        now = timezone.now()
        check = request.POST.get("check")
        if check == "name":
            name = request.POST.get("name", "")
            school = request.POST.get("school", "")
            context.update(
                check="name",
                name=name[:NAME_MAX],
                school=school[:SCHOOL_MAX],
                matches=check_name(name, now, school=school),
            )
        elif check == "admission":
            context.update(
                check="admission",
                admission=lookup_admission(
                    request.POST.get("exam_number", ""), request.POST.get("name", ""), now
                ),
            )
    return render(request, "search/lookup.html", context)


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=8)
def _http_date(epoch_seconds: int) -> str:
    return http_date(epoch_seconds)


def _json(body: dict, status: int, last_modified: datetime | None = None) -> HttpResponse:
    """A lookup's JSON answer with the open-data headers: CORS open, never cached, an ETag of
    the body and Last-Modified (the disclosure's, or now for answers that found nothing)."""
    content = json.dumps(body, ensure_ascii=False).encode()
    return HttpResponse(
        content,
        status=status,
        headers={
            "Content-Type": "application/json",
            "Access-Control-Allow-Origin": "*",
            "Cache-Control": "no-store, private",
            "ETag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"',
            "Last-Modified": _http_date(int((last_modified or timezone.now()).timestamp())),
        },
    )


NOT_FOUND = {"found": False, "detail": "未查到与该考生号和姓名同时相符的录取结果。"}
NAME_NOT_FOUND = {"found": False, "detail": "公示中的名单上没有与该姓名（及所在中学）相符的考生。"}


@csrf_exempt  # GET only: anything else is answered 405, not with the CSRF failure page
@require_GET
@rate_limited("lookup", "SEARCH_LOOKUP_RATE", json=True)
def api_admission(request):
    """GET ?exam_number=…&name=… → 200 with one's own result, or 404 (same body whatever
    did not match). 400 only when a parameter is missing or cannot be an exam number."""
    exam_number = request.GET.get("exam_number", "")
    name = request.GET.get("name", "")
    if not exam_number.strip() or not name.strip():
        return _json({"found": False, "detail": "请提供考生号（exam_number）和姓名（name）。"}, 400)
    match = lookup_admission(exam_number, name, timezone.now())
    if match is None:
        return _json(NOT_FOUND, 404)
    return _json({"found": True, "result": match.as_json()}, 200, _aware(match.visible_from))


@csrf_exempt  # as api_admission
@require_GET
@rate_limited("lookup", "SEARCH_LOOKUP_RATE", json=True)
def api_candidate(request):
    """GET ?name=…[&school=…] → 200 with the rows of lists now on notice that carry exactly
    this name (and school), or 404. The JSON form of the /lookup/ name check: the same rows,
    the same exact match, the same rate limit."""
    name = request.GET.get("name", "")
    if not name.strip():
        return _json({"found": False, "detail": "请提供姓名（name）。"}, 400)
    matches = check_name(name, timezone.now(), school=request.GET.get("school", ""))
    if not matches:
        return _json(NAME_NOT_FOUND, 404)
    return _json({"found": True, "matches": [match.as_json() for match in matches]}, 200)
