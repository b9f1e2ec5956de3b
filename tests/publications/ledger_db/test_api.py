"""The public ledger: /ledger/ for people, /api/v1/ledger/ for machines, proofs that check out."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command

from publications.ledger.canonical import canonical_json, sha256_hex
from publications.ledger.checkpoint import Checkpoint as SignedCheckpoint
from publications.ledger.checkpoint import verify_checkpoint
from publications.ledger.merkle import verify_consistency, verify_inclusion
from publications.ledger.models import Checkpoint, LedgerEntry
from publications.ledger.record import append_entry, sign_checkpoint_now
from tests.publications.ledger_db.conftest import AT, publish

pytestmark = pytest.mark.django_db

FIELDS = [
    "seq",
    "at",
    "event",
    "disclosure_id",
    "version",
    "content_sha256",
    "prev_hash",
    "entry_hash",
]


def get_json(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response, json.loads(response.content.decode("utf-8"))


@pytest.fixture
def seven(db):
    """Seven entries; checkpoints at sizes 3 and 7 (decisions alone sign none)."""
    for n in range(7):
        event = "published" if n in (2, 6) else "workflow_decision"
        append_entry(event, detail={"title": f"第{n + 1}条"}, at=AT + timedelta(minutes=n))
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [3, 7]


def signed(checkpoint: dict) -> SignedCheckpoint:
    return SignedCheckpoint(
        checkpoint["size"],
        checkpoint["root"],
        checkpoint["time"],
        checkpoint["key_id"],
        checkpoint["signature"],
    )


def test_the_entries_route_gives_the_contract_fields_in_utf8_json_open_to_any_origin(client, seven):
    response, data = get_json(client, "/api/v1/ledger/")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "第1条".encode() in response.content  # not \\u-escaped
    assert [e["seq"] for e in data["entries"]] == list(range(1, 8))
    assert set(FIELDS) <= set(data["entries"][0])
    assert data["entries"][0]["at"] == "2026-06-01T08:00:00.000000Z"
    assert data["head"] == {"seq": 7, "entry_hash": LedgerEntry.objects.get(seq=7).entry_hash}
    assert data["next"] is None


def test_since_gives_only_later_entries_and_the_cursor_walks_every_page(client, seven):
    _, data = get_json(client, "/api/v1/ledger/?since=4")
    assert [e["seq"] for e in data["entries"]] == [5, 6, 7]
    seen, url = [], "/api/v1/ledger/?limit=3"
    while url:
        _, page = get_json(client, url)
        seen += [e["seq"] for e in page["entries"]]
        url = page["next"]
    assert seen == list(range(1, 8))


def test_every_entry_served_rehashes_to_its_entry_hash_with_the_standard_library(client, seven):
    _, data = get_json(client, "/api/v1/ledger/")
    previous = "0" * 64
    for entry in data["entries"]:
        body = {k: entry[k] for k in FIELDS if k != "entry_hash"}
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert sha256_hex(text.encode()) == entry["entry_hash"]
        assert entry["prev_hash"] == previous
        previous = entry["entry_hash"]


def test_an_unchanged_ledger_answers_a_conditional_get_with_304(client, seven):
    response, _ = get_json(client, "/api/v1/ledger/")
    assert response["ETag"] and response["Last-Modified"]
    again = client.get("/api/v1/ledger/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    append_entry("workflow_decision", at=AT + timedelta(hours=1))
    changed = client.get("/api/v1/ledger/", headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ledger/?since=-1",
        "/api/v1/ledger/?limit=0",
        "/api/v1/ledger/?since=abc",
        "/api/v1/ledger/proof/inclusion",
        "/api/v1/ledger/proof/inclusion?seq=8&size=7",
        "/api/v1/ledger/proof/inclusion?seq=5&size=4",
        "/api/v1/ledger/proof/consistency?from=7&to=3",
        "/api/v1/ledger/proof/consistency?from=1&to=99",
    ],
)
def test_bad_parameters_get_a_400_explained_in_both_languages(client, seven, url):
    response, data = get_json(client, url)
    assert response.status_code == 400
    assert data["error"] and data["error_zh"]


def test_writing_to_the_ledger_api_is_not_allowed(client, seven):
    assert client.post("/api/v1/ledger/").status_code == 405


def test_the_public_key_verifies_every_served_checkpoint(client, seven):
    _, key = get_json(client, "/api/v1/ledger/public-key")
    assert key["algorithm"] == "Ed25519" and key["public_key_pem"].startswith(
        "-----BEGIN PUBLIC KEY"
    )
    _, data = get_json(client, "/api/v1/ledger/checkpoints/")
    assert data["latest"]["size"] == 7
    assert [c["size"] for c in data["checkpoints"]] == [3, 7]
    for checkpoint in data["checkpoints"]:
        assert checkpoint["key_id"] == key["key_id"]
        assert verify_checkpoint(key["public_key"], signed(checkpoint))


def test_a_checkpoint_with_any_part_changed_no_longer_verifies(client, seven):
    _, key = get_json(client, "/api/v1/ledger/public-key")
    _, data = get_json(client, "/api/v1/ledger/checkpoints/")
    latest = data["latest"]
    for changed in (
        {"size": latest["size"] + 1},
        {"root": "0" * 64},
        {"time": "2030-01-01T00:00:00.000000Z"},
    ):
        assert not verify_checkpoint(key["public_key"], signed({**latest, **changed}))


def test_inclusion_proofs_verify_every_entry_against_a_signed_checkpoint(client, seven):
    _, data = get_json(client, "/api/v1/ledger/checkpoints/")
    latest = data["latest"]
    for seq in range(1, 8):
        _, proof = get_json(client, f"/api/v1/ledger/proof/inclusion?seq={seq}")
        assert proof["tree_size"] == 7 and proof["root"] == latest["root"]
        assert proof["checkpoint"] == latest
        path = [bytes.fromhex(h) for h in proof["proof"]]
        leaf = bytes.fromhex(proof["entry_hash"])
        root = bytes.fromhex(latest["root"])
        assert verify_inclusion(leaf, seq - 1, 7, path, root)
        # and must fail for another position, another entry or a changed path
        assert not verify_inclusion(leaf, seq % 7, 7, path, root)
        other = LedgerEntry.objects.get(seq=seq % 7 + 1).entry_hash
        assert not verify_inclusion(bytes.fromhex(other), seq - 1, 7, path, root)
        if path:
            bent = [bytes(32), *path[1:]]
            assert not verify_inclusion(leaf, seq - 1, 7, bent, root)


def test_a_consistency_proof_links_the_two_checkpoints_and_fails_when_tampered(client, seven):
    _, data = get_json(client, "/api/v1/ledger/proof/consistency?from=3&to=7")
    old, new = data["from_checkpoint"], data["to_checkpoint"]
    assert (old["size"], new["size"]) == (3, 7)
    assert (data["from_root"], data["to_root"]) == (old["root"], new["root"])
    proof = [bytes.fromhex(h) for h in data["proof"]]
    old_root, new_root = bytes.fromhex(old["root"]), bytes.fromhex(new["root"])
    assert verify_consistency(3, 7, old_root, new_root, proof)
    assert not verify_consistency(3, 7, new_root, old_root, proof)
    assert not verify_consistency(3, 7, old_root, new_root, proof[:-1])
    assert not verify_consistency(3, 7, old_root, bytes(32), proof)


def test_the_entry_route_serves_the_content_document_that_hashes_to_the_entry(client, make_list):
    page = make_list()
    publish(page)
    _, data = get_json(client, "/api/v1/ledger/entries/1/")
    assert data["entry"]["event"] == "published"
    content = data["content"]
    assert content["disclosure_id"] == page.pk
    assert content["dataset"]["public_sha256"] == page.dataset.public_sha256
    assert sha256_hex(canonical_json(content)) == data["entry"]["content_sha256"]
    missing, _ = get_json(client, "/api/v1/ledger/entries/99/")
    assert missing.status_code == 404


def test_the_disclosure_filter_gives_one_disclosures_history(client, make_list):
    first, second = make_list(), make_list(title="另一份名单")
    publish(first)
    publish(second)
    first.change_note = "更正第2行"
    publish(first)
    _, data = get_json(client, f"/api/v1/ledger/?disclosure={first.pk}")
    assert [(e["event"], e["version"]) for e in data["entries"]] == [
        ("published", 1),
        ("corrected", 2),
    ]


def test_the_ledger_page_is_in_chinese_paginated_and_escapes_what_it_shows(client, db):
    append_entry(
        "withdrawn", detail={"title": "<script>alert(1)</script>", "reason": "<b>理由</b>"}, at=AT
    )
    for n in range(55):
        append_entry("workflow_decision", at=AT + timedelta(minutes=n))
    response = client.get("/ledger/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "公示台账" in html and "最新检查点" in html
    assert "第 1 页，共 2 页" in html
    assert "<script>alert(1)</script>" not in html
    second = client.get("/ledger/?page=2").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in second
    assert "&lt;b&gt;理由&lt;/b&gt;" in second
    assert "撤回" in second


def test_ledger_checkpoint_signs_the_current_tree_for_cron(client, seven):
    out = io.StringIO()
    call_command("ledger_checkpoint", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["size"] == 7
    _, key = get_json(client, "/api/v1/ledger/public-key")
    assert verify_checkpoint(key["public_key"], signed(printed))
    assert Checkpoint.objects.count() == 3


def test_a_checkpoint_resumes_from_the_last_one_and_equals_a_full_recount(seven):
    from publications.ledger.merkle import root

    append_entry("workflow_decision", at=AT + timedelta(hours=2))
    checkpoint = sign_checkpoint_now(AT + timedelta(hours=3))
    hashes = [
        bytes.fromhex(h)
        for h in LedgerEntry.objects.order_by("seq").values_list("entry_hash", flat=True)
    ]
    assert checkpoint.size == 8 and checkpoint.root == root(hashes).hex()
