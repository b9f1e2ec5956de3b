import base64
import dataclasses
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from publications.ledger.checkpoint import (
    BadPublicKey,
    BadSigningKey,
    Checkpoint,
    MissingSigningKey,
    checkpoint_message,
    generate_private_key_text,
    key_id,
    load_private_key,
    public_key_pem,
    public_key_text,
    sign_checkpoint,
    verify_checkpoint,
)

# RFC 8032 section 7.1, test 1
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")

ROOT = hashlib.sha256(b"tree").hexdigest()
TIME = "2026-06-01T08:00:00.000000Z"


def b64(raw):
    return base64.b64encode(raw).decode()


def pem_of(private, password=None):
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


@pytest.fixture
def private():
    return load_private_key(b64(RFC8032_SEED))


@pytest.fixture
def public_b64():
    return b64(RFC8032_PUBLIC)


@pytest.fixture
def checkpoint(private):
    return sign_checkpoint(private, 1234, ROOT, TIME)


# Keys


def test_a_base64_seed_gives_the_rfc_8032_public_key(private):
    assert public_key_text(private) == b64(RFC8032_PUBLIC)


def test_a_pem_key_and_its_base64_seed_load_as_the_same_key(private):
    from_pem = load_private_key(pem_of(private))
    assert from_pem.private_bytes_raw() == RFC8032_SEED


def test_a_pem_key_with_escaped_line_breaks_from_the_environment_loads(private):
    escaped = pem_of(private).strip().replace("\n", "\\n")
    assert load_private_key(escaped).private_bytes_raw() == RFC8032_SEED


def test_surrounding_whitespace_and_line_breaks_in_base64_are_ignored():
    text = b64(RFC8032_SEED)
    assert load_private_key(f"  {text[:20]}\n{text[20:]}\n").private_bytes_raw() == RFC8032_SEED


def test_a_generated_key_loads_back():
    text = generate_private_key_text()
    assert len(base64.b64decode(text)) == 32
    assert b64(load_private_key(text).private_bytes_raw()) == text


@pytest.mark.parametrize("text", [None, "", "   \n"])
def test_no_key_text_raises_missing_signing_key(text):
    with pytest.raises(MissingSigningKey):
        load_private_key(text)


def test_missing_signing_key_says_so_in_chinese_and_english():
    with pytest.raises(MissingSigningKey) as raised:
        load_private_key("")
    assert "未配置台账签名密钥" in str(raised.value)
    assert "not configured" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    [
        "not a key",
        b64(RFC8032_SEED[:31]),
        b64(RFC8032_SEED + RFC8032_SEED),
        RFC8032_SEED.hex(),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ],
)
def test_unreadable_key_text_raises_bad_signing_key(text):
    with pytest.raises(BadSigningKey):
        load_private_key(text)


def test_a_pem_key_of_another_algorithm_raises_bad_signing_key():
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(BadSigningKey, match="not Ed25519"):
        load_private_key(pem_of(other))


def test_an_encrypted_pem_key_raises_bad_signing_key(private):
    with pytest.raises(BadSigningKey):
        load_private_key(pem_of(private, password=b"secret"))


def test_bad_signing_key_messages_never_echo_the_key_text():
    secret = b64(b"\x42" * 31)
    with pytest.raises(BadSigningKey) as raised:
        load_private_key(secret)
    message = str(raised.value)
    assert secret not in message
    assert "台账签名密钥无法读取" in message and "cannot be read" in message


def test_the_public_key_is_published_as_base64_and_pem(private):
    pem = public_key_pem(private)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    loaded = serialization.load_pem_public_key(pem.encode())
    assert loaded.public_bytes_raw() == RFC8032_PUBLIC
    assert public_key_text(private.public_key()) == b64(RFC8032_PUBLIC)


def test_key_id_is_the_first_16_hex_of_sha256_of_the_raw_public_key(private, public_b64):
    expected = hashlib.sha256(RFC8032_PUBLIC).hexdigest()[:16]
    assert key_id(private) == key_id(private.public_key()) == key_id(public_b64) == expected


# The signed message


def test_the_signed_message_is_four_fixed_lines_of_utf8():
    assert checkpoint_message(1234, ROOT, TIME) == (
        f"sunshine-ledger-checkpoint/v1\n1234\n{ROOT}\n{TIME}\n".encode()
    )


@pytest.mark.parametrize(
    ("size", "root_hex", "time"),
    [
        (-1, ROOT, TIME),
        (True, ROOT, TIME),
        ("12", ROOT, TIME),
        (12, ROOT.upper(), TIME),
        (12, ROOT[:-1], TIME),
        (12, ROOT, "2026-06-01T16:00:00+08:00"),
        (12, ROOT, f"{TIME}\n0"),
    ],
)
def test_a_malformed_checkpoint_is_refused_before_signing(private, size, root_hex, time):
    with pytest.raises(ValueError):
        sign_checkpoint(private, size, root_hex, time)


# Signing and verifying


def test_a_checkpoint_records_what_was_signed_and_by_which_key(checkpoint, private):
    assert (checkpoint.size, checkpoint.root_hex, checkpoint.time) == (1234, ROOT, TIME)
    assert checkpoint.key_id == key_id(private)
    assert len(base64.b64decode(checkpoint.signature, validate=True)) == 64


def test_a_signed_checkpoint_verifies_with_the_public_key(checkpoint, public_b64, private):
    assert verify_checkpoint(public_b64, checkpoint)
    assert verify_checkpoint(public_key_pem(private), checkpoint)


def test_a_journalist_can_verify_with_the_message_bytes_alone(checkpoint, public_b64):
    message = f"sunshine-ledger-checkpoint/v1\n1234\n{ROOT}\n{TIME}\n".encode()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
    public.verify(base64.b64decode(checkpoint.signature), message)  # raises if forged


def test_a_checkpoint_signed_by_another_key_fails(public_b64):
    impostor = Ed25519PrivateKey.generate()
    forged = sign_checkpoint(impostor, 1234, ROOT, TIME)
    assert not verify_checkpoint(public_b64, forged)
    assert not verify_checkpoint(public_b64, dataclasses.replace(forged, key_id=key_id(public_b64)))


@pytest.mark.parametrize(
    "change",
    [
        {"size": 1235},
        {"size": 0},
        {"root_hex": hashlib.sha256(b"other tree").hexdigest()},
        {"time": "2026-06-01T08:00:00.000001Z"},
        {"time": "2026-06-01T08:00:00Z"},
        {"key_id": "0" * 16},
    ],
)
def test_a_checkpoint_with_a_changed_part_fails(checkpoint, public_b64, change):
    assert not verify_checkpoint(public_b64, dataclasses.replace(checkpoint, **change))


def test_a_checkpoint_with_a_changed_signature_fails(checkpoint, public_b64):
    raw = base64.b64decode(checkpoint.signature)
    for position in (0, 31, 32, 63):
        tampered = raw[:position] + bytes([raw[position] ^ 1]) + raw[position + 1 :]
        assert not verify_checkpoint(
            public_b64, dataclasses.replace(checkpoint, signature=b64(tampered))
        )


@pytest.mark.parametrize("signature", ["", "not base64!", b64(b"\x00" * 64), b64(b"\x00" * 63)])
def test_a_checkpoint_with_a_malformed_signature_fails(checkpoint, public_b64, signature):
    assert not verify_checkpoint(public_b64, dataclasses.replace(checkpoint, signature=signature))


def test_a_checkpoint_with_a_re_spelled_signature_fails(checkpoint, public_b64):
    # 64 bytes take 88 base64 characters ending in "=="; the character before the
    # padding carries 4 unused bits, so flipping one spells the same bytes differently.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = checkpoint.signature[-3]
    respelled = checkpoint.signature[:-3] + alphabet[alphabet.index(last) ^ 1] + "=="
    assert base64.b64decode(respelled) == base64.b64decode(checkpoint.signature)
    assert not verify_checkpoint(public_b64, dataclasses.replace(checkpoint, signature=respelled))
    spaced = checkpoint.signature[:40] + "\n" + checkpoint.signature[40:]
    assert not verify_checkpoint(public_b64, dataclasses.replace(checkpoint, signature=spaced))


def test_a_checkpoint_with_malformed_parts_fails_rather_than_raising(checkpoint, public_b64):
    broken = Checkpoint(
        size=-1, root_hex="xyz", time="soon", key_id=checkpoint.key_id, signature=""
    )
    assert not verify_checkpoint(public_b64, broken)


@pytest.mark.parametrize("text", ["", "not a key", b64(RFC8032_PUBLIC[:31])])
def test_an_unreadable_public_key_raises_rather_than_calling_the_checkpoint_forged(
    checkpoint, text
):
    with pytest.raises(BadPublicKey):
        verify_checkpoint(text, checkpoint)
