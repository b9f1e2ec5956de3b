"""docs/verify_download.py, the journalist's script, against a live test server."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from publications.ledger import datasets
from publications.ledger.record import public_key_text
from tests.publications.ledger_db.conftest import publish

SCRIPT = Path(__file__).resolve().parents[3] / "docs" / "verify_download.py"
# The live server needs committed data; serialized_rollback brings back the home page and
# site that the flush after each transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OTHER_PUBLIC_KEY = "Wgo68JvnpIGKcJPkecO6x2w0U5XoqXbixVdXLqnipRw="


def run_script(live_server, *args):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--server", live_server.url, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def published(live_server, ledger_cleanup, make_list, tmp_path):
    page = make_list()
    publish(page)
    csv_file = tmp_path / "名单.csv"
    with csv_file.open("w", encoding="utf-8", newline="") as stream:
        datasets.write_public_csv(page.dataset, stream)
    return page, csv_file


def test_the_script_verifies_a_published_list_end_to_end(live_server, published):
    page, csv_file = published
    code, output = run_script(
        live_server, "--disclosure", page.pk, "--csv", csv_file, "--public-key", public_key_text()
    )
    assert code == 0, output
    for step in ("OK 1", "OK 2", "OK 3", "OK 4 CSV of 3 rows", "OK 5"):
        assert step in output
    assert "ALL CHECKS PASSED" in output


def test_the_script_fails_on_a_list_with_one_cell_changed(live_server, published):
    page, csv_file = published
    csv_file.write_text(csv_file.read_text(encoding="utf-8").replace("李四", "李肆"), "utf-8")
    code, output = run_script(live_server, "--disclosure", page.pk, "--csv", csv_file)
    assert code == 1
    assert "FAILED: the CSV (3 rows) hashes to" in output


def test_the_script_fails_when_the_checkpoint_is_not_signed_by_the_pinned_key(
    live_server, published
):
    page, csv_file = published
    code, output = run_script(
        live_server, "--disclosure", page.pk, "--csv", csv_file, "--public-key", OTHER_PUBLIC_KEY
    )
    assert code == 1
    assert "FAILED: checkpoint 1 names key" in output


def test_a_kept_checkpoint_is_proven_a_prefix_of_a_later_one_and_a_forged_one_fails(
    live_server, published, make_list, tmp_path
):
    page, csv_file = published
    kept = tmp_path / "kept.json"
    code, output = run_script(
        live_server, "--disclosure", page.pk, "--csv", csv_file, "--save-checkpoint", kept
    )
    assert code == 0, output
    for title in ("第二份名单", "第三份名单"):
        publish(make_list(title=title))
    code, output = run_script(
        live_server, "--disclosure", page.pk, "--csv", csv_file, "--trusted-checkpoint", kept
    )
    assert code == 0, output
    assert "OK 6 the trusted checkpoint of 1 is a prefix" in output

    forged = json.loads(kept.read_text(encoding="utf-8"))
    forged["root"] = "0" * 64
    kept.write_text(json.dumps(forged), encoding="utf-8")
    code, output = run_script(
        live_server, "--disclosure", page.pk, "--csv", csv_file, "--trusted-checkpoint", kept
    )
    assert code == 1
    assert "signature does not verify" in output
