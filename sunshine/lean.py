"""A shorter middleware chain for the public JSON lookups (docs/adr/0014-lean-lookup-chain.md).

The lookups are the site's hottest public routes: anyone may call them, at exam-result time
all at once, and each answer is one indexed read. Eight of the site's fourteen middleware do
nothing for them but cost time on every request (sessions, CSRF, users, second factors,
messages, static files, Wagtail's redirects, the workflow gate): about a hundred microseconds,
as much as the lookup itself.

`LeanRoutes` is the WSGI application. Requests for the paths in `LEAN_PATHS` go to a second
Django handler, built by Django itself from the site's own `MIDDLEWARE` less `SKIPPED`, the
classes named there with the reason each one has nothing to do on these routes; every other
request goes to the ordinary handler. Nothing is re-implemented: the same views, URL
configuration, signals, exception handling and the middleware that shape these responses
(host validation and HTTPS redirect, security headers, Content-Security-Policy, the refusal
of control characters and over-long values, language headers, Content-Length, X-Frame-Options)
run as on any other route. A middleware added to `MIDDLEWARE` later runs on these routes too
unless someone adds it to `SKIPPED` with its reason.

`tests/search/test_lean_chain.py` sends the same requests through both handlers and asserts the
same status, headers and body, for answers, misses, refusals and rate limits.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

# Exactly the request paths (PATH_INFO, after any script prefix) served by the lean chain.
LEAN_PATHS = frozenset({"/api/v1/lookup/admission", "/api/v1/lookup/candidate"})

# Middleware with nothing to do on the lean paths, and why.
SKIPPED = {
    # Serves files under STATIC_URL only; the lookups are not files.
    "whitenoise.middleware.WhiteNoiseMiddleware": "static files only",
    # The lookups never read or write a session, so it would add no cookie and no Vary.
    "django.contrib.sessions.middleware.SessionMiddleware": "no session is used",
    # The lookup views are csrf_exempt and GET only (anything else: 405); no form, no token.
    "django.middleware.csrf.CsrfViewMiddleware": "GET only, csrf_exempt",
    # Posted bodies and posted fields only (ADR 0019); the lookups are GET only.
    "sunshine.malformed.RefuseMissingFormFields": "GET only, no posted field",
    # Anonymous by design: the answer never depends on who is signed in.
    "django.contrib.auth.middleware.AuthenticationMiddleware": "answers are the same for all",
    "django_otp.middleware.OTPMiddleware": "no signed-in user",
    "django.contrib.messages.middleware.MessageMiddleware": "no messages on JSON answers",
    # Skipped under /api/ by the site's own subclass (sunshine.redirects) anyway.
    "sunshine.redirects.RedirectMiddleware": "an API 404 is an answer, not a moved page",
    # Rules only on admin views (publications.workflow.middleware.GATED_VIEWS).
    "publications.workflow.middleware.WorkflowGateMiddleware": "admin views only",
}


def lean_middleware(middleware: list[str]) -> list[str]:
    """The site's middleware, in order, less the ones with nothing to do on the lookups."""
    return [path for path in middleware if path not in SKIPPED]


@contextmanager
def _middleware_setting(paths: list[str]):
    """Django builds a handler's chain from settings.MIDDLEWARE; swap it while one is built.
    Only at start-up, before any request is served."""
    saved = settings.MIDDLEWARE
    settings.MIDDLEWARE = paths
    try:
        yield
    finally:
        settings.MIDDLEWARE = saved


class LeanHandler(WSGIHandler):
    """Django's WSGI handler with the site's middleware less `SKIPPED`."""

    def load_middleware(self, is_async=False):
        with _middleware_setting(lean_middleware(list(settings.MIDDLEWARE))):
            super().load_middleware(is_async)


class LeanRoutes:
    """The site's WSGI application: the lookups through the lean chain, the rest as usual."""

    def __init__(self, full, lean=None, paths: frozenset[str] = LEAN_PATHS):
        self.full = full
        self.lean = lean if lean is not None else LeanHandler()
        self.paths = paths

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") in self.paths:
            return self.lean(environ, start_response)
        return self.full(environ, start_response)
