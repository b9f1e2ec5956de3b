"""`manage.py ledger rotate-key` (issue 18, point 2): a new signing key starts, the old public
key stays published with its validity range, checkpoints made before the rotation still verify
(verify_ledger and docs/verify_download.py), and a checkpoint a retired key signs after its
end is refused by both.

Bad inputs tried: no old key at all; an old key that is not the ledger's; a new key file that
does not exist, or holds no key; the new key equal to the old; a key used before coming back;
a process still holding the retired key trying to publish; a checkpoint forged with the
retired key after its end; a validity range edited in the database afterwards."""

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from publications.ledger.canonical import utc_timestamp
from publications.ledger.checkpoint import (
    generate_private_key_text,
    key_id,
    load_private_key,
    public_key_text,
    sign_checkpoint,
)
from publications.ledger.keys import RetiredSigningKey
from publications.ledger.merkle import MerkleAccumulator
from publications.ledger.models import Checkpoint, LedgerEntry, LedgerKey
from publications.ledger.views import checkpoint_json
from tests.publications.ledger_db.conftest import publish

SCRIPT = Path(__file__).resolve().parents[3] / "docs" / "verify_download.py"
OTHER_KEY = "3q3X0m4x6bKp2YbQJmJwG0b2b0S9cUu1rZB4a5Yc0jE="


def verify() -> str:
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as caught:
        verify()
    return str(caught.value)


def rotate(*args) -> str:
    out = io.StringIO()
    call_command("ledger", "rotate-key", *args, stdout=out)
    return out.getvalue()


def key_file(tmp_path, text=None, name="new.key") -> Path:
    path = tmp_path / name
    path.write_text((text or generate_private_key_text()) + "\n")
    return path


def forge_after_the_end(old_private_text: str, *, later: timedelta) -> Checkpoint:
    """A checkpoint over the whole ledger, signed by the retired key after its end."""
    accumulator = MerkleAccumulator()
    for entry_hash in LedgerEntry.objects.order_by("seq").values_list("entry_hash", flat=True):
        accumulator.append(bytes.fromhex(entry_hash))
    retired = LedgerKey.objects.get(key_id=key_id(load_private_key(old_private_text)))
    at = retired.valid_until + later
    signed = sign_checkpoint(
        load_private_key(old_private_text), accumulator.size, accumulator.root().hex(),
        utc_timestamp(at),
    )  # fmt: skip
    checkpoint = Checkpoint(
        size=signed.size, root=signed.root_hex, time=at, key_id=signed.key_id,
        signature=signed.signature, peaks=[p.hex() for p in accumulator.peaks()],
    )  # fmt: skip
    checkpoint.save()
    return checkpoint


@pytest.fixture
def before(db, make_list):
    """One list published and checkpointed under the old (configured) key."""
    page = make_list()
    publish(page)
    return page


@pytest.mark.django_db
def test_a_rotation_retires_the_old_key_and_starts_the_new_one(before, tmp_path, settings):
    old = settings.LEDGER_SIGNING_KEY
    new_path = key_file(tmp_path)
    new_public = public_key_text(load_private_key(new_path.read_text()))
    out = rotate("--new-key-file", new_path)
    assert "ledger key rotated" in out
    old_row, new_row = LedgerKey.objects.order_by("valid_from", "id")
    assert old_row.public_key == public_key_text(load_private_key(old))
    assert old_row.valid_until == new_row.valid_from and new_row.valid_until is None
    assert new_row.public_key == new_public
    rotation = LedgerEntry.objects.order_by("-seq").first()
    assert rotation.event == "key_rotated" and len(rotation.content_sha256) == 64
    last_two = list(Checkpoint.objects.order_by("-id")[:2])
    assert [c.key_id for c in last_two] == [new_row.key_id, old_row.key_id]
    # everything made before still verifies, under the key of its time
    assert "ledger verified" in verify()


@pytest.mark.django_db
def test_after_the_restart_with_the_new_key_publishing_signs_with_it(
    before, make_list, tmp_path, settings
):
    new_path = key_file(tmp_path)
    rotate("--new-key-file", new_path)
    settings.LEDGER_SIGNING_KEY = new_path.read_text().strip()
    publish(make_list(title="2026年保送生名单"))
    assert Checkpoint.objects.order_by("-id").first().key_id == key_id(
        load_private_key(settings.LEDGER_SIGNING_KEY)
    )
    assert "ledger verified" in verify()


@pytest.mark.django_db
def test_a_process_still_holding_the_retired_key_refuses_to_publish(before, make_list, tmp_path):
    rotate("--new-key-file", key_file(tmp_path))
    entries = LedgerEntry.objects.count()
    page = make_list(title="2026年保送生名单")
    with pytest.raises(RetiredSigningKey):
        publish(page)
    assert LedgerEntry.objects.count() == entries
    with pytest.raises(CommandError, match="retired"):
        call_command("ledger_checkpoint", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_rotation_without_the_old_key_refuses_and_keeps_the_old_one(
    before, make_list, tmp_path, settings
):
    entries, checkpoints = LedgerEntry.objects.count(), Checkpoint.objects.count()
    old = settings.LEDGER_SIGNING_KEY
    settings.LEDGER_SIGNING_KEY = ""
    with pytest.raises(CommandError, match="old key is not available"):
        rotate("--new-key-file", key_file(tmp_path))
    assert not LedgerKey.objects.exists()
    assert (LedgerEntry.objects.count(), Checkpoint.objects.count()) == (entries, checkpoints)
    settings.LEDGER_SIGNING_KEY = old
    publish(make_list(title="2026年保送生名单"))  # the old key goes on signing
    assert "ledger verified" in verify()


@pytest.mark.django_db
def test_a_rotation_with_an_old_key_that_is_not_the_ledgers_refuses(before, tmp_path):
    with pytest.raises(CommandError, match="did not sign"):
        rotate(
            "--new-key-file",
            key_file(tmp_path),
            "--old-key-file",
            key_file(tmp_path, OTHER_KEY, "o"),
        )
    assert not LedgerKey.objects.exists()
    rotate("--new-key-file", key_file(tmp_path, name="n2"))
    current = LedgerKey.objects.get(valid_until=None)
    with pytest.raises(CommandError, match="is not the ledger's current key"):
        rotate(
            "--new-key-file",
            key_file(tmp_path, name="n3"),
            "--old-key-file",
            key_file(tmp_path, OTHER_KEY, "o2"),
        )
    assert LedgerKey.objects.get(valid_until=None) == current


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read the new key file"), ("not a key", "the new key cannot be read")],
)
def test_a_rotation_with_an_unreadable_new_key_refuses(before, tmp_path, content, message):
    path = tmp_path / "missing.key"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        rotate("--new-key-file", path)
    assert not LedgerKey.objects.exists()


@pytest.mark.django_db
def test_the_new_key_may_be_neither_the_old_one_nor_one_used_before(before, tmp_path, settings):
    old = settings.LEDGER_SIGNING_KEY
    with pytest.raises(CommandError, match="the new key is the old key"):
        rotate("--new-key-file", key_file(tmp_path, old))
    second = key_file(tmp_path, name="second")
    rotate("--new-key-file", second)
    settings.LEDGER_SIGNING_KEY = second.read_text().strip()
    with pytest.raises(CommandError, match="a retired key never returns"):
        rotate("--new-key-file", key_file(tmp_path, old, "again"))


@pytest.mark.django_db
def test_a_checkpoint_signed_by_the_retired_key_after_its_end_is_refused(
    before, tmp_path, settings
):
    old = settings.LEDGER_SIGNING_KEY
    rotate("--new-key-file", key_file(tmp_path))
    forged = forge_after_the_end(old, later=timedelta(minutes=5))
    message = verify_fails()
    assert f"checkpoint {forged.pk}" in message
    assert "retired at" in message and "a retired key signs nothing after its end" in message


@pytest.mark.django_db
def test_a_validity_range_edited_afterwards_fails_at_the_rotation_entry(before, tmp_path):
    rotate("--new-key-file", key_file(tmp_path))
    rotation = LedgerEntry.objects.get(event="key_rotated")
    retired = LedgerKey.objects.exclude(valid_until=None).get()
    LedgerKey.objects.filter(pk=retired.pk).update(
        valid_until=retired.valid_until + timedelta(days=30)
    )
    assert f"seq {rotation.seq}" in verify_fails()


@pytest.mark.django_db
def test_the_public_key_listing_keeps_the_old_key_with_its_range(before, tmp_path, client):
    rotate("--new-key-file", key_file(tmp_path))
    listing = json.loads(client.get("/api/v1/ledger/public-key").content)
    old, new = listing["keys"]
    assert old["status"] == "retired" and old["valid_until"] == new["valid_from"]
    assert new["status"] == "active" and new["valid_until"] is None
    assert listing["key_id"] == new["key_id"] and listing["public_key"] == new["public_key"]
    assert old["public_key"] == public_key_text(
        load_private_key(django_settings.LEDGER_SIGNING_KEY)
    )


# The journalist's verifier, against a live server


def run_script(live_server, *args):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--server", live_server.url, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_verifier_checks_old_checkpoints_under_the_old_key_and_refuses_a_late_one(
    live_server, ledger_cleanup, make_list, tmp_path, settings
):
    settings.SUNSHINE_PUBLIC_BASE_URL = live_server.url
    old = settings.LEDGER_SIGNING_KEY
    old_public = public_key_text(load_private_key(old))
    page = make_list()
    publish(page)
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps(checkpoint_json(Checkpoint.objects.order_by("-id").first())))

    new_path = key_file(tmp_path)
    rotate("--new-key-file", new_path)
    settings.LEDGER_SIGNING_KEY = new_path.read_text().strip()
    new_public = public_key_text(load_private_key(settings.LEDGER_SIGNING_KEY))
    publish(make_list(title="2026年保送生名单"))

    # the checkpoint kept from before the rotation verifies, alone and as a prefix of today's
    code, output = run_script(live_server, "--checkpoint-json", kept, "--public-key", old_public)
    assert code == 0, output
    code, output = run_script(
        live_server, "--disclosure", page.pk, "--no-csv", "--public-key", old_public,
        "--public-key", new_public, "--trusted-checkpoint", kept,
    )  # fmt: skip
    assert code == 0, output
    assert f"signed by key {key_id(new_public)}" in output and "OK 6" in output
    # pinned to the old key only, today's checkpoint (new key) is not ours
    code, output = run_script(live_server, "--disclosure", page.pk, "--public-key", old_public)
    assert code == 1 and "names key" in output

    # a checkpoint the retired key signs after its end is refused by the verifier too
    forged = forge_after_the_end(old, later=timedelta(seconds=1))
    late = tmp_path / "late.json"
    late.write_text(json.dumps(checkpoint_json(forged)))
    code, output = run_script(live_server, "--checkpoint-json", late, "--public-key", old_public)
    assert code == 1
    assert "retired at" in output and "refused" in output
    # and by verify_ledger
    assert "a retired key signs nothing after its end" in verify_fails()
