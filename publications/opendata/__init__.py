"""Open data for journalists: the JSON Feed, the `/api/v1/` disclosure routes, their OpenAPI
description, and the HTTP plumbing they share (CORS, rate limits, conditional GET).

Everything here is read-only and built from two sources only: the ledger (which versions were
published, corrected, withdrawn, taken down, with their hashes) and the live pages and their
datasets (what the public sees now). Nothing here reads a draft or an unpublished revision:
a version is served only once the ledger has recorded its publication.

Routes (contracts.md, "Open data"): `urls.py`. Shapes: `docs/api.md`. Decisions:
`docs/adr/0009-open-data.md`.
"""
