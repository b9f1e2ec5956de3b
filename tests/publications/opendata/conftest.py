"""Published lists, a correction and a withdrawal, for the open-data tests.

Everything is published through the review workflow (tests/factories.py), the only road to
the public, so the ledger holds exactly what a journalist would see."""

import pytest
from django.core.cache import cache

from disclosure.models import CandidateListPage, NoticePage
from publications import roles
from tests.factories import add_disclosure, make_issuer, publish_through_workflow, workflow_person
from tests.publications.ledger_db.conftest import make_candidate_dataset

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
]


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """The suite makes many requests from one address; the rate-limit tests set their own."""
    settings.OPENDATA_RATE = (100_000, 60)
    cache.clear()
    yield
    cache.clear()


def publish_list(title="2026年加分照顾考生名单", candidates=CANDIDATES, **fields):
    fields.setdefault("summary", "拟享受加分照顾考生名单")
    fields.setdefault("list_type", "bonus")
    return add_disclosure(
        CandidateListPage, title=title, dataset=make_candidate_dataset(candidates), **fields
    )


def correct(page, change_note: str, candidates):
    """A correction: a new dataset in a new revision, approved like the first."""
    page = type(page).objects.get(pk=page.pk)
    page.change_note = change_note
    page.dataset = make_candidate_dataset(candidates)
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    publish_through_workflow(page, author)
    page.refresh_from_db()
    return page


def withdraw(page, reason: str):
    """A withdrawal: an approved, published notice with a reason takes the target down."""
    notice = add_disclosure(
        NoticePage,
        title=f"关于撤回《{page.title}》的公告",
        notice_type="withdrawal",
        target=page,
        reason=reason,
        issuer=make_issuer(),
    )
    page.refresh_from_db()
    return notice


@pytest.fixture
def published_list(db):
    return publish_list()
