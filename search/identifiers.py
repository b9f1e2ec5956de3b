"""The exam-number HMAC as the lookup computes it: the import pipeline's own definition
(disclosure/importing/identifiers.py), so a typed number hashes exactly as the stored one did.

The hasher, with the key's inner and outer states already computed, is kept per key: a lookup
then costs two SHA-256 state copies instead of deriving the key schedule on every request.
"""

from functools import lru_cache

from django.conf import settings

from disclosure.importing.identifiers import IdentifierHasher, normalise_identifier


@lru_cache(maxsize=4)
def _exam_number_hasher(key: str) -> IdentifierHasher:
    return IdentifierHasher(key.encode(), "exam_number")


def exam_number_hmac(exam_number: str) -> str:
    hasher = _exam_number_hasher(settings.IDENTIFIER_HMAC_KEY)
    return hasher.hexdigest(normalise_identifier(exam_number))
