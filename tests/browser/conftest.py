"""The browser suite: the system's headless Chromium driven by Playwright, against a live server.

One browser for the whole session; each test gets a fresh context (cookies, storage) at a
phone's viewport, since most of the public reads on a phone. Without Chromium the suite skips
with the reason printed, except in CI (CI=true), where a missing browser is a failure:
`.ci/run` installs Debian's `chromium` package first.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What axe checks: WCAG 2.0 and 2.1 at levels A and AA, plus axe's best practices (headings
# in order, landmarks, one h1), which the site keeps too.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def chromium_path() -> str | None:
    explicit = os.environ.get("SUNSHINE_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests and run them last: the rest of the suite fails fast, and the
    one browser (with the allowance below) is gone before anything else runs."""
    here = Path(__file__).resolve().parent
    in_browser = [item for item in items if here in Path(str(item.path)).resolve().parents]
    for item in in_browser:
        item.add_marker(pytest.mark.browser)
    chosen = set(map(id, in_browser))
    items[:] = [item for item in items if id(item) not in chosen] + in_browser


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: apt-get install chromium (or set SUNSHINE_CHROMIUM)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; CI must run the browser suite", pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The test database's contents as set up, for serialized_rollback (see below).
    with django_db_blocker.unblock():
        serialized = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
    # Playwright's sync API keeps an event loop running on the test's thread. Django would
    # then refuse the test body's database calls as if they came from async code, and hands
    # out connections from per-context storage: new connection objects, without the contents
    # the runner serialized, which the restore of serialized_rollback needs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
        finally:
            playwright.stop()


@pytest.fixture
def site_url(live_server):
    return live_server.url


@pytest.fixture
def new_page(browser, site_url):
    """Opens pages in fresh contexts (a person each, no shared cookies), phone-sized."""
    contexts = []

    def open_page(viewport=PHONE):
        context = browser.new_context(
            base_url=site_url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def screenshot(page, name: str) -> Path:
    """Save the whole page as test-artifacts/screenshots/NAME.png, as a person sees it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, tags=AXE_TAGS) -> list[dict]:
    """Run the vendored axe-core in the page; return its violations (empty when clean)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> tag: the site's
        # Content-Security-Policy (script-src 'self') stays in force for the page itself.
        page.evaluate("(source) => { (0, eval)(source); }", AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )
    return result["violations"]


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scrolling).
    Wide tables scroll inside their own region instead."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def describe(violations: list[dict]) -> str:
    """Violations as readable lines: rule, impact, help and the offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)
