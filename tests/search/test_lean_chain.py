"""The JSON lookups run through a shorter middleware chain (sunshine/lean.py, ADR 0014); what
they answer must not depend on it.

Every request below is sent twice, through Django's ordinary WSGI handler with the site's whole
middleware and through the lean handler, each on a fresh rate-limit counter, and the two
answers must be the same to the byte: status line, every header (security headers, CSP,
Content-Language, Vary, cookies) and body. The requests are the answers the public gets (found,
not found), the refusals (missing parameter, control character, over-long value, wrong method,
unknown host, HTTPS redirect) and the rate limit (429, and 503 with its cache down).
"""

import io
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler

from disclosure.models import AdmissionResultsPage, CandidateListPage
from search import indexing
from search.engines.database import DatabaseEngine
from sunshine.lean import LEAN_PATHS, LeanHandler, LeanRoutes

from .conftest import NOW, admission_dataset, candidate_dataset

pytestmark = pytest.mark.django_db

EXAM = "25410101000001"
ADMISSION = "/api/v1/lookup/admission"
CANDIDATE = "/api/v1/lookup/candidate"


@pytest.fixture
def lists(publish_page, wsgi_keeps_the_test_connection, monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)
    pages = [
        publish_page(
            CandidateListPage,
            title="加分名单",
            list_type="bonus",
            dataset=candidate_dataset([("张三", "郑州一中", "少数民族")]),
        ),
        publish_page(
            AdmissionResultsPage,
            title="本科一批录取结果",
            dataset=admission_dataset([(EXAM, "赵六", "北京大学")]),
        ),
    ]
    for page in pages:
        indexing.index_page(page.pk, NOW, DatabaseEngine())


def environ(path, params=None, *, method="GET", host="testserver", **extra):
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(params or {}),
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "198.51.100.7",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        **extra,
    }


def answer(app, env):
    caches["default"].clear()  # each handler starts on a fresh rate-limit counter
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    result = app(dict(env, **{"wsgi.input": io.BytesIO(b"")}), start_response)
    body = b"".join(result)
    result.close()
    return seen["status"], sorted(seen["headers"]), body


def both(env):
    full, lean = answer(WSGIHandler(), env), answer(LeanHandler(), env)
    assert full == lean
    return full


REQUESTS = {
    "found": (ADMISSION, {"exam_number": EXAM, "name": "赵六"}),
    "wrong name": (ADMISSION, {"exam_number": EXAM, "name": "钱七"}),
    "unknown number": (ADMISSION, {"exam_number": "25410101009999", "name": "赵六"}),
    "not an exam number": (ADMISSION, {"exam_number": "2541%", "name": "赵六"}),
    "missing name": (ADMISSION, {"exam_number": EXAM}),
    "control character": (ADMISSION, {"exam_number": EXAM, "name": "赵\x07六"}),
    "over-long value": (ADMISSION, {"exam_number": EXAM, "name": "赵" * 1001}),
    "name on a list": (CANDIDATE, {"name": "张三"}),
    "name at a school": (CANDIDATE, {"name": "张三", "school": "郑州一中"}),
    "name at another school": (CANDIDATE, {"name": "张三", "school": "二中"}),
    "name not on a list": (CANDIDATE, {"name": "李四"}),
    "partial name": (CANDIDATE, {"name": "张"}),
    "wildcard name": (CANDIDATE, {"name": "张%"}),
    "no name": (CANDIDATE, {}),
}
EXPECTED_STATUS = {
    "found": 200,
    "name on a list": 200,
    "name at a school": 200,
    "missing name": 400,
    "control character": 400,
    "over-long value": 400,
    "no name": 400,
}


@pytest.mark.parametrize("case", REQUESTS)
def test_each_lookup_answer_is_the_same_through_either_chain(lists, case):
    path, params = REQUESTS[case]
    status, headers, body = both(environ(path, params))
    assert int(status.split()[0]) == EXPECTED_STATUS.get(case, 404)
    names = {name for name, _ in headers}
    assert {"Content-Security-Policy", "X-Content-Type-Options"} <= names
    assert EXAM.encode() not in body


@pytest.mark.parametrize(
    ("label", "env"),
    [
        ("POST", environ(ADMISSION, {"exam_number": EXAM, "name": "赵六"}, method="POST")),
        ("HEAD", environ(CANDIDATE, {"name": "张三"}, method="HEAD")),
        ("unknown host", environ(ADMISSION, {"exam_number": EXAM}, host="evil.example")),
    ],
)
def test_refusals_outside_the_view_are_the_same_through_either_chain(lists, label, env):
    status, _, _ = both(env)
    assert int(status.split()[0]) in (400, 405)


def test_an_https_redirect_is_the_same_through_either_chain(lists, settings):
    settings.SECURE_SSL_REDIRECT = True  # read when the handlers' middleware is built
    status, headers, _ = both(environ(ADMISSION, {"exam_number": EXAM, "name": "赵六"}))
    assert status.startswith("301")
    assert dict(headers)["Location"].startswith(f"https://testserver{ADMISSION}?")


def test_https_answers_carry_the_same_hsts_through_either_chain(lists, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    env = environ(CANDIDATE, {"name": "张三"}, HTTP_X_FORWARDED_PROTO="https")
    _, headers, _ = both(env)
    assert ("Strict-Transport-Security", "max-age=31536000") in headers


def test_the_rate_limit_refuses_the_same_way_through_either_chain(lists, settings):
    settings.SEARCH_LOOKUP_RATE = (0, 60)
    status, headers, _ = both(environ(ADMISSION, {"exam_number": EXAM, "name": "赵六"}))
    assert status.startswith("429") and "Retry-After" in dict(headers)


def test_with_the_counters_down_both_chains_refuse_with_503(lists, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr("search.ratelimit._count", down)
    status, _, body = both(environ(CANDIDATE, {"name": "张三"}))
    assert status.startswith("503") and "查询服务暂时不可用" in body.decode()


def test_the_site_application_sends_exactly_the_lookups_down_the_lean_chain():
    calls = []

    def recorder(name):
        def app(environ, start_response):
            calls.append((name, environ["PATH_INFO"]))
            return []

        return app

    routes = LeanRoutes(recorder("full"), recorder("lean"))
    for path in [*sorted(LEAN_PATHS), "/api/v1/lookup/admission/", "/lookup/", "/"]:
        routes({"PATH_INFO": path}, None)
    assert calls == [
        ("lean", ADMISSION),
        ("lean", CANDIDATE),
        ("full", "/api/v1/lookup/admission/"),
        ("full", "/lookup/"),
        ("full", "/"),
    ]


def test_the_lean_chain_is_the_sites_middleware_in_order_less_the_skipped_ones(settings):
    from sunshine.lean import SKIPPED, lean_middleware

    later = "sunshine.security.SomeFutureHeaderMiddleware"  # added to MIDDLEWARE one day
    chain = lean_middleware([*settings.MIDDLEWARE, later])
    assert chain == [m for m in settings.MIDDLEWARE if m not in SKIPPED] + [later]
    assert chain[:4] == [
        "django.middleware.security.SecurityMiddleware",
        "sunshine.security.ContentSecurityPolicyMiddleware",
        "sunshine.security.RefuseUnreadableInput",
        "django.middleware.locale.LocaleMiddleware",
    ]
    assert set(SKIPPED) <= set(settings.MIDDLEWARE), "a skipped name the site no longer has"
