"""The CSV download cannot run as a spreadsheet formula, and still hashes to the ledger.

The importer refuses formula cells (a file with `=HYPERLINK(…)` is rejected, and so is a bare
`-`), so such rows are written straight into a dataset here to test the writer itself. Signed
numbers such as a bonus of `+5` or `-5` pass the importer and are stored as they are: they
must reach the CSV neutralised and the JSON unchanged."""

import csv
import io
import json

import pytest

from publications.ledger.datasets import public_sha256_of_csv, write_public_csv
from tests.publications.ledger_db.conftest import make_candidate_dataset
from tests.publications.opendata.conftest import publish_list

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("1", "张三", "男", "", "", '=HYPERLINK("http://evil.example","点我")', "少数民族", "5"),
    ("2", "李四", "女", "", "", "@SUM(1+1)*cmd|' /C calc'!A0", "烈士子女", "+5"),
    ("3", "王五", "男", "", "", "\t=1+1", "\r=1+1", "-"),
    ("4", "赵六", "女", "", "", "'已有引号", "归侨子女", "-5"),
]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_the_public_csv_writer_puts_a_quote_before_every_cell_a_spreadsheet_would_run():
    dataset = make_candidate_dataset(HOSTILE)
    stream = io.StringIO(newline="")
    write_public_csv(dataset, stream)
    rows = csv_rows(stream.getvalue())[1:]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[0][5] == '\'=HYPERLINK("http://evil.example","点我")'
    assert rows[1][13] == "'+5"
    assert rows[2][13] == "'-"
    assert rows[3][5] == "''已有引号"


def test_the_neutralised_csv_still_hashes_to_the_datasets_public_hash():
    dataset = make_candidate_dataset(HOSTILE)
    stream = io.StringIO(newline="")
    write_public_csv(dataset, stream)
    digest, count = public_sha256_of_csv("candidate_list", io.StringIO(stream.getvalue()))
    assert (digest, count) == (dataset.public_sha256, 4)


def test_a_served_list_with_plus_and_minus_values_is_safe_in_csv_and_exact_in_json(client):
    page = publish_list(
        candidates=[
            ("1", "张三", "男", "", "", "一中", "少数民族", "+5"),
            ("2", "李四", "女", "", "", "一中", "烈士子女", "-"),
        ]
    )
    text = client.get(f"/api/v1/disclosures/{page.pk}/entries.csv").content.decode("utf-8")
    rows = csv_rows(text)
    assert rows[1][13] == "'+5"
    assert rows[2][13] == "'-"
    data = json.loads(client.get(f"/api/v1/disclosures/{page.pk}/entries.json").content)
    assert [row[13] for row in data["rows"]] == ["+5", "-"]  # JSON is not a spreadsheet
