"""`/api/v1/openapi.json`: the OpenAPI 3.1 description of every open-data route, the ledger's
routes and the admission lookup (contracts.md: "all of the above").

Built in code so it stays next to the views it describes; `tests/publications/opendata/
test_openapi.py` runs schemathesis against it, which fails when a route answers something the
document does not say (a status, a media type, a field, a required header).
"""

import hashlib
from datetime import UTC, datetime
from functools import cache

from django.conf import settings

from .http import json_bytes, json_response, open_data_view

HASH = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
INT = {"type": "integer"}


def null(schema: dict) -> dict:
    """The schema, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: dict, optional: dict | None = None, *, closed: bool = False) -> dict:
    schema = {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }
    if closed:
        schema["additionalProperties"] = False
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


STATUS = {"type": "string", "enum": ["scheduled", "open", "closed", "withdrawn"]}
KIND = {
    "type": "string",
    "enum": ["policy", "quota_plan", "candidate_list", "admission_results", "notice"],
}
CHANGE = {
    "type": "string",
    "enum": ["new", "correction", "withdrawal", "window_change", "retention_end"],
}

SCHEMAS = {
    "Error": obj({"error": {"type": "string"}, "error_zh": {"type": "string"}}),
    "Issuer": obj(
        {
            "id": INT,
            "name": {"type": "string"},
            "level": {
                "type": "string",
                "enum": ["province", "city", "county", "school", "university"],
            },
        }
    ),
    "IssuerNode": obj(
        {
            "id": INT,
            "name": {"type": "string"},
            "level": {
                "type": "string",
                "enum": ["province", "city", "county", "school", "university"],
            },
            "level_label": {"type": "string"},
            "parent_id": null(INT),
            "region_code": null({"type": "string"}),
            "url": URL,
            "disclosures_url": URL,
        },
        closed=True,
    ),
    "IssuerList": obj({"issuers": array(ref("IssuerNode"))}),
    "ListBasis": obj(
        {
            "disclosure_id": INT,
            "title": {"type": "string"},
            "issuer": ref("Issuer"),
            "version": null(INT),
            "content_sha256": null(HASH),
            "dataset_public_sha256": null(HASH),
            "api_url": URL,
        },
        closed=True,
    ),
    "PassedUpTo": obj(
        {
            "disclosure_id": INT,
            "title": {"type": "string"},
            "issuer": ref("Issuer"),
            "api_url": URL,
        },
        closed=True,
    ),
    "Tombstone": obj(
        {
            "disclosure_id": INT,
            "kind": KIND,
            "title": {"type": "string"},
            "issuer": ref("Issuer"),
            "admission_year": INT,
            "status": {"type": "string", "enum": ["withdrawn", "retired"]},
            "first_published_at": null(TIME),
            "taken_down_at": null(TIME),
            "reason": null({"type": "string"}),
            "version": null(INT),
            "content_sha256": null(HASH),
            "ledger_seq": null(INT),
            "ledger_url": null(URL),
        }
    ),
    "Gone": {
        "allOf": [ref("Error"), obj({"tombstone": ref("Tombstone")})],
        "description": "410: the disclosure was withdrawn or retention ended; what remains.",
    },
    "DisclosureSummary": obj(
        {
            "id": INT,
            "kind": KIND,
            "title": {"type": "string"},
            "issuer": ref("Issuer"),
            "admission_year": INT,
            "status": {"type": "string", "enum": ["scheduled", "open", "closed", "withdrawn"]},
            "window_opens_at": null(TIME),
            "window_closes_at": null(TIME),
            "withdrawn_at": null(TIME),
            "version": null(INT),
            "content_sha256": null(HASH),
            "first_published_at": null(TIME),
            "updated_at": null(TIME),
            "ledger_seq": null(INT),
            "url": null(URL),
            "api_url": URL,
            "data_url": null(URL),
            "csv_url": null(URL),
        }
    ),
    "Version": obj(
        {
            "version": null(INT),
            "change": CHANGE,
            "event": {"type": "string"},
            "at": TIME,
            "title": {"type": "string"},
            "change_note": null({"type": "string"}),
            "reason": null({"type": "string"}),
            "window_opens_at": null(TIME),
            "window_closes_at": null(TIME),
            "content_sha256": null(HASH),
            "ledger_seq": INT,
            "ledger_url": URL,
        }
    ),
    "DatasetSummary": obj(
        {"id": INT, "kind": {"type": "string"}, "row_count": INT, "public_sha256": HASH}
    ),
    "Attachment": obj(
        {"url": URL, "mime_type": {"type": "string"}, "size_in_bytes": INT},
        {"title": {"type": "string"}, "sha256": {"type": "string"}},
    ),
    "Disclosure": {
        "allOf": [
            ref("DisclosureSummary"),
            obj(
                {
                    "summary": null({"type": "string"}),
                    "list_type": null({"type": "string"}),
                    "dataset": null(ref("DatasetSummary")),
                    "attachments": array(ref("Attachment")),
                    "withdrawal": null(
                        obj(
                            {
                                "at": TIME,
                                "reason": null({"type": "string"}),
                                "notice_id": null(INT),
                                "ledger_seq": INT,
                            }
                        )
                    ),
                    "versions": array(ref("Version")),
                },
                {
                    "basis": array(ref("ListBasis")),
                    "passed_up_to": array(ref("PassedUpTo")),
                    "row_changes": null(
                        obj({"added": INT, "removed": INT, "kept": INT}, closed=True)
                    ),
                },
            ),
        ],
        "description": "Candidate lists also carry `basis` (the lower lists they rest on, "
        "逐级公示, with the version and hashes pinned), `passed_up_to` and `row_changes`.",
    },
    "DisclosureList": obj(
        {"disclosures": array(ref("DisclosureSummary")), "next": null(URL), "ledger_url": URL}
    ),
    "Entries": obj(
        {
            "disclosure_id": INT,
            "version": null(INT),
            "content_sha256": null(HASH),
            "dataset": ref("DatasetSummary"),
            "columns": array(obj({"key": {"type": "string"}, "header": {"type": "string"}})),
            "rows": array(array({"type": "string"})),
            "csv_url": URL,
        }
    ),
    "TombstoneList": obj({"tombstones": array(ref("Tombstone")), "next": null(URL)}),
    "SunshineItem": obj(
        {
            "disclosure_id": INT,
            "kind": {"type": "string"},
            "issuer": null({"type": "string"}),
            "level": null({"type": "string"}),
            "version": null(INT),
            "change": CHANGE,
            "reason": null({"type": "string"}),
            "window_opens_at": null(TIME),
            "window_closes_at": null(TIME),
            "content_sha256": null(HASH),
            "ledger_seq": INT,
            "data_url": null(URL),
        },
        closed=True,
    ),
    "FeedItem": obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "content_html": {"type": "string"},
            "content_text": {"type": "string"},
            "date_published": TIME,
            "date_modified": TIME,
            "_sunshine": ref("SunshineItem"),
        },
        {
            "url": URL,
            "summary": {"type": "string"},
            "authors": array(obj({"name": {"type": "string"}})),
            "tags": array({"type": "string"}),
            "language": {"type": "string"},
            "attachments": array(ref("Attachment")),
        },
    ),
    "Feed": obj(
        {
            "version": {"type": "string", "const": "https://jsonfeed.org/version/1.1"},
            "title": {"type": "string"},
            "items": array(ref("FeedItem")),
        },
        {
            "home_page_url": URL,
            "feed_url": URL,
            "next_url": URL,
            "description": {"type": "string"},
            "language": {"type": "string"},
            "authors": array(obj({"name": {"type": "string"}})),
        },
    ),
    "LedgerEntry": obj(
        {
            "seq": INT,
            "at": {"type": "string"},
            "event": {
                "type": "string",
                "enum": [
                    "published",
                    "corrected",
                    "withdrawn",
                    "window_changed",
                    "retention_taken_down",
                    "workflow_decision",
                ],
            },
            "disclosure_id": null(INT),
            "version": null(INT),
            "content_sha256": {"type": "string"},
            "prev_hash": HASH,
            "entry_hash": HASH,
            "detail": {"type": "object"},
        }
    ),
    "LedgerEntries": obj(
        {
            "entries": array(ref("LedgerEntry")),
            "next": null(URL),
            "head": null(obj({"seq": INT, "entry_hash": HASH})),
        }
    ),
    "LedgerEntryWithContent": obj(
        {"entry": ref("LedgerEntry"), "content": null({"type": "object"})}
    ),
    "Checkpoint": obj(
        {
            "id": INT,
            "size": INT,
            "root": HASH,
            "time": {"type": "string"},
            "key_id": {"type": "string"},
            "signature": {"type": "string"},
        }
    ),
    "Checkpoints": obj(
        {
            "latest": null(ref("Checkpoint")),
            "checkpoints": array(ref("Checkpoint")),
            "next": null(URL),
        }
    ),
    "PublicKey": obj(
        {
            "algorithm": {"type": "string", "const": "Ed25519"},
            "key_id": {"type": "string"},
            "public_key": {"type": "string"},
            "public_key_pem": {"type": "string"},
            "checkpoint_format": {"type": "string"},
        }
    ),
    "InclusionProof": obj(
        {
            "seq": INT,
            "leaf_index": INT,
            "tree_size": INT,
            "entry_hash": HASH,
            "root": HASH,
            "proof": array(HASH),
            "checkpoint": null(ref("Checkpoint")),
        }
    ),
    "ConsistencyProof": obj(
        {
            "from": INT,
            "to": INT,
            "from_root": HASH,
            "to_root": HASH,
            "proof": array(HASH),
            "from_checkpoint": null(ref("Checkpoint")),
            "to_checkpoint": null(ref("Checkpoint")),
        }
    ),
    "AdmissionFound": obj(
        {
            "found": {"type": "boolean", "const": True},
            "result": obj(
                {
                    "name": {"type": "string"},
                    "exam_number": {"type": "string"},
                    "batch": {"type": "string"},
                    "track": {"type": "string"},
                    "institution_code": {"type": "string"},
                    "institution": {"type": "string"},
                    "major": {"type": "string"},
                    "disclosure": {"type": "string"},
                }
            ),
        }
    ),
    "AdmissionNotFound": obj(
        {"found": {"type": "boolean", "const": False}, "detail": {"type": "string"}}
    ),
    "CandidateFound": obj(
        {
            "found": {"type": "boolean", "const": True},
            "matches": {
                "type": "array",
                "items": obj(
                    {
                        "name": {"type": "string"},
                        "gender": {"type": "string"},
                        "school": {"type": "string"},
                        "category": {"type": "string"},
                        "list": obj({"title": {"type": "string"}, "url": {"type": "string"}}),
                    }
                ),
            },
        }
    ),
    "TooMany": {"type": "object", "description": "429: slow down; see Retry-After."},
}

VALIDATOR_HEADERS = {
    "ETag": {"required": True, "schema": {"type": "string"}},
    "Last-Modified": {"required": True, "schema": {"type": "string"}},
}
RATE_HEADERS = {
    "X-RateLimit-Limit": {"schema": {"type": "string"}},
    "X-RateLimit-Remaining": {"schema": {"type": "string"}},
    "X-RateLimit-Reset": {"schema": {"type": "string"}},
}


def json_content(schema: dict, media: str = "application/json") -> dict:
    return {media: {"schema": schema}}


def ok(schema: dict, media: str = "application/json", *, rate_limited: bool = True) -> dict:
    headers = {**VALIDATOR_HEADERS, **(RATE_HEADERS if rate_limited else {})}
    return {"description": "OK", "headers": headers, "content": json_content(schema, media)}


NOT_MODIFIED = {
    "description": "Not modified: your copy (If-None-Match / If-Modified-Since) is current.",
    "headers": VALIDATOR_HEADERS,
}
TOO_MANY = {
    "description": "Too many requests: wait Retry-After seconds.",
    "headers": {"Retry-After": {"required": True, "schema": {"type": "string"}}, **RATE_HEADERS},
    "content": json_content({"type": "object"}),
}


def error(description: str, schema: str = "Error") -> dict:
    return {"description": description, "content": json_content(ref(schema))}


def query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


def path_id(name: str, description: str, maximum: int) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum},
        "description": description,
    }


CURSOR = query("cursor", {"type": "integer", "minimum": 0}, "Opaque: follow `next` as given.")


def limit(default: int, maximum: int) -> dict:
    return query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
        "Items per page.",
    )


def get(summary: str, responses: dict, parameters: list | None = None, tag: str = "") -> dict:
    operation = {"summary": summary, "responses": responses, "tags": [tag] if tag else []}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def lookup(summary: str, found: tuple[str, str], bad: str, missing: str, parameters) -> dict:
    """A public lookup: 200 with `found` = (schema, description), 400, 404 (one body whatever
    did not match), 429."""
    not_found = json_content(ref("AdmissionNotFound"))
    responses = {
        "200": {
            "description": found[1],
            "headers": VALIDATOR_HEADERS,
            "content": json_content(ref(found[0])),
        },
        "400": {"description": bad, "content": not_found},
        "404": {"description": missing, "content": not_found},
        "429": TOO_MANY,
    }
    return get(summary, responses, parameters, "lookup")


DISCLOSURE_ID = path_id("id", "The disclosure's id.", 2**31 - 1)
ENTRY_ERRORS = {
    "404": error("No such published disclosure, no rows, or not on notice yet."),
    "410": error("Withdrawn or retention ended: a tombstone.", "Gone"),
}


def paths() -> dict:
    std = {"304": NOT_MODIFIED, "429": TOO_MANY}
    ledger_std = {"304": NOT_MODIFIED}
    seq_max = 10**15 - 1
    return {
        "/feed.json": get(
            "JSON Feed 1.1: one item per new disclosure, correction, withdrawal, window change "
            "and take-down, newest first.",
            {
                "200": ok(ref("Feed"), "application/feed+json"),
                "400": error("A bad parameter."),
                **std,
            },
            [
                query("before", {"type": "integer", "minimum": 1}, "From next_url: older items."),
                limit(50, 200),
            ],
            "feed",
        ),
        "/api/v1/disclosures/": get(
            "Disclosures recorded as published, in the order they were first published.",
            {"200": ok(ref("DisclosureList")), "400": error("A bad parameter."), **std},
            [
                query("kind", KIND, "Only this kind."),
                query("status", STATUS, "Only this window status, now."),
                query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, "招生年度."),
                query(
                    "issuer",
                    {"type": "string"},
                    "Issuer id, or its exact name: its disclosures and those of every issuer "
                    "below it (see /api/v1/issuers/).",
                ),
                query(
                    "include_below",
                    {"type": "string", "enum": ["true", "false"], "default": "true"},
                    "false: only the issuer itself, not the issuers below it.",
                ),
                query("updated_since", TIME, "Only those with a ledger event after this time."),
                CURSOR,
                limit(100, 500),
            ],
            "disclosures",
        ),
        "/api/v1/disclosures/{id}/": get(
            "One disclosure: live content (while shown) and every version with its notes.",
            {
                "200": ok(ref("Disclosure")),
                "404": error("No such published disclosure."),
                "410": error("Retention ended: a tombstone.", "Gone"),
                **std,
            },
            [DISCLOSURE_ID],
            "disclosures",
        ),
        "/api/v1/disclosures/{id}/entries.json": get(
            "The rows of the live version as the public sees them (identifiers masked).",
            {"200": ok(ref("Entries")), **ENTRY_ERRORS, **std},
            [DISCLOSURE_ID],
            "disclosures",
        ),
        "/api/v1/disclosures/{id}/entries.csv": get(
            "The public CSV: UTF-8 with BOM, CRLF, Chinese headers, formula cells prefixed "
            "with ' (docs/verify.md).",
            {"200": ok({"type": "string"}, "text/csv"), **ENTRY_ERRORS, **std},
            [DISCLOSURE_ID],
            "disclosures",
        ),
        "/api/v1/tombstones/": get(
            "What was taken down (withdrawn, or retention ended): one per take-down.",
            {"200": ok(ref("TombstoneList")), "400": error("A bad parameter."), **std},
            [CURSOR, limit(100, 500)],
            "disclosures",
        ),
        "/api/v1/issuers/": get(
            "The issuer tree (省 → 市 → 县 → 校, 高校): every issuer with its parent and the "
            "URLs of its disclosures.",
            {"200": ok(ref("IssuerList")), **std},
            None,
            "issuers",
        ),
        "/api/v1/openapi.json": get(
            "This document.", {"200": ok({"type": "object"}), **std}, None, "meta"
        ),
        "/api/v1/ledger/": get(
            "Ledger entries with seq > since, oldest first.",
            {
                "200": ok(ref("LedgerEntries"), rate_limited=False),
                "400": error("A bad parameter."),
                **ledger_std,
            },
            [
                query("since", {"type": "integer", "minimum": 0, "maximum": seq_max}, "After."),
                query("cursor", {"type": "integer", "minimum": 0, "maximum": seq_max}, "Opaque."),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "Per page."),
                query(
                    "disclosure",
                    {"type": "integer", "minimum": 1, "maximum": seq_max},
                    "Only this disclosure's entries.",
                ),
            ],
            "ledger",
        ),
        "/api/v1/ledger/entries/{seq}/": get(
            "One entry and, for published/corrected, its content document.",
            {
                "200": ok(ref("LedgerEntryWithContent"), rate_limited=False),
                "404": error("No such entry."),
                **ledger_std,
            },
            [path_id("seq", "The entry's seq.", 2**62)],
            "ledger",
        ),
        "/api/v1/ledger/public-key": get(
            "The Ed25519 key that signs checkpoints.",
            {
                "200": ok(ref("PublicKey"), rate_limited=False),
                "503": error("No key configured."),
                **ledger_std,
            },
            None,
            "ledger",
        ),
        "/api/v1/ledger/checkpoints/": get(
            "Signed checkpoints, oldest first, and the latest.",
            {
                "200": ok(ref("Checkpoints"), rate_limited=False),
                "400": error("A bad parameter."),
                **ledger_std,
            },
            [
                query("cursor", {"type": "integer", "minimum": 0, "maximum": seq_max}, "Opaque."),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "Per page."),
            ],
            "ledger",
        ),
        "/api/v1/ledger/proof/inclusion": get(
            "RFC 9162 inclusion proof of entry seq in the tree of size size.",
            {
                "200": ok(ref("InclusionProof"), rate_limited=False),
                "400": error("Missing or impossible seq/size."),
                **ledger_std,
            },
            [
                query("seq", {"type": "integer", "minimum": 1, "maximum": seq_max}, "Entry.", True),
                query("size", {"type": "integer", "minimum": 1, "maximum": seq_max}, "Tree size."),
            ],
            "ledger",
        ),
        "/api/v1/ledger/proof/consistency": get(
            "RFC 9162 consistency proof from tree size from to tree size to.",
            {
                "200": ok(ref("ConsistencyProof"), rate_limited=False),
                "400": error("Missing or impossible sizes."),
                **ledger_std,
            },
            [
                query("from", {"type": "integer", "minimum": 0, "maximum": seq_max}, "Old.", True),
                query("to", {"type": "integer", "minimum": 0, "maximum": seq_max}, "New."),
            ],
            "ledger",
        ),
        "/api/v1/lookup/admission": lookup(
            "One's own admission result by exact exam number and name (rate-limited; never "
            "listed).",
            ("AdmissionFound", "Found."),
            "A parameter is missing.",
            "No matching result on notice (whatever did not match).",
            [
                query("exam_number", {"type": "string"}, "考生号.", True),
                query("name", {"type": "string"}, "姓名.", True),
            ],
        ),
        "/api/v1/lookup/candidate": lookup(
            "Whether a name (and school) is on a candidate list now on notice: the rows with "
            "exactly that name, at most 50 (rate-limited, exact match only).",
            ("CandidateFound", "Found on at least one list on notice."),
            "The name is missing.",
            "Not on any list now on notice.",
            [
                query("name", {"type": "string"}, "姓名.", True),
                query("school", {"type": "string"}, "所在中学 (optional, exact)."),
            ],
        ),
    }


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.WAGTAIL_SITE_NAME} open data",
            "version": "1",
            "description": "Read-only. JSON in UTF-8; CORS open; ETag and Last-Modified on "
            "every response; 429 with Retry-After past the rate limit. Guide: docs/api.md.",
        },
        "paths": paths(),
        "components": {"schemas": SCHEMAS},
    }


@cache
def _validator() -> tuple[str, datetime]:
    digest = hashlib.sha256(json_bytes(document())).hexdigest()
    return digest, datetime(2026, 1, 1, tzinfo=UTC)


@open_data_view(validator=lambda request, now: _validator())
def openapi_json(request, *, now):
    response = json_response(document())
    return response
