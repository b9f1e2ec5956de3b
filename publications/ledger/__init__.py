"""The tamper-evident ledger.

The cryptography is pure Python, no ORM, no clock: ``canonical``, ``chain``,
``merkle`` and ``checkpoint`` import nothing from Django, and times arrive as
RFC 3339 UTC strings. The Django side calls into them:

- ``models``: ``LedgerEntry`` and ``Checkpoint`` (append-only; ``triggers``);
- ``content``: the public content document of a disclosure version, and its hash;
- ``datasets``: a dataset's hashes recomputed from its rows; the public CSV;
- ``record``: ``append_entry`` and friends, in the caller's transaction;
- ``receivers``: Wagtail's publish/unpublish signals into ``record``;
- ``verify``: everything ``manage.py verify_ledger`` checks; ``proofs``; ``views``.

- ``canonical``: the exact bytes that get hashed (canonical JSON, SHA-256).
- ``chain``: hashing one ledger entry and verifying the hash chain.
- ``merkle``: RFC 6962 / RFC 9162 Merkle tree hashes and proofs.
- ``checkpoint``: Ed25519-signed checkpoints (tree size, root, time).

docs/adr/0003-ledger-hashing.md fixes the byte formats.
"""
