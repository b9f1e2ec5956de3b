"""The tamper-evident ledger's cryptography: pure Python, no ORM, no clock.

Nothing here imports Django, touches the database or reads the clock: times
arrive as RFC 3339 UTC strings. The app's models and commands call in.

- ``canonical``: the exact bytes that get hashed (canonical JSON, SHA-256).
- ``chain``: hashing one ledger entry and verifying the hash chain.
- ``merkle``: RFC 6962 / RFC 9162 Merkle tree hashes and proofs.
- ``checkpoint``: Ed25519-signed checkpoints (tree size, root, time).

docs/adr/0003-ledger-hashing.md fixes the byte formats.
"""
