"""Signed checkpoints: the ledger's size and Merkle root at a time, under Ed25519.

The signed message is UTF-8 text, four lines, each ending in ``\\n``::

    sunshine-ledger-checkpoint/v1
    <size in decimal>
    <root, 64 lower-case hex>
    <time, RFC 3339 UTC ending in Z>

The signature is Ed25519 (RFC 8032) over those bytes, published as standard
base64 (with padding). Keys travel as standard base64 of their 32 raw bytes;
the signing key may also be PEM (PKCS#8). ``key_id`` is the first 16 hex
characters of SHA-256 of the raw public key; it names the key, it is not signed.
"""

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from publications.ledger.canonical import is_utc_timestamp

MESSAGE_HEADER = "sunshine-ledger-checkpoint/v1"

_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")


class SigningKeyError(Exception):
    """The ledger signing key cannot be used. Messages never echo key material."""

    message_en = ""
    message_zh = ""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        suffix = f" ({detail})" if detail else ""
        super().__init__(f"{self.message_zh} / {self.message_en}{suffix}")


class MissingSigningKey(SigningKeyError):
    message_zh = "未配置台账签名密钥"
    message_en = "The ledger signing key is not configured"


class BadSigningKey(SigningKeyError):
    message_zh = "台账签名密钥无法读取：应为 Ed25519 私钥（PEM，或 32 字节种子的 base64）"
    message_en = (
        "The ledger signing key cannot be read: expected an Ed25519 private key "
        "(PEM, or base64 of the 32-byte seed)"
    )


class BadPublicKey(SigningKeyError):
    message_zh = "台账公钥无法读取：应为 32 字节 Ed25519 公钥的 base64（或 PEM）"
    message_en = (
        "The ledger public key cannot be read: expected base64 of a 32-byte "
        "Ed25519 public key (or PEM)"
    )


@dataclass(frozen=True)
class Checkpoint:
    size: int
    root_hex: str
    time: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        return checkpoint_message(self.size, self.root_hex, self.time)


def checkpoint_message(size: int, root_hex: str, time: str) -> bytes:
    """The exact bytes a checkpoint signs. Raises ValueError on a malformed part."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"size must be a non-negative integer, not {size!r}")
    if not isinstance(root_hex, str) or _HEX_SHA256.fullmatch(root_hex) is None:
        raise ValueError("root_hex must be 64 lower-case hex characters")
    if not is_utc_timestamp(time):
        raise ValueError(f"time must be an RFC 3339 UTC time ending in Z, not {time!r}")
    return f"{MESSAGE_HEADER}\n{size}\n{root_hex}\n{time}\n".encode()


def generate_private_key_text() -> str:
    """A new signing key as base64 of its 32-byte seed, for the environment."""
    return _b64(Ed25519PrivateKey.generate().private_bytes_raw())


def load_private_key(text: str | None) -> Ed25519PrivateKey:
    """Read a signing key from PEM (PKCS#8, unencrypted) or base64 of the raw seed.

    A PEM whose line breaks arrived as literal ``\\n`` (as environment
    variables often carry them) is accepted too.
    """
    if text is None or not text.strip():
        raise MissingSigningKey()
    text = text.strip()
    if text.startswith("-----BEGIN"):
        return _load_private_pem(text.replace("\\n", "\n"))
    try:
        seed = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadSigningKey("neither PEM nor base64") from None
    if len(seed) != 32:
        raise BadSigningKey(f"base64 decodes to {len(seed)} bytes, not 32")
    return Ed25519PrivateKey.from_private_bytes(seed)


def load_public_key(text: str) -> Ed25519PublicKey:
    """Read a public key from base64 of its 32 raw bytes, or from PEM."""
    if not isinstance(text, str) or not text.strip():
        raise BadPublicKey("empty")
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise BadPublicKey("unreadable PEM") from None
        if not isinstance(key, Ed25519PublicKey):
            raise BadPublicKey("PEM holds a key that is not Ed25519")
        return key
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadPublicKey("neither PEM nor base64") from None
    if len(raw) != 32:
        raise BadPublicKey(f"base64 decodes to {len(raw)} bytes, not 32")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as standard base64 of its 32 raw bytes."""
    return _b64(_public(key).public_bytes_raw())


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public key as PEM (SubjectPublicKeyInfo)."""
    return (
        _public(key)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey | str) -> str:
    """First 16 hex characters of SHA-256 of the raw 32-byte public key."""
    public = load_public_key(key) if isinstance(key, str) else _public(key)
    return hashlib.sha256(public.public_bytes_raw()).hexdigest()[:16]


def sign_checkpoint(private: Ed25519PrivateKey, size: int, root_hex: str, time: str) -> Checkpoint:
    """Sign (size, root_hex, time); ``time`` is passed in, never read from a clock."""
    signature = private.sign(checkpoint_message(size, root_hex, time))
    return Checkpoint(size, root_hex, time, key_id(private), _b64(signature))


def verify_checkpoint(public_key_b64: str, checkpoint: Checkpoint) -> bool:
    """True only if ``checkpoint`` was signed, as it stands, by this public key.

    Raises BadPublicKey if the key text is unreadable: that means "cannot
    check", not "forged". Any malformed checkpoint part gives False.
    """
    public = load_public_key(public_key_b64)
    if checkpoint.key_id != key_id(public):
        return False
    try:
        message = checkpoint.message()
        signature = base64.b64decode(checkpoint.signature, validate=True)
        if _b64(signature) != checkpoint.signature:
            return False  # one signature, one spelling
        public.verify(signature, message)
    except (ValueError, TypeError, binascii.Error, InvalidSignature):
        return False
    return True


def _load_private_pem(text: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise BadSigningKey("unreadable or encrypted PEM") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadSigningKey("PEM holds a key that is not Ed25519")
    return key


def _public(key: Ed25519PrivateKey | Ed25519PublicKey) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
