"""What every open-data response has in common, in one decorator.

In this order: `OPTIONS` answers the CORS preflight; other methods than GET/HEAD get 405; the
client is counted (429 with Retry-After past the limit); the validator is computed from the
cheap state (`conditional`), and a matching `If-None-Match`/`If-Modified-Since` gets 304 before
the view runs; then the view builds the body. Every response, errors and 304s included, carries
CORS, the rate-limit headers, an ETag and a Last-Modified.
"""

import json
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import conditional, cors, ratelimit

JSON = "application/json; charset=utf-8"
MAX_AGE = 30


class ApiError(Exception):
    """An answer other than 200, with a message in English and in Chinese (and extra fields)."""

    def __init__(self, status: int, message: str, message_zh: str, **extra) -> None:
        super().__init__(message)
        self.status, self.message, self.message_zh, self.extra = status, message, message_zh, extra

    def body(self) -> dict:
        return {"error": self.message, "error_zh": self.message_zh, **self.extra}


def json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(data, status: int = 200, content_type: str = JSON) -> HttpResponse:
    response = HttpResponse(json_bytes(data), status=status, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _finish(response: HttpResponse, decision, etag: str, last_modified: datetime):
    cors.add_cors_headers(response)
    for name, value in decision.headers().items():
        response[name] = value
    response["ETag"] = etag
    response["Last-Modified"] = conditional.last_modified_header(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def open_data_view(view: Callable | None = None, *, validator: Callable | None = None):
    """Decorate `view(request, *args, now=…, **kwargs)` returning data (→ JSON), an
    HttpResponse, or raising ApiError.

    `validator(request, now) -> (token, last_modified)` replaces the ledger state for routes that do
    not depend on it (the OpenAPI document).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "OPTIONS":
                return cors.preflight()
            if request.method not in ("GET", "HEAD"):
                response = json_response(
                    {"error": "read-only: GET, HEAD or OPTIONS", "error_zh": "只读接口"}, 405
                )
                response["Allow"] = cors.ALLOWED_METHODS
                return cors.add_cors_headers(response)
            decision = ratelimit.check(request)
            now = timezone.now()
            if not decision.allowed:
                response = json_response(
                    {
                        "error": "too many requests; retry after the number of seconds in "
                        "Retry-After",
                        "error_zh": "请求过于频繁，请按 Retry-After 所示秒数后再试。",
                    },
                    429,
                )
                cors.add_cors_headers(response)
                for name, value in decision.headers().items():
                    response[name] = value
                return response
            if validator is not None:
                token, last_modified = validator(request, now)
            else:
                state = conditional.current_state(now)
                token, last_modified = state.token, state.last_modified
            etag = conditional.etag_for(request, token)
            if conditional.not_modified(request, etag, last_modified):
                return _finish(HttpResponseNotModified(), decision, etag, last_modified)
            try:
                result = view(request, *args, now=now, **kwargs)
            except ApiError as error:
                result = json_response(error.body(), error.status)
            if not isinstance(result, HttpResponse):
                result = json_response(result)
            return _finish(result, decision, etag, last_modified)

        wrapped.csrf_exempt = True
        return wrapped

    return decorator(view) if view is not None else decorator


def int_param(request, name: str, default=None, minimum: int = 0, maximum: int = 10**15):
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if (
        not raw.isascii()
        or not raw.isdigit()
        or len(raw) > 16
        or not (minimum <= int(raw) <= maximum)
    ):
        raise ApiError(
            400,
            f"{name} must be an integer from {minimum} to {maximum}",
            f"参数 {name} 应为 {minimum} 至 {maximum} 之间的整数",
        )
    return int(raw)
