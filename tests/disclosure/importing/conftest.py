"""The shared sample files and a test HMAC key."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
# shared/ sits beside the clone (in CI too); a git worktree may sit one level deeper.
_CANDIDATES = [REPO.parent / "shared" / "data" / "samples"] + [
    parent / "shared" / "data" / "samples" for parent in REPO.parents[1:]
]
SAMPLES = next((path for path in _CANDIDATES if path.is_dir()), _CANDIDATES[0])

HMAC_KEY = b"test-identifier-hmac-key-0123456789"


@pytest.fixture
def samples() -> Path:
    assert SAMPLES.is_dir(), f"sample files not found at {SAMPLES}"
    return SAMPLES


@pytest.fixture
def hmac_key() -> bytes:
    return HMAC_KEY
