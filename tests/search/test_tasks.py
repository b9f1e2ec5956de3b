"""Indexing follows publishing events through background tasks."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from disclosure.models import CandidateListPage
from search.engines import SearchQuery, get_engine
from search.models import IndexedDocument, PublicDisclosure
from tests.search.conftest import republish, take_down

from .conftest import candidate_dataset

pytestmark = pytest.mark.django_db


def test_publish_unpublish_and_delete_update_the_index(
    section, publish_page, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_page(
            CandidateListPage,
            title="加分名单",
            list_type="bonus",
            admission_year=now.year,
            opens=now - timedelta(days=1),
            closes=now + timedelta(days=30),
            dataset=candidate_dataset([("张三", "一中", "少数民族")]),
        )
    assert IndexedDocument.objects.filter(page_id=page.pk).count() == 2
    assert PublicDisclosure.objects.filter(page_id=page.pk).exists()
    hits = get_engine().search(SearchQuery(text="名单"), timezone.now()).hits
    assert [hit.page_id for hit in hits] == [page.pk]

    with django_capture_on_commit_callbacks(execute=True):
        take_down(page)
    assert not IndexedDocument.objects.filter(page_id=page.pk).exists()
    assert not PublicDisclosure.objects.filter(page_id=page.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        republish(page)
    assert IndexedDocument.objects.filter(page_id=page.pk).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert not IndexedDocument.objects.exists() and not PublicDisclosure.objects.exists()


def test_rebuild_command_prints_a_progress_bar(publish_page, capsys):
    now = timezone.now()
    publish_page(
        title="加分政策",
        admission_year=now.year,
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=1),
    )
    call_command("search_index", "rebuild", "--engine", "database")
    out, err = capsys.readouterr()
    assert "[##############################] 100% 1/1" in err
    assert "1 条文档" in out
    assert IndexedDocument.objects.count() == 1


def test_prune_command_removes_what_passed_retention(publish_page):
    from search import indexing

    page = publish_page(title="旧名单", admission_year=2020)
    from .conftest import NOW

    indexing.index_page(page.pk, NOW.replace(year=2020), get_engine("database"))
    assert IndexedDocument.objects.count() == 1
    call_command("search_index", "prune")
    assert IndexedDocument.objects.count() == 0 and PublicDisclosure.objects.count() == 0


def test_renaming_an_issuer_reindexes_its_live_disclosures(
    publish_page, django_capture_on_commit_callbacks
):
    from .conftest import make_issuer

    now = timezone.now()
    issuer = make_issuer("county", name="某县招生办")
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_page(
            title="特殊类型招生名单",
            issuer=issuer,
            admission_year=now.year,
            opens=now - timedelta(days=1),
            closes=now + timedelta(days=20),
        )
    engine = get_engine()
    assert [h.issuer_name for h in engine.search(SearchQuery(text="招生名单"), now).hits] == [
        "某县招生办"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        issuer.name, issuer.level = "某市招生考试中心", "city"
        issuer.save()
    hits = engine.search(SearchQuery(text="招生考试中心"), timezone.now()).hits
    assert [(h.page_id, h.issuer_name, h.level) for h in hits] == [
        (page.pk, "某市招生考试中心", "city")
    ]
    assert engine.search(SearchQuery(text="某县", level="county"), timezone.now()).hits == []
