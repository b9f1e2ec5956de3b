"""Pure pieces: Chinese tokens and the one visibility rule (no database)."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from search import tokens
from search.visibility import is_indexable, is_public

BJ = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2025, 6, 1, tzinfo=BJ)
CLOSES = datetime(2025, 6, 15, tzinfo=BJ)


def test_a_run_of_chinese_is_indexed_as_unigrams_and_bigrams():
    assert tokens.index_tokens("加分名单") == ["加", "分", "名", "单", "加分", "分名", "名单"]


def test_a_query_asks_for_its_bigrams_or_its_single_character():
    assert tokens.query_tokens("加分名单") == ["加分", "分名", "名单"]
    assert tokens.query_tokens("加") == ["加"]
    assert tokens.query_tokens("ＡＢＣ 2025年") == ["abc", "2025", "年"]


def test_wildcards_and_quotes_never_become_tokens():
    assert tokens.query_tokens('张* % "x" _') == ["张", "x"]


def page(**overrides):
    values = {
        "live": True,
        "window_opens_at": OPENS,
        "window_closes_at": CLOSES,
        "go_live_at": None,
        "first_published_at": OPENS,
        "issuer": SimpleNamespace(level="county"),
        "admission_year": 2025,
        "kind": "candidate_list",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def test_public_from_opening_until_retention_ends():
    p = page()
    assert not is_public(p, OPENS - timedelta(seconds=1))
    assert is_indexable(p, OPENS - timedelta(seconds=1))
    assert is_public(p, OPENS)
    assert is_public(p, datetime(2025, 8, 31, 23, 59, tzinfo=BJ))
    assert not is_public(p, datetime(2025, 9, 1, tzinfo=BJ))
    assert not is_indexable(p, datetime(2025, 9, 1, tzinfo=BJ))


def test_provincial_notices_are_kept_to_the_end_of_the_year():
    p = page(issuer=SimpleNamespace(level="province"))
    assert is_public(p, datetime(2025, 12, 31, 23, 59, tzinfo=BJ))
    assert not is_public(p, datetime(2026, 1, 1, tzinfo=BJ))


def test_not_live_or_withdrawn_is_never_public():
    assert not is_public(page(live=False), OPENS + timedelta(days=1))
    withdrawn = page(withdrawn_at=OPENS + timedelta(days=2))
    assert is_public(withdrawn, OPENS + timedelta(days=1))
    assert not is_public(withdrawn, OPENS + timedelta(days=2))
    assert not is_indexable(withdrawn, OPENS + timedelta(days=2))


def test_the_lookup_hashes_an_exam_number_exactly_as_the_import_stored_it(settings):
    from disclosure.importing.identifiers import hmac_identifier
    from search.identifiers import exam_number_hmac

    for key in ("a-key-of-sixteen-bytes-or-more", "another-key-entirely-0123456789"):
        settings.IDENTIFIER_HMAC_KEY = key
        for typed in ("25410000012345", " 25410000012345\u3000", "２５４１０００００１２３４５"):
            assert exam_number_hmac(typed) == hmac_identifier(
                key.encode(), "exam_number", "25410000012345"
            )
