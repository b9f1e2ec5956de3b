"""The demo content of `make run` shows journalists a new list, a correction and a withdrawal."""

import json

import pytest

from publications.ledger.models import LedgerEntry
from sunshine import demo as demo_module

pytestmark = pytest.mark.django_db


def test_the_demo_feed_has_a_new_list_a_correction_and_a_withdrawal_with_reasons(client, demo):
    demo_module.load_open_data_demo()
    data = json.loads(client.get("/feed.json").content)
    changes = {(i["_sunshine"]["kind"], i["_sunshine"]["change"]) for i in data["items"]}
    assert {
        ("candidate_list", "new"),
        ("candidate_list", "correction"),
        ("candidate_list", "withdrawal"),
    } <= changes
    reasons = {i["_sunshine"]["reason"] for i in data["items"]}
    assert demo_module.OPEN_DATA_CORRECTION_NOTE in reasons
    assert demo_module.OPEN_DATA_WITHDRAWAL_REASON in reasons


def test_loading_the_open_data_demo_twice_changes_nothing(client, demo):
    demo_module.load_open_data_demo()
    entries = LedgerEntry.objects.count()
    demo_module.load_open_data_demo()
    assert LedgerEntry.objects.count() == entries


def test_the_corrected_demo_list_serves_its_second_version(client, demo):
    demo_module.load_open_data_demo()
    lists = json.loads(client.get("/api/v1/disclosures/?kind=candidate_list&status=open").content)
    # The demo has other open lists too (one per window status): take the corrected one.
    [item] = [d for d in lists["disclosures"] if d["title"] == demo_module.OPEN_DATA_LIST[1]]
    assert item["version"] == 2
    rows = json.loads(client.get(f"/api/v1/disclosures/{item['id']}/entries.json").content)
    assert rows["rows"][2][6] == "烈士子女"
