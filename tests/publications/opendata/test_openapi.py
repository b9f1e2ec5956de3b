"""/api/v1/openapi.json is kept true: schemathesis calls every described route through the WSGI
application and checks each answer against the document (status, media type, body, headers).

Bounded and deterministic: a few derandomized examples per operation, positive data only,
against a database holding a list, a correction, a withdrawal and a policy."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from disclosure.models import PolicyPage
from publications.opendata.openapi import document
from sunshine.wsgi import application
from tests.disclosure.chain_helpers import CITY_ROWS, COUNTY_ROWS, candidate_list, make_tree
from tests.factories import add_disclosure
from tests.publications.opendata.conftest import correct, publish_list, withdraw

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 8,
        "generation": {
            "mode": "positive",
            "max-examples": 8,
            "deterministic": True,
            "database": "none",
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def test_the_document_is_openapi_3_and_describes_every_contract_route(client, db):
    data = json.loads(client.get("/api/v1/openapi.json").content)
    assert data["openapi"].startswith("3.")
    for route in (
        "/feed.json",
        "/api/v1/disclosures/",
        "/api/v1/disclosures/{id}/",
        "/api/v1/disclosures/{id}/entries.json",
        "/api/v1/disclosures/{id}/entries.csv",
        "/api/v1/ledger/",
        "/api/v1/lookup/admission",
        "/api/v1/lookup/candidate",
        "/api/v1/openapi.json",
        "/api/v1/issuers/",
    ):
        assert "get" in data["paths"][route], route


@pytest.fixture
def published(db, wsgi_keeps_the_test_connection):
    first = publish_list()
    correct(first, "更正说明", [("1", "王五", "男", "", "", "二中", "烈士子女", "+5")])
    publish_list("第二份名单")
    withdraw(publish_list("撤回的名单"), "撤回理由")
    add_disclosure(PolicyPage, title="招生政策")
    # A list passed up a level (逐级公示): its detail carries basis, passed_up_to, row_changes.
    tree = make_tree()
    county = candidate_list(tree["county"], "西工区名单", COUNTY_ROWS)
    candidate_list(tree["city"], "洛阳市名单", CITY_ROWS, bases=[county])


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_answers_as_the_document_says(case, published):
    case.call_and_validate(checks=CHECKS)
