"""The search contract, run against every engine (see conftest.py). Sets and order, never
scores: osmem is not Elasticsearch, and neither scores like SQLite or PostgreSQL."""

from datetime import datetime, timedelta

import pytest

from disclosure.models import CandidateListPage, NoticePage, QuotaPlanPage
from search import indexing
from search.engines import SearchQuery
from tests.search.conftest import republish, take_down

from .conftest import BEIJING, CLOSES, NOW, OPENS, admission_dataset, candidate_dataset, make_issuer

pytestmark = pytest.mark.django_db

TITLE = "少数民族考生加分名单公示"


def found(engine, text="", now=NOW, **filters):
    results = engine.search(SearchQuery(text=text, **filters), now)
    return [hit.title for hit in results.hits]


def names(engine, text, now=NOW, **filters):
    results = engine.search(SearchQuery(text=text, target="entry", **filters), now)
    return sorted(hit.name for hit in results.hits)


@pytest.mark.parametrize("query", ["加分", "名单", "少数民族", "加分名单", "考生加分名单公示"])
def test_chinese_words_inside_a_title_are_found(engine, publish_page, index, query):
    index(publish_page(title=TITLE), publish_page(title="普通高校招生章程"))
    assert found(engine, query) == [TITLE]


def test_words_not_in_the_title_in_that_order_are_not_found(engine, publish_page, index):
    index(publish_page(title=TITLE))
    assert found(engine, "名单加分") == []
    assert found(engine, "保送") == []


def test_body_and_summary_text_are_searched(engine, publish_page, index):
    index(
        publish_page(
            title="通知", summary="关于做好高校专项计划报名工作", body="<p>强基计划说明</p>"
        )
    )
    assert found(engine, "专项计划") == ["通知"]
    assert found(engine, "强基") == ["通知"]


def test_a_title_match_ranks_above_a_body_match(engine, publish_page, index):
    index(
        publish_page(title="招生工作通知", body="<p>附：保送生名单</p>"),
        publish_page(title="保送生名单公示", body="<p>详见附件</p>"),
    )
    assert found(engine, "保送") == ["保送生名单公示", "招生工作通知"]


def test_filters_by_kind_year_issuer_and_level(engine, publish_page, index):
    county = make_issuer("county")
    province = make_issuer("province")
    pages = [
        publish_page(title="加分政策省级", issuer=province),
        publish_page(QuotaPlanPage, title="加分计划省级", issuer=province),
        publish_page(title="加分政策县级", issuer=county),
        publish_page(title="加分政策上年", issuer=province, admission_year=2024),
    ]
    index(*pages)
    assert sorted(found(engine, "加分", kind="quota_plan")) == ["加分计划省级"]
    assert sorted(found(engine, "加分", year=2024)) == ["加分政策上年"]
    assert sorted(found(engine, "加分", issuer_id=county.pk)) == ["加分政策县级"]
    assert sorted(found(engine, "加分", level="county")) == ["加分政策县级"]
    assert sorted(found(engine, "加分", level="province", year=2025)) == sorted(
        ["加分计划省级", "加分政策省级"]
    )


def test_filters_by_status_open_or_closed(engine, publish_page, index):
    index(
        publish_page(title="加分公示中", closes=CLOSES),
        publish_page(title="加分已期满", closes=datetime(2025, 6, 5, tzinfo=BEIJING)),
    )
    assert found(engine, "加分", status="open") == ["加分公示中"]
    assert found(engine, "加分", status="closed") == ["加分已期满"]


def test_newest_first_order_and_pagination(engine, publish_page, index):
    pages = [
        publish_page(title=f"名单第{n}号", opens=OPENS + timedelta(hours=n)) for n in range(1, 6)
    ]
    index(*pages)
    first = engine.search(SearchQuery(text="名单", sort="newest", per_page=2), NOW)
    second = engine.search(SearchQuery(text="名单", sort="newest", per_page=2, page=2), NOW)
    last = engine.search(SearchQuery(text="名单", sort="newest", per_page=2, page=3), NOW)
    assert first.total == 5 and first.num_pages == 3
    assert [h.title for h in first.hits] == ["名单第5号", "名单第4号"]
    assert [h.title for h in second.hits] == ["名单第3号", "名单第2号"]
    assert [h.title for h in last.hits] == ["名单第1号"]
    assert first.has_next and not first.has_previous and not last.has_next
    assert second.total == last.total == 5
    ranked = engine.search(SearchQuery(text="名单", per_page=2, page=3), NOW)
    assert ranked.total == 5 and len(ranked.hits) == 1
    past_the_end = engine.search(SearchQuery(text="名单", per_page=2, page=4), NOW)
    assert past_the_end.hits == [] and past_the_end.total == 5
    nothing = engine.search(SearchQuery(text="保送", per_page=2), NOW)
    assert nothing.hits == [] and nothing.total == 0


def test_snippets_highlight_the_query_and_escape_the_text(engine, publish_page, index):
    index(publish_page(title="<b>加分</b>名单", body="<p>关于&lt;script&gt;加分的说明</p>"))
    [hit] = engine.search(SearchQuery(text="加分"), NOW).hits
    assert "<mark>加分</mark>" in hit.title_html
    assert "&lt;b&gt;" in hit.title_html and "<b>" not in hit.title_html
    assert "<mark>加分</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (OPENS - timedelta(seconds=1), []),  # scheduled: not yet
        (OPENS, [TITLE]),  # the window opens
        (CLOSES + timedelta(days=30), [TITLE]),  # closed, within retention (county: 31 Aug)
        (datetime(2025, 8, 31, 23, 59, tzinfo=BEIJING), [TITLE]),
        (datetime(2025, 9, 1, 0, 0, tzinfo=BEIJING), []),  # retention ended
    ],
)
def test_nothing_is_found_outside_its_window_or_past_retention(
    engine, publish_page, index, now, expected
):
    page = publish_page(title=TITLE, issuer=make_issuer("county"))
    index(page, now=OPENS - timedelta(days=1))  # indexed while scheduled
    assert found(engine, "名单", now=now) == expected


def _candidate_list(publish_page, rows, **kwargs):
    return publish_page(
        CandidateListPage,
        title=kwargs.pop("title", TITLE),
        list_type="bonus",
        dataset=candidate_dataset(rows),
        **kwargs,
    )


ROWS = [
    ("张三", "洛阳市第四高级中学", "少数民族"),
    ("李四", "洛阳市第一高级中学", "烈士子女"),
    ("张三丰", "郑州外国语学校", "少数民族"),
]


def test_candidate_rows_are_searchable_by_name_school_and_category(engine, publish_page, index):
    index(_candidate_list(publish_page, ROWS))
    assert names(engine, "李四") == ["李四"]
    assert names(engine, "第四高级中学") == ["张三"]
    assert names(engine, "烈士子女") == ["李四"]
    assert names(engine, "张三") == ["张三", "张三丰"]
    assert found(engine, "李四") == []  # rows are not disclosures


def test_candidate_rows_follow_their_disclosure_window_and_retention(engine, publish_page, index):
    page = _candidate_list(publish_page, ROWS, issuer=make_issuer("school"))
    index(page)
    assert names(engine, "李四", now=OPENS - timedelta(minutes=1)) == []
    assert names(engine, "李四", now=NOW) == ["李四"]
    after_retention = datetime(2025, 9, 1, tzinfo=BEIJING)
    assert names(engine, "李四", now=after_retention) == []
    indexing.prune(after_retention, engine)
    assert engine.count() == 0


def test_unpublishing_a_list_removes_its_rows(engine, publish_page, index):
    page = _candidate_list(publish_page, ROWS)
    index(page)
    take_down(page)
    index(page)  # what the unpublish task does: the page is no longer live
    assert names(engine, "李四") == []
    assert engine.count() == 0


def test_a_withdrawn_list_is_removed_and_never_found(engine, publish_page, index):
    page = _candidate_list(publish_page, ROWS)
    page.withdrawn_at = NOW - timedelta(hours=1)  # the windows work adds this field
    documents = indexing.documents_for_page(page, NOW)
    assert documents == []
    engine.replace_page(page.pk, documents)
    assert names(engine, "李四") == [] and found(engine, "名单") == []


def test_a_correction_replaces_the_rows(engine, publish_page, index):
    page = _candidate_list(publish_page, ROWS)
    index(page)
    page.dataset = candidate_dataset([("王五", "洛阳市第四高级中学", "少数民族")])
    page.change_note = "名单更正"
    republish(page)
    index(page)
    assert names(engine, "李四") == []
    assert names(engine, "王五") == ["王五"]


def test_admission_results_are_never_in_the_full_text_index(engine, publish_page, index):
    dataset = admission_dataset([("25410101000001", "赵六", "北京大学")])
    from disclosure.models import AdmissionResultsPage

    page = publish_page(AdmissionResultsPage, title="本科一批录取结果", dataset=dataset)
    index(page)
    assert engine.count() == 1  # the page itself; none of its rows
    assert names(engine, "赵六") == []
    assert found(engine, "赵六") == [] and found(engine, "北京大学") == []
    assert found(engine, "录取结果") == ["本科一批录取结果"]


def test_wildcards_are_plain_characters(engine, publish_page, index):
    index(_candidate_list(publish_page, ROWS))
    for text in ["张*", "张%", "*", "%", "?", "张?"]:
        assert names(engine, text) in ([], ["张三", "张三丰"]), text
    assert names(engine, "*") == [] and names(engine, "%") == []


def test_an_empty_query_lists_disclosures_newest_first_but_never_rows(engine, publish_page, index):
    index(
        _candidate_list(publish_page, ROWS, title="甲名单"),
        publish_page(NoticePage, title="乙公告", notice_type="other", opens=OPENS + timedelta(1)),
    )
    assert found(engine, "") == ["乙公告", "甲名单"]
    assert names(engine, "") == []


def test_rebuild_swaps_in_a_complete_index(engine, publish_page, index):
    a = publish_page(title="加分甲")
    index(a)
    publish_page(title="加分乙")  # published while the index missed it
    progress = []
    done = indexing.rebuild(NOW, engine, progress=progress.append)
    assert done == 2 and sum(progress) == 2
    assert sorted(found(engine, "加分")) == sorted(["加分乙", "加分甲"])
