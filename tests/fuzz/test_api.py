"""The open-data API, fuzzed from its own OpenAPI document: schemathesis generates requests
that break the document (wrong types, out-of-range numbers, missing and extra parameters) and
the answer must be below 500 and must change nothing. The bounded count runs in `make test`;
FUZZ_EXAMPLES raises it (tests/fuzz/walker.py)."""

import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from publications.opendata.openapi import document
from sunshine.wsgi import application

from .state import snapshot
from .walker import EXAMPLES, TOTALS

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
schema.app = application


@schema.parametrize()
@hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_no_api_request_answers_5xx_or_changes_anything(
    case, db, wsgi_keeps_the_test_connection, settings
):
    settings.OPENDATA_RATE = (1_000_000, 60)
    settings.SEARCH_LOOKUP_RATE = (1_000_000, 60)
    before = snapshot()
    response = case.call()
    TOTALS.requests += 1
    TOTALS.urls.add(f"GET {case.path}")
    if response.status_code >= 500:
        TOTALS.server_errors += 1
    case.validate_response(response, checks=[not_a_server_error])
    assert snapshot().differences(before) == []
