"""`manage.py verify_ledger` recomputes everything from the live database, names the first lie."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from wagtail.models import Revision

from publications.ledger import triggers
from publications.ledger.checkpoint import sign_checkpoint
from publications.ledger.models import Checkpoint, LedgerEntry
from publications.ledger.record import append_entry, ledger_context, sign_checkpoint_now
from tests.publications.ledger_db.conftest import AT, publish, take_down

pytestmark = pytest.mark.django_db

OTHER_KEY = "3q3X0m4x6bKp2YbQJmJwG0b2b0S9cUu1rZB4a5Yc0jE="


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_ledger", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args) -> str:
    with pytest.raises(CommandError) as caught:
        verify(*args)
    return str(caught.value)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def history(make_list):
    """seq 1 published, 2 corrected, 3 a workflow decision, 4 a second list published."""
    first = make_list()
    publish(first)
    first.change_note = "第2行加分分值由10分更正为5分"
    publish(first)
    append_entry("workflow_decision", detail={"decision": "approve"}, at=AT)
    second = make_list(title="2026年保送生名单")
    publish(second)
    return first, second


def test_an_untouched_ledger_verifies_and_the_head_hash_is_printed(history):
    out = verify()
    head = LedgerEntry.objects.order_by("-seq").first()
    assert "ledger verified: 4 entries" in out
    assert "3 published versions" in out
    assert out.strip().splitlines()[-1] == head.entry_hash


def test_an_empty_ledger_verifies(db):
    assert verify().strip().splitlines()[-1] == "0" * 64


def test_a_published_dataset_row_changed_with_raw_sql_is_caught_naming_entry_and_dataset(history):
    first, _ = history
    sql(
        "UPDATE disclosure_candidateentry SET bonus_points = %s"
        " WHERE dataset_id = %s AND position = 2",
        ["20", first.dataset_id],
    )
    message = verify_fails()
    assert f"seq 1 (disclosure {first.pk}, version 1)" in message
    assert f"dataset {first.dataset_id}" in message
    assert "rows were changed" in message


def test_a_row_deleted_from_a_published_dataset_is_caught(history):
    first, _ = history
    sql(
        "DELETE FROM disclosure_candidateentry WHERE dataset_id = %s AND position = 3",
        [first.dataset_id],
    )
    assert f"dataset {first.dataset_id}" in verify_fails()


def test_a_dataset_hash_rewritten_to_match_changed_rows_is_still_caught(history):
    first, _ = history
    sql(
        "UPDATE disclosure_candidateentry SET name = '张叁' WHERE dataset_id = %s AND position = 1",
        [first.dataset_id],
    )
    from publications.ledger.datasets import recompute_content_sha256, recompute_public_sha256

    dataset = first.dataset
    public, _ = recompute_public_sha256(dataset)
    content, _ = recompute_content_sha256(dataset)
    sql(
        "UPDATE disclosure_dataset SET public_sha256 = %s, content_sha256 = %s WHERE id = %s",
        [public, content, dataset.pk],
    )
    message = verify_fails()
    assert "seq 1 " in message
    assert "no longer hashes" in message


def test_a_live_page_field_changed_with_raw_sql_is_caught(history):
    _, second = history
    sql(
        "UPDATE disclosure_disclosurepage SET summary = '已悄悄改动' WHERE page_ptr_id = %s",
        [second.pk],
    )
    message = verify_fails()
    assert f"seq 4 (disclosure {second.pk}, version 1)" in message
    assert "live page" in message


def test_a_published_revision_edited_with_raw_sql_is_caught(history):
    revision_id = LedgerEntry.objects.get(seq=1).detail["revision_id"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM wagtailcore_revision WHERE id = %s", [revision_id])
        content = cursor.fetchone()[0]
    content = json.loads(content) if isinstance(content, str) else content  # SQLite: text
    content["summary"] = "已悄悄改动"
    sql(
        "UPDATE wagtailcore_revision SET content = %s WHERE id = %s",
        [json.dumps(content, ensure_ascii=False), revision_id],
    )
    message = verify_fails()
    assert "seq 1 " in message and "no longer hashes" in message


def test_a_purged_revision_is_caught(history):
    entry = LedgerEntry.objects.get(seq=1)
    sql("UPDATE wagtailcore_page SET live_revision_id = NULL, latest_revision_id = NULL")
    # As purge_revisions does: the ORM delete cascades into workflow records.
    Revision.objects.filter(id=entry.detail["revision_id"]).delete()
    message = verify_fails()
    assert "seq 1 " in message and "is missing" in message


def test_an_entry_deleted_by_someone_who_dropped_the_trigger_is_caught(
    history, attacker_drops_triggers
):
    sql("DELETE FROM publications_ledgerentry WHERE seq = 2")
    message = verify_fails("--chain-only")
    assert "seq 2: seq 2 is missing" in message


def test_an_entry_edited_by_someone_who_dropped_the_trigger_is_caught(
    history, attacker_drops_triggers
):
    sql("UPDATE publications_ledgerentry SET event = 'published' WHERE seq = 2")
    assert "seq 2: entry_hash does not match its fields" in verify_fails()


def test_reordered_entries_are_caught(history, attacker_drops_triggers):
    sql("UPDATE publications_ledgerentry SET seq = 100 WHERE seq = 2")
    sql("UPDATE publications_ledgerentry SET seq = 2 WHERE seq = 3")
    sql("UPDATE publications_ledgerentry SET seq = 3 WHERE seq = 100")
    assert "seq 2: prev_hash does not match seq 1" in verify_fails()


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoints(history, attacker_drops_triggers):
    """Re-hashing every entry after an edit keeps the chain whole; the checkpoints give it away."""
    from publications.ledger.chain import next_entry

    entries = list(LedgerEntry.objects.order_by("seq"))
    previous = None
    for entry in entries:
        fields = entry.hashed_fields()
        if entry.seq == 3:
            fields["event"] = "published"
        rewritten = next_entry(
            previous,
            at=fields["at"],
            event=fields["event"],
            disclosure_id=fields["disclosure_id"],
            version=fields["version"],
            content_sha256=fields["content_sha256"],
        )
        sql(
            "UPDATE publications_ledgerentry SET event = %s, prev_hash = %s, entry_hash = %s"
            " WHERE seq = %s",
            [rewritten["event"], rewritten["prev_hash"], rewritten["entry_hash"], entry.seq],
        )
        previous = rewritten
    message = verify_fails("--chain-only")
    assert "checkpoint" in message and "root is not the Merkle root" in message


def test_entries_cut_off_the_end_are_caught_by_a_larger_checkpoint(
    history, attacker_drops_triggers
):
    sql("DELETE FROM publications_ledgerentry WHERE seq = 4")
    message = verify_fails("--chain-only")
    assert "signs a ledger of 4 entries, but only 3 exist" in message


def test_a_forged_checkpoint_is_caught(history):
    from publications.ledger.checkpoint import load_private_key
    from publications.ledger.merkle import root

    hashes = [bytes.fromhex(h) for h in LedgerEntry.objects.values_list("entry_hash", flat=True)]
    genuine = Checkpoint.objects.order_by("-id").first()
    forged = sign_checkpoint(
        load_private_key(OTHER_KEY), 4, root(hashes).hex(), "2026-06-02T00:00:00.000000Z"
    )
    Checkpoint(
        size=4,
        root=forged.root_hex,
        time=genuine.time,
        key_id=genuine.key_id,  # claiming the genuine key
        signature=forged.signature,
        peaks=genuine.peaks,
    ).save()
    message = verify_fails("--chain-only")
    assert "forged or altered" in message


def test_a_checkpoint_signed_by_another_key_fails_against_the_real_public_key(history, settings):
    settings.LEDGER_SIGNING_KEY = OTHER_KEY
    sign_checkpoint_now(AT)
    settings.LEDGER_SIGNING_KEY = "zm/zGvOYA9RNJRVI1k0z9dcK0CmHqdAsXg8esljnBtk="
    assert "forged or altered" in verify_fails()


def test_a_taken_down_list_whose_rows_are_gone_is_counted_not_failed(history):
    first, _ = history
    with ledger_context(event="retention_taken_down", reason="保留期满"):
        take_down(first)
    sql("DELETE FROM disclosure_candidateentry WHERE dataset_id = %s", [first.dataset_id])
    out = verify()
    assert "2 taken down (not recomputed)" in out


def test_without_a_key_the_command_says_what_to_set(history, settings):
    settings.LEDGER_SIGNING_KEY = ""
    assert "LEDGER_SIGNING_KEY" in verify_fails()
    key = "zm/zGvOYA9RNJRVI1k0z9dcK0CmHqdAsXg8esljnBtk="
    from publications.ledger.checkpoint import load_private_key, public_key_text

    assert "ledger verified" in verify("--public-key", public_key_text(load_private_key(key)))


def test_triggers_module_drops_and_restores_cleanly(db):
    triggers.drop_all(connection)
    triggers.create_all(connection)
    append_entry("withdrawn", at=AT)
    with pytest.raises(Exception, match="append-only"):
        sql("DELETE FROM publications_ledgerentry")
