"""Concurrent appends on PostgreSQL get consecutive seqs and one unbroken chain."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from publications.ledger.chain import verify_chain
from publications.ledger.models import LedgerEntry
from publications.ledger.record import append_entry
from tests.publications.ledger_db.conftest import AT

# serialized_rollback: the flush afterwards must leave the site in place for later tests.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WRITERS, EACH = 4, 10


def test_concurrent_appends_on_postgresql_get_consecutive_seqs_and_one_chain(ledger_cleanup):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"row locking is PostgreSQL's; SQLite serialises writers (on {connection.vendor})"
        )
    barrier, errors = threading.Barrier(WRITERS), []

    def writer(number):
        try:
            barrier.wait()
            for n in range(EACH):
                with transaction.atomic():
                    append_entry(
                        "workflow_decision",
                        detail={"writer": number},
                        at=AT + timedelta(seconds=n),
                    )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(LedgerEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    result = verify_chain(e.hashed_fields() for e in LedgerEntry.objects.order_by("seq"))
    assert result.ok, result.reason
