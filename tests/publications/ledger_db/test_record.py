"""Every publication, correction and withdrawal appends one chained entry, in its transaction."""

from datetime import timedelta

import pytest
from django.db import transaction
from wagtail.signals import page_published

from publications.ledger.chain import GENESIS_PREV_HASH, verify_chain
from publications.ledger.checkpoint import MissingSigningKey, verify_checkpoint
from publications.ledger.content import content_sha256, public_content
from publications.ledger.merkle import root
from publications.ledger.models import AppendOnlyError, Checkpoint, LedgerEntry
from publications.ledger.record import append_entry, ledger_context, public_key_text
from tests.publications.ledger_db.conftest import AT, publish, take_down

pytestmark = pytest.mark.django_db


def chain_of_all():
    return verify_chain(e.hashed_fields() for e in LedgerEntry.objects.order_by("seq"))


def test_appended_entries_get_consecutive_seqs_and_form_a_verifying_chain():
    for minute in range(3):
        append_entry(
            "workflow_decision", detail={"decision": "approve"}, at=AT + timedelta(minutes=minute)
        )
    entries = list(LedgerEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_PREV_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    result = chain_of_all()
    assert result.ok and result.head_hash == entries[-1].entry_hash


def test_an_unknown_event_or_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="unknown ledger event"):
        append_entry("edited_quietly", at=AT)
    with pytest.raises(ValueError, match="timezone-aware"):
        append_entry("published", at=AT.replace(tzinfo=None))
    assert not LedgerEntry.objects.exists()


def test_publishing_a_disclosure_records_published_with_the_hash_of_its_public_content(make_list):
    page = make_list()
    revision = publish(page)
    entry = LedgerEntry.objects.get()
    assert (entry.event, entry.disclosure_id, entry.version) == ("published", page.pk, 1)
    assert entry.content_sha256 == content_sha256(public_content(revision.as_object()))
    assert entry.detail["revision_id"] == revision.pk
    assert entry.detail["title"] == page.title


def test_publishing_again_records_a_correction_with_the_next_version(make_list):
    page = make_list()
    publish(page)
    page.summary = "更正：第2行加分分值有误"
    page.change_note = "第2行加分分值由10分更正为5分"
    publish(page)
    first, second = LedgerEntry.objects.order_by("seq")
    assert (second.event, second.version) == ("corrected", 2)
    assert second.content_sha256 != first.content_sha256
    assert second.detail["change_note"] == "第2行加分分值由10分更正为5分"


def test_unpublishing_records_a_withdrawal_of_the_current_version(make_list):
    page = make_list()
    publish(page)
    take_down(page)
    entry = LedgerEntry.objects.order_by("seq").last()
    assert (entry.event, entry.disclosure_id, entry.version) == ("withdrawn", page.pk, 1)
    assert entry.content_sha256 == ""


def test_a_take_down_announced_by_ledger_context_is_recorded_as_such(make_list):
    page = make_list()
    publish(page)
    with ledger_context(event="retention_taken_down", reason="保留期满"):
        take_down(page)
    entry = LedgerEntry.objects.order_by("seq").last()
    assert entry.event == "retention_taken_down"
    assert entry.detail["reason"] == "保留期满"


def test_publishing_a_page_that_is_not_a_disclosure_records_nothing(index_page):
    index_page.save_revision().publish()
    assert not LedgerEntry.objects.exists()


def test_a_publication_rolled_back_by_a_later_receiver_leaves_no_entry(make_list):
    page = make_list()

    def fails_after_the_ledger(sender, **kwargs):
        raise RuntimeError("a later step of the publication failed")

    page_published.connect(fails_after_the_ledger)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(page)
    finally:
        page_published.disconnect(fails_after_the_ledger)
    page.refresh_from_db()
    assert page.live is False
    assert not LedgerEntry.objects.exists()
    assert not Checkpoint.objects.exists()


def test_the_ledger_receiver_runs_inside_the_publishing_transaction(make_list):
    page = make_list()
    seen = []

    def look(sender, **kwargs):
        seen.append(LedgerEntry.objects.filter(disclosure_id=page.pk).count())

    page_published.connect(look)
    try:
        with transaction.atomic():
            publish(page)
            assert seen == [1]  # written already, and not yet committed
    finally:
        page_published.disconnect(look)


def test_without_a_signing_key_publishing_is_refused_with_a_clear_error(make_list, settings):
    settings.LEDGER_SIGNING_KEY = ""
    page = make_list()
    with pytest.raises(MissingSigningKey, match="LEDGER_SIGNING_KEY"), transaction.atomic():
        publish(page)
    page.refresh_from_db()
    assert page.live is False
    assert not LedgerEntry.objects.exists()


def test_every_publication_signs_a_checkpoint_over_the_whole_ledger(make_list, settings):
    append_entry("workflow_decision", at=AT)
    publish(make_list())
    publish(make_list(title="第二份名单"))
    checkpoints = list(Checkpoint.objects.order_by("id"))
    assert [c.size for c in checkpoints] == [2, 3]
    hashes = [bytes.fromhex(h) for h in LedgerEntry.objects.values_list("entry_hash", flat=True)]
    for checkpoint in checkpoints:
        assert checkpoint.root == root(hashes[: checkpoint.size]).hex()
        assert verify_checkpoint(public_key_text(), checkpoint.as_signed())


def test_stored_entries_and_checkpoints_cannot_be_changed_or_deleted_through_the_orm():
    entry = append_entry("withdrawn", at=AT)
    entry.event = "published"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    checkpoint = Checkpoint.objects.get()
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()
