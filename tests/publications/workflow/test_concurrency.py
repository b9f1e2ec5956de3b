"""Two committee members approving the same task at the same moment move it exactly once."""

import threading

import pytest
from django.db import connection
from wagtail.log_actions import registry
from wagtail.models import Page, TaskState

from publications.models import ApprovedRevision, QuorumVote

from .conftest import act, login_verified, refresh


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locks: run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME make pytest"
        )


def approve_together(users, page):
    from django.test import Client

    barrier = threading.Barrier(len(users))
    statuses = []

    def approve(user, url):
        try:
            client = login_verified(Client(), user)
            barrier.wait()
            statuses.append(client.post(url, {}).status_code)
        finally:
            connection.close()

    from .conftest import action_url

    url = action_url(page, "approve")
    threads = [threading.Thread(target=approve, args=(u, url)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_committee_approvals_move_the_task_exactly_once(
    on_postgres, client, submitted, people
):
    act(client, people.reviewer1, submitted, "approve")
    statuses = approve_together([people.committee1, people.committee2], submitted)
    assert statuses == [302, 302]
    page = refresh(submitted)
    assert page.live
    assert QuorumVote.objects.count() == 2
    committee_states = TaskState.objects.filter(task__name="集体审定")
    assert committee_states.count() == 1
    assert committee_states.get().status == TaskState.STATUS_APPROVED
    assert ApprovedRevision.objects.count() == 1
    publishes = registry.get_logs_for_instance(Page.objects.get(pk=page.pk)).filter(
        action="wagtail.publish"
    )
    assert publishes.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_simultaneous_approvals_for_a_quorum_of_two_count_two_votes_and_move_once(
    on_postgres, client, submitted, people
):
    act(client, people.reviewer1, submitted, "approve")
    approve_together([people.committee1, people.committee2, people.committee3], submitted)
    assert QuorumVote.objects.count() == 2
    assert TaskState.objects.filter(task__name="集体审定").get().status == "approved"
    assert ApprovedRevision.objects.count() == 1
