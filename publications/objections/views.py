"""Public views: raise an objection, follow it by its tracking code.

Abuse resistance (ADR 0008): CSRF on the form, a honeypot field, and per-client rate limits
(submissions, and tracking-page reads) counted in the cache with the search service's
client-address rules. Past a limit the answer is 429 with Retry-After and the office's other
channels, so nobody is locked out of objecting.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from disclosure.models import DisclosurePage
from search import ratelimit

from . import actions, codes, rules
from .forms import ObjectionForm, find_disclosure, find_row, max_attachment_bytes, min_content_chars
from .models import Objection, hash_code

JUST_RECEIVED = "objections_just_received"


def _limited(request, scope: str, setting: str):
    """None if the client may go on, else the 429 response."""
    decision = ratelimit.hit(
        f"objections-{scope}", ratelimit.client_address(request), tuple(getattr(settings, setting))
    )
    if decision.allowed:
        return None
    response = TemplateResponse(
        request,
        "publications/objections/rate_limited.html",
        {"retry_after": decision.reset_after},
        status=429,
    )
    for name, value in decision.headers().items():
        response[name] = value
    return response


def _private(response):
    """Tracking pages: never cached, never indexed, never leaked in a Referer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def index(request):
    """Disclosures now taking objections, and a box to follow one by its code."""
    if "code" in request.GET:
        code = codes.normalise_code(request.GET["code"])
        if code:
            return redirect("objections:status", code=code)
        return TemplateResponse(
            request,
            "publications/objections/index.html",
            {
                "open_pages": _open_pages(),
                "code_error": "查询码应为32位字母和数字，请核对后重新输入。",
            },
            status=400,
        )
    return TemplateResponse(
        request, "publications/objections/index.html", {"open_pages": _open_pages()}
    )


def _open_pages():
    now = rules.now()
    candidates = (
        DisclosurePage.objects.live()
        .filter(window_opens_at__lte=now, window_closes_at__gt=now)
        .order_by("window_closes_at", "pk")
        .specific()
    )
    return [page for page in candidates if rules.accepts_objections(page, now)]


@require_http_methods(["GET", "POST"])
def new(request):
    if request.method == "POST":
        limited = _limited(request, "submit", "OBJECTION_SUBMIT_RATE")
        if limited is not None:
            return limited
    source = request.POST if request.method == "POST" else request.GET
    page_id = source.get("disclosure", "")
    if request.method == "GET" and not page_id:
        return redirect("objections:index")
    page = find_disclosure(page_id)
    now = rules.now()
    if page is not None and not rules.accepts_objections(page, now):
        return TemplateResponse(
            request,
            "publications/objections/closed.html",
            {"page": page, "reason": rules.refusal_message(page, now)},
            status=403 if request.method == "POST" else 200,
        )
    if request.method == "GET":
        if page is None:
            raise Http404("未找到该公示")
        form = ObjectionForm(initial={"disclosure": page.pk, "row": request.GET.get("row", "")})
        row = _row_for_display(page, request.GET.get("row", ""))
        return _form_response(request, form, page, row)

    form = ObjectionForm(request.POST, request.FILES)
    if not form.is_valid():
        row = _row_for_display(page, request.POST.get("row", "")) if page else None
        return _form_response(request, form, page, row, status=400)
    data = form.cleaned_data
    try:
        raised = actions.raise_objection(
            form.page,
            name=data["name"],
            phone=data["phone"],
            email=data["email"] or "",
            content=data["content"],
            row_position=data["row"],
            entry=form.entry,
            attachment=data["attachment"],
            attachment_type=form.attachment_type or "",
            now=now,
        )
    except actions.ObjectionActionError as refused:
        return TemplateResponse(
            request,
            "publications/objections/closed.html",
            {"page": form.page, "reason": str(refused)},
            status=403,
        )
    # Tells the tracking page, once, to say "received: keep this code".
    request.session[JUST_RECEIVED] = raised.objection.code_hash
    return redirect("objections:status", code=raised.code)


def _row_for_display(page, raw):
    raw = (raw or "").strip()
    if page is None or not raw.isdigit():
        return None
    exists, entry = find_row(page, int(raw))
    return {"position": int(raw), "entry": entry} if exists else None


def _form_response(request, form, page, row, status=200):
    return TemplateResponse(
        request,
        "publications/objections/form.html",
        {
            "form": form.describe_fields(),
            "page": page,
            "row": row,
            "min_chars": min_content_chars(),
            "max_mb": max_attachment_bytes() // (1024 * 1024),
        },
        status=status,
    )


@require_GET
def status(request, code):
    limited = _limited(request, "status", "OBJECTION_STATUS_RATE")
    if limited is not None:
        return _private(limited)
    canonical = codes.normalise_code(code)
    if canonical and canonical != code:
        return redirect("objections:status", code=canonical)
    objection = (
        Objection.objects.select_related("disclosure")
        .filter(code_hash=hash_code(canonical))
        .first()
        if canonical
        else None
    )
    if objection is None:
        response = TemplateResponse(
            request, "publications/objections/not_found.html", {}, status=404
        )
        return _private(response)
    just_received = request.session.pop(JUST_RECEIVED, None) == objection.code_hash
    page = objection.disclosure.specific
    return _private(
        TemplateResponse(
            request,
            "publications/objections/status.html",
            {
                "objection": objection,
                "disclosure": page,
                "disclosure_url": page.url if page.live else "",
                "code": codes.display_code(canonical),
                "just_received": just_received,
                "index_url": reverse("objections:index"),
            },
        )
    )
