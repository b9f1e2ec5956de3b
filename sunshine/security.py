"""Site-wide defences that belong to no one app: the Content Security Policy and the input guard.

`ContentSecurityPolicyMiddleware` sets `Content-Security-Policy` on every response that has
none yet (Wagtail's document view sets its own, stricter `default-src 'none'`, which is kept):

- the public site: `SUNSHINE_CSP`, scripts from this origin only (no inline scripts, no
  `eval`), nothing may frame it;
- the Wagtail admin (`/admin/`, previews and revision comparison included): `SUNSHINE_ADMIN_CSP`,
  looser because Wagtail's own templates carry inline scripts and previews are framed by the
  admin itself. Still same-origin only: no third-party script, style, frame or form target.

`RefuseUnreadableInput` answers 400 with a Chinese message when a path, a query parameter or
a form field holds a character no person types: NUL anywhere (PostgreSQL cannot store it and
would answer 500), other C0 control characters on the public site; and when a public query
parameter is longer than any of ours can use (`SUNSHINE_MAX_QUERY_VALUE`, 1,000 characters).
Decided in ADR 0011.
"""

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse

PUBLIC_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Templates carry small <style> blocks and bar widths in style="": no script runs
        # from CSS, and every value in them is escaped. Tighten once they move to static files.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
ADMIN_PREFIX = "/admin/"

UNREADABLE_MESSAGE = "请求中含有无法识别的控制字符，请删除后重新输入。"
TOO_LONG_MESSAGE = "输入内容过长，请缩短后重新查询。"
# No query-string parameter of the site needs more; forms (POST) check their own lengths.
MAX_QUERY_VALUE = 1000
_NUL = re.compile("\x00")
# C0 controls and DEL, except tab, line feed and carriage return (which forms may carry).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def policy_for(path: str) -> str:
    if path.startswith(ADMIN_PREFIX):
        return getattr(settings, "SUNSHINE_ADMIN_CSP", ADMIN_POLICY)
    return getattr(settings, "SUNSHINE_CSP", PUBLIC_POLICY)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy_for(request.path)
        return response


def _values(querydict):
    for key, values in querydict.lists():
        yield key
        yield from (value for value in values if isinstance(value, str))


def has_overlong_query(request) -> bool:
    limit = getattr(settings, "SUNSHINE_MAX_QUERY_VALUE", MAX_QUERY_VALUE)
    return any(len(text) > limit for text in _values(request.GET))


def has_unreadable(request) -> bool:
    pattern = _NUL if request.path.startswith(ADMIN_PREFIX) else _CONTROL
    texts = [request.path, *_values(request.GET)]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        texts.extend(_values(request.POST))
    return any(pattern.search(text) for text in texts)


def refusal(request, message: str = UNREADABLE_MESSAGE) -> HttpResponse:
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        # The open-data error shape (error, error_zh) and the lookup's (found, detail) both.
        body = {
            "error": "The request holds control characters or over-long values.",
            "error_zh": message,
            "detail": message,
        }
        if request.path.startswith("/api/v1/lookup/"):
            body["found"] = False
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    body = (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        "<title>请求无法处理</title></head><body><main><h1>请求无法处理</h1>"
        f'<p>{message}</p><p><a href="/">返回首页</a></p></main></body></html>'
    )
    return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")


class RefuseUnreadableInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_unreadable(request):
            return refusal(request)
        if not request.path.startswith(ADMIN_PREFIX) and has_overlong_query(request):
            return refusal(request, TOO_LONG_MESSAGE)
        return self.get_response(request)


# -- documents --------------------------------------------------------------------------------

_DOCUMENT_LINK = (
    r'<a\b[^>]*\bid="{id}"[^>]*\blinktype="document"|<a\b[^>]*\blinktype="document"[^>]*\bid="{id}"'
)


def _live_content_refers_to(page, document) -> bool:
    """Whether the stored (live) version of `page`, not a draft, refers to `document`."""
    attachments = getattr(page, "attachments", None)
    if attachments is not None and attachments.filter(document_id=document.pk).exists():
        return True
    pattern = _DOCUMENT_LINK.format(id=document.pk)
    for field in ("body", "intro"):
        value = str(getattr(page, field, "") or "")
        if value and re.search(pattern, value):
            return True
    return False


def document_is_public(document, now) -> bool:
    """A document may be downloaded by the public only while a page the public can see now
    (live, its window open or closed-but-displayed, not withdrawn or retired) refers to it
    in its published version. Drafts', scheduled and withdrawn disclosures' files are not."""
    from wagtail.models import Page, ReferenceIndex

    from disclosure.models import DisclosurePage
    from publications.windows.pages import is_public

    page_type = ReferenceIndex._get_base_content_type(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    pages = Page.objects.live().public().filter(pk__in=[int(pk) for pk in page_ids]).specific()
    for page in pages:
        if isinstance(page, DisclosurePage) and not is_public(page, now):
            continue
        if _live_content_refers_to(page, document):
            return True
    return False


def serve_document_if_public(document, request):
    """`before_serve_document` hook: 404 for the public unless the document is public now;
    people signed in to the admin may download anything the admin shows them."""
    from django.http import Http404
    from django.utils import timezone

    if request.user.is_authenticated and request.user.has_perm("wagtailadmin.access_admin"):
        return None
    if document_is_public(document, timezone.now()):
        return None
    raise Http404("未找到该文件")
