"""Fixtures of the search suite: a pinned clock, disclosures with rows, and both engines.

The contract suite runs every test against each engine:
- `database`: the embedded engine (SQLite FTS5, or PostgreSQL when DATABASE_URL says so);
- `osmem`: the Elasticsearch engine against a real `osmem-server` process (an in-memory
  OpenSearch-compatible server from PyPI), started once per session on a free loopback port,
  with the compatible-with media type switched off as for any OpenSearch cluster;
- `elasticsearch`: the Elasticsearch engine against ELASTICSEARCH_URL, only when it is set.
"""

import itertools
import os
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Page

from disclosure.models import (
    AdmissionResult,
    AdmissionResultsPage,
    CandidateEntry,
    CandidateListPage,
    Dataset,
    DisclosureIndexPage,
    Issuer,
    PolicyPage,
)
from publications import roles
from publications.workflow.guard import withdrawal
from search import indexing
from search.engines.database import DatabaseEngine
from search.identifiers import exam_number_hmac
from tests.factories import publish_through_workflow, workflow_person

BEIJING = ZoneInfo("Asia/Shanghai")
# The pinned clock: every window below is placed around it.
NOW = datetime(2025, 6, 10, 12, 0, tzinfo=BEIJING)
OPENS = datetime(2025, 6, 1, 9, 0, tzinfo=BEIJING)
CLOSES = datetime(2025, 6, 20, 0, 0, tzinfo=BEIJING)  # 10 working days after OPENS

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def osmem():
    from osmem_server import OsmemServer

    server = OsmemServer.start(freeze=False, japanese=False, addr="127.0.0.1:0")
    yield server
    server.close()


ENGINE_NAMES = ["database", "osmem", "elasticsearch"]


@pytest.fixture(params=ENGINE_NAMES)
def engine(request, db):
    if request.param == "database":
        yield DatabaseEngine()
        return
    from search.engines.elastic import ElasticEngine

    if request.param == "osmem":
        url = request.getfixturevalue("osmem").url
        options = {"compatibility_header": False}
    else:
        url = os.environ.get("ELASTICSEARCH_URL", "")
        if not url:
            pytest.skip("ELASTICSEARCH_URL is not set: no real Elasticsearch to test against")
        options = {}
    engine = ElasticEngine(
        url, index=f"test-{uuid.uuid4().hex[:10]}", refresh=True, analyzer="cjk", **options
    )
    yield engine
    engine.destroy()


@pytest.fixture
def section(db):
    home = Page.objects.get(depth=2)
    index = DisclosureIndexPage(title="信息公开", slug=f"gongshi-{next(_counter)}")
    home.add_child(instance=index)
    return index


def make_issuer(level="province", name=None) -> Issuer:
    return Issuer.objects.create(name=name or f"{level}机构{next(_counter)}", level=level)


def make_dataset(kind: str, rows: int) -> Dataset:
    return Dataset.objects.create(
        kind=kind,
        source_filename=f"{kind}.csv",
        source_size=1,
        source_sha256="0" * 64,
        source_format="csv",
        row_count=rows,
        content_sha256=uuid.uuid4().hex * 2,
        public_sha256="0" * 64,
    )


def candidate_dataset(rows) -> Dataset:
    """rows: (name, school, category) tuples."""
    dataset = make_dataset("candidate_list", len(rows))
    CandidateEntry.objects.bulk_create(
        CandidateEntry(
            dataset=dataset,
            position=i,
            source_row=i + 1,
            name=name,
            gender="男",
            school=school,
            category=category,
        )
        for i, (name, school, category) in enumerate(rows, start=1)
    )
    return dataset


def admission_dataset(rows) -> Dataset:
    """rows: (exam_number, name, institution) tuples."""
    dataset = make_dataset("admission_results", len(rows))
    AdmissionResult.objects.bulk_create(
        AdmissionResult(
            dataset=dataset,
            position=i,
            source_row=i + 1,
            exam_number_masked=exam_number[:4] + "********" + exam_number[-2:],
            exam_number_hmac=exam_number_hmac(exam_number),
            name=name,
            batch="本科一批",
            track="物理类",
            institution_code="10001",
            institution=institution,
            major="计算机科学与技术",
        )
        for i, (exam_number, name, institution) in enumerate(rows, start=1)
    )
    return dataset


def publish(section, cls=PolicyPage, *, title, issuer=None, opens=OPENS, closes=CLOSES, **fields):
    fields.setdefault("admission_year", 2025)
    page = cls(
        title=title,
        slug=f"p{next(_counter)}",
        issuer=issuer or make_issuer(),
        window_opens_at=opens,
        window_closes_at=closes,
        live=False,
        **fields,
    )
    section.add_child(instance=page)
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    publish_through_workflow(page, author)
    page.refresh_from_db()
    return page


def republish(page):
    """Publish the page's current state again: a correction, through the workflow."""
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    publish_through_workflow(page, author)
    page.refresh_from_db()


def take_down(page):
    """Unpublish as the withdrawal process does (nothing else may)."""
    with withdrawal():
        page.unpublish()


@pytest.fixture
def publish_page(section):
    def _publish(cls=PolicyPage, **kwargs):
        return publish(section, cls, **kwargs)

    return _publish


@pytest.fixture
def index(engine):
    """index(*pages, now=NOW): index pages as they stand at `now` into the engine under test."""

    def _index(*pages, now=NOW):
        for page in pages:
            indexing.index_page(page.pk, now, engine)

    return _index


__all__ = [
    "CLOSES",
    "NOW",
    "OPENS",
    "AdmissionResultsPage",
    "CandidateListPage",
    "admission_dataset",
    "candidate_dataset",
    "make_issuer",
]
