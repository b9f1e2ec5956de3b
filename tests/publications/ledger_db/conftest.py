"""Disclosures, datasets and publications for the ledger's database tests."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from wagtail.models import Site

from disclosure.models import (
    CandidateEntry,
    CandidateListPage,
    Dataset,
    DisclosureIndexPage,
    Issuer,
    IssuerLevel,
)
from publications import roles
from publications.ledger import triggers
from publications.workflow.guard import withdrawal
from tests.factories import open_window, publish_through_workflow, workflow_person

AT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

CANDIDATES = [
    # serial, name, gender, exam number mask, ID mask, school, category, bonus points
    (
        "1",
        "张三",
        "男",
        "2641********01",
        "410303********0011",
        "洛阳市第四高级中学",
        "少数民族",
        "5",
    ),
    ("2", "李四", "女", "2641********02", "", "洛阳市第四高级中学", "烈士子女", "10"),
    ("3", "王五", "男", "", "", "洛阳一高", "=归侨子女", "-5"),
]


def rows_sha256(rows) -> str:
    """The import pipeline's definition, written out independently of the code under test."""
    lines = "".join(
        json.dumps(list(row), ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows
    )
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def public_row(candidate) -> list[str]:
    serial, name, gender, exam, ident, school, category, bonus = candidate
    return [serial, name, gender, exam, ident, school, category, "", "", "", "", "", "", bonus, ""]


def hmac_of(identifier: str) -> str:
    """A stand-in for the identifier HMAC: the rows store only masks and such hex digests."""
    return hashlib.sha256(identifier.encode()).hexdigest() if identifier else ""


def content_row(candidate) -> list[str]:
    row = public_row(candidate)
    row[3], row[4] = hmac_of(candidate[3]), hmac_of(candidate[4])
    return row


def make_candidate_dataset(candidates=CANDIDATES) -> Dataset:
    rows = [public_row(c) for c in candidates]
    dataset = Dataset.objects.create(
        kind="candidate_list",
        source_filename="名单.csv",
        source_size=100,
        source_sha256="0" * 64,
        source_format="csv",
        row_count=len(rows),
        content_sha256=rows_sha256([content_row(c) for c in candidates]),
        public_sha256=rows_sha256(rows),
    )
    CandidateEntry.objects.bulk_create(
        CandidateEntry(
            dataset=dataset,
            position=position,
            source_row=position + 1,
            serial=serial,
            name=name,
            gender=gender,
            exam_number_masked=exam,
            exam_number_hmac=hmac_of(exam),
            id_number_masked=ident,
            id_number_hmac=hmac_of(ident),
            school=school,
            category=category,
            bonus_points=bonus,
        )
        for position, (serial, name, gender, exam, ident, school, category, bonus) in enumerate(
            candidates, start=1
        )
    )
    return dataset


@pytest.fixture
def issuer(db):
    return Issuer.objects.create(name="洛阳市西工区招生办公室", level=IssuerLevel.COUNTY)


@pytest.fixture
def index_page(db):
    home = Site.objects.get(is_default_site=True).root_page
    index = DisclosureIndexPage(title="公示", slug="gongshi")
    home.add_child(instance=index)
    return index


@pytest.fixture
def make_list(index_page, issuer):
    """An unpublished candidate list with a fresh dataset."""

    def make(title="2026年加分照顾考生名单", dataset=None, **fields):
        page = CandidateListPage(
            title=title,
            issuer=issuer,
            admission_year=2026,
            list_type="bonus",
            dataset=dataset or make_candidate_dataset(),
            summary="拟享受加分照顾考生名单",
            live=False,
            **{**open_window(), **fields},
        )
        index_page.add_child(instance=page)
        return page

    return make


def publish(page):
    """Publish the page's latest content as a new revision, through the review workflow
    (the only road to the public); returns the revision."""
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    publish_through_workflow(page, author)
    page.refresh_from_db()
    return page.live_revision


def take_down(page):
    """Unpublish as the withdrawal process does (nothing else may)."""
    with withdrawal():
        page.unpublish()


@pytest.fixture
def attacker_drops_triggers(db):
    """Drop the append-only triggers, as someone with database rights would."""
    triggers.drop_all(connection)
    yield
    triggers.create_all(connection)


@pytest.fixture
def ledger_cleanup(transactional_db):
    """Kept for readability at call sites: the root conftest empties the ledger after every
    transactional test (see tests/conftest.py)."""
    return
