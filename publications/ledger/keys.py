"""The keys a ledger verification checks checkpoints against."""

from publications.ledger.record import public_key_text


def verification_keys() -> str:
    return public_key_text()
