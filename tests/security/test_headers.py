"""Headers: Content Security Policy everywhere, and production's HSTS, secure cookies, SSL
redirect, referrer policy and nosniff; uploaded files never served as executable content.

Production settings are read in a child process (as `manage.py` would load them), so the
test sees exactly what a deployment gets.
"""

import json
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from disclosure.models import PolicyPage
from sunshine import security
from tests.conftest import run_manage
from tests.factories import add_disclosure
from tests.sunshine.test_settings import GOOD_SECRETS

from .conftest import login_admin

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ("/", "/search/?q=加分", "/lookup/", "/ledger/", "/no-such-page/")


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_public_response_carries_a_policy_with_no_inline_or_foreign_script(client, path):
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hosts
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]


class _ScriptFinder(HTMLParser):
    """Inline scripts and event-handler attributes, as a browser would parse them."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        self.found.extend(f"{tag} {name}=" for name in names if name.startswith("on"))
        for name, value in attrs:
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"{tag} {name}=javascript:")


def test_public_pages_hold_no_inline_script_so_the_policy_breaks_nothing(client, hostile_list):
    for path in (*PUBLIC_PATHS[:4], hostile_list.url, hostile_list.get_parent().url):
        finder = _ScriptFinder()
        finder.feed(client.get(path).content.decode())
        assert finder.found == [], path


def test_json_routes_carry_the_policy_too(client):
    response = client.get("/api/v1/ledger/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_admin_has_its_own_policy_allowing_its_inline_scripts_and_its_previews(
    client, superuser
):
    login_admin(client, superuser)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # previews are framed by the admin
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # Same origin only: no third-party host anywhere in the admin policy.
    assert not any("http" in source for values in policy.values() for source in values)


def test_the_policy_can_be_set_per_deployment(client, settings):
    settings.SUNSHINE_CSP = "default-src 'self'; report-uri /csp"
    assert client.get("/").headers["Content-Security-Policy"] == settings.SUNSHINE_CSP
    assert security.policy_for("/admin/x") == security.ADMIN_POLICY


def test_base_settings_deny_framing_sniffing_and_cross_origin_referrers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


PRODUCTION_PROBE = """
import json
from django.conf import settings as s
from django.test import Client, override_settings
# Only the static files storage differs: no collectstatic manifest in a test checkout.
plain = {**s.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain):
    r = Client(HTTP_HOST="gk.example.cn").get("/lookup/", secure=True)
print("JSON:" + json.dumps({
    "hsts": s.SECURE_HSTS_SECONDS, "hsts_sub": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "preload": s.SECURE_HSTS_PRELOAD, "ssl": s.SECURE_SSL_REDIRECT,
    "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY, "csrf_httponly": s.CSRF_COOKIE_HTTPONLY,
    "referrer": s.SECURE_REFERRER_POLICY, "debug": s.DEBUG,
    "docs_serve": s.WAGTAILDOCS_SERVE_METHOD, "docs_inline": s.WAGTAILDOCS_INLINE_CONTENT_TYPES,
    "headers": {k: v for k, v in r.headers.items()},
    "cookies": {k: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
                    "samesite": c["samesite"]} for k, c in r.cookies.items()},
    "insecure_status": Client(HTTP_HOST="gk.example.cn").get("/").status_code,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    db = tmp_path_factory.mktemp("prod") / "db.sqlite3"
    env = {**GOOD_SECRETS, "DATABASE_URL": f"sqlite:///{db}"}
    migrated = run_manage("migrate", "-v0", settings="sunshine.settings.production", env=env)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    result = run_manage(
        "shell", "-v0", "-c", PRODUCTION_PROBE, settings="sunshine.settings.production", env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    line = [x for x in result.stdout.splitlines() if x.startswith("JSON:")][-1]
    return json.loads(line[5:])


def test_production_sends_hsts_for_a_year_with_subdomains_and_preload(production):
    assert production["hsts"] >= 31_536_000 and production["hsts_sub"] and production["preload"]
    hsts = production["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts


def test_production_redirects_plain_http_to_https(production):
    assert production["ssl"] is True
    assert production["insecure_status"] == 301


def test_production_cookies_are_secure_and_http_only(production):
    assert production["session_secure"] and production["csrf_secure"]
    assert production["session_httponly"] and production["csrf_httponly"]
    csrf = production["cookies"]["csrftoken"]  # the lookup form sets it
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_production_sends_the_policy_referrer_policy_and_nosniff(production):
    headers = production["headers"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert directives(headers["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert production["debug"] is False


def test_production_serves_documents_through_the_view_as_attachments(production):
    assert production["docs_serve"] == "serve_view"
    assert production["docs_inline"] == []


# --- uploaded files ---------------------------------------------------------------------------


def _document(name: str, content: bytes, title="附件"):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def _attach(document):
    from disclosure.models import PolicyAttachment
    from tests.factories import publish_through_workflow, workflow_person

    page = add_disclosure(PolicyPage, title="招生章程", publish=False)
    page.attachments.add(PolicyAttachment(document=document))
    author = workflow_person("author", "编辑")
    page.save_revision(user=author)
    publish_through_workflow(page, author)
    return page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.txt", b"<html><body><script>alert(1)</script></body></html>"),
        ("scan.pdf", b"%PDF-1.4 <script>app.alert(1)</script>"),
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ],
)
def test_an_uploaded_file_is_downloaded_never_rendered_or_run(client, name, content):
    document = _document(name, content)
    _attach(document)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"  # Wagtail's, kept
    assert not response["Content-Type"].startswith(("text/html", "image/svg"))


def test_svg_and_html_cannot_be_uploaded_as_documents(settings):
    assert not {"svg", "html", "htm", "xhtml", "js"} & {
        e.lower() for e in settings.WAGTAILDOCS_EXTENSIONS
    }
