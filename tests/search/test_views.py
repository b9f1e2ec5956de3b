"""The public search page: filters, escaped highlights, pagination, Chinese and accessible."""

import pytest

from search import indexing
from search.engines.database import DatabaseEngine

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch):
    monkeypatch.setattr("search.views.timezone.now", lambda: NOW)


def test_search_page_finds_chinese_words_and_highlights_them_escaped(client, publish_page):
    page = publish_page(title="少数民族考生加分名单公示", body="<p>&lt;img src=x&gt;加分</p>")
    indexing.index_page(page.pk, NOW, DatabaseEngine())
    html = client.get("/search/", {"q": "加分"}).content.decode()
    assert "共找到 1 条" in html
    assert "少数民族考生<mark>加分</mark>名单公示" in html
    assert "<img" not in html and "&lt;img src=x&gt;" in html
    assert '<label for="search-q">关键词</label>' in html and "<h1>检索公示</h1>" in html


def test_search_page_paginates_and_keeps_the_filters(client, publish_page, settings):
    settings.SEARCH_PAGE_SIZE = 2
    for n in range(3):
        indexing.index_page(publish_page(title=f"名单{n}").pk, NOW, DatabaseEngine())
    html = client.get("/search/", {"q": "名单", "year": "2025"}).content.decode()
    assert "第 1 / 2 页" in html and "q=%E5%90%8D%E5%8D%95&amp;year=2025&amp;page=2" in html
    second = client.get("/search/", {"q": "名单", "page": "2"}).content.decode()
    assert "第 2 / 2 页" in second and second.count('class="hit card"') == 1


def test_unknown_filter_values_are_ignored_not_errors(client, db):
    response = client.get("/search/", {"q": "x", "kind": "nope", "year": "abc", "page": "-3"})
    assert response.status_code == 200


def test_searching_candidate_rows_shows_a_table_with_headers(client, publish_page):
    from disclosure.models import CandidateListPage

    from .conftest import candidate_dataset

    page = publish_page(
        CandidateListPage,
        title="加分名单",
        list_type="bonus",
        dataset=candidate_dataset([("张三", "洛阳市第四高级中学", "少数民族")]),
    )
    indexing.index_page(page.pk, NOW, DatabaseEngine())
    html = client.get("/search/", {"q": "张三", "scope": "entry"}).content.decode()
    assert '<th scope="col">姓名</th>' in html and "洛阳市第四高级中学" in html
