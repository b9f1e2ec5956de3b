"""No 5xx anywhere, found by walking rather than by listing: every route of the URL resolver
and every page of the tree, as the public and as each demo role in the admin (with a verified
second factor), then every form shown on the way posted mutated (tests/fuzz/mutations.py).

Each answer must be below 500, and a refused post (anything but a redirect) must leave every
table's row count and the ledger's head as they were (tests/fuzz/state.py). FUZZ_EXAMPLES
sets the examples per form (default 3, all routes but a sample of forms); the larger count
(`FUZZ_EXAMPLES=50`) mutates every form and every route's parameters, for every role."""

import pytest
from django.contrib.auth import get_user_model

from tests.security.conftest import login_admin

from .urls import fill, page_urls, real_values, routes
from .walker import LARGE, Walker

pytestmark = pytest.mark.django_db
ROLES = ["editor", "reviewer1", "committee1", "inspector", "admin"]
# Route parameters as an attacker writes them: an id of nothing, zero, past 64 bits, a word.
HOSTILE_PARAMETERS = ["999999999", "0", "9" * 25, "x%00"]


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.SEARCH_LOOKUP_RATE = (1_000_000, 60)
    settings.SEARCH_QUERY_RATE = (1_000_000, 60)
    settings.OPENDATA_RATE = (1_000_000, 60)


def hostile_urls(route_list, values):
    for route in route_list:
        if "<" not in route and "(" not in route:
            continue
        for bad in HOSTILE_PARAMETERS:
            yield fill(route, values, override=lambda name, real, bad=bad: bad)


def walk(client, role, admin_only: bool):
    client.raise_request_exception = False
    walker = Walker(client, role)
    values = real_values()
    route_list = [r for r in routes() if r.startswith("admin/") or not admin_only]
    for route in route_list:
        walker.get(fill(route, values))
    if not admin_only:
        for url in page_urls():
            walker.get(url)
    if LARGE or role in ("anonymous", "admin"):
        for url in hostile_urls(route_list, values):
            walker.get(url, what="hostile parameter")
    walker.mutate_forms()
    assert walker.problems == [], "\n".join(walker.problems)


def test_the_public_site_answers_every_walked_and_mutated_request_below_500(demo, client):
    walk(client, "anonymous", admin_only=False)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_answers_every_walked_and_mutated_request_below_500(demo, client, role):
    login_admin(client, get_user_model().objects.get(username=role))
    walk(client, role, admin_only=True)
