"""The embedded engine: full text in the site's own database, Chinese by bigram tokens.

Tokens are computed in Python (search/tokens.py) and stored space-separated; SQLite matches
them with FTS5 (bm25, title weighted 10:1), PostgreSQL with a generated tsvector (ts_rank,
title weight A, the rest B). Both filter by the public interval at query time.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from itertools import islice

from django.db import connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import tokens
from ..documents import ENTRY, IndexDocument
from ..models import IndexedDocument
from .base import Hit, Progress, SearchEngine, SearchQuery, SearchResults, snippet_html

TABLE = IndexedDocument._meta.db_table
FTS = "sunshine_search_fts"
BATCH = 1000
COLUMNS = (
    "doc_id, doc_type, page_id, kind, title, text, url, issuer_name, level, year, "
    "opens_at, closes_at, name, school, category"
)

SELECT_COLUMNS = ", ".join("d." + c.strip() for c in COLUMNS.split(","))


def _aware(value) -> datetime:
    """Raw SQLite cursors return UTC text; PostgreSQL returns aware datetimes."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _row(document: IndexDocument) -> IndexedDocument:
    values = document.as_dict()
    values.pop("tags")
    values.pop("issuer_name")
    title_tokens = tokens.index_text(document.title)
    text_tokens = tokens.index_text(document.text)
    return IndexedDocument(
        **values,
        issuer_name=document.issuer_name,
        title_tokens=title_tokens,
        text_tokens=text_tokens,
    )


class DatabaseEngine(SearchEngine):
    name = "database"

    def __init__(self, using: str = "default"):
        self.using = using

    # -- writing ---------------------------------------------------------------------------
    def replace_page(self, page_id: int, documents: list[IndexDocument]) -> None:
        with transaction.atomic(using=self.using):
            IndexedDocument.objects.using(self.using).filter(page_id=page_id).delete()
            self._insert(documents)

    def _insert(self, documents: Iterable[IndexDocument], progress: Progress | None = None):
        done = 0
        iterator = iter(documents)
        while batch := list(islice(iterator, BATCH)):
            IndexedDocument.objects.using(self.using).bulk_create([_row(d) for d in batch])
            done += len(batch)
            if progress:
                progress(len(batch))
        return done

    def rebuild(self, documents: Iterable[IndexDocument], progress: Progress | None = None) -> int:
        # One transaction: readers keep seeing the old rows until the new ones are committed.
        with transaction.atomic(using=self.using):
            IndexedDocument.objects.using(self.using).all().delete()
            return self._insert(documents, progress)

    def prune(self, now: datetime) -> int:
        deleted, _ = (
            IndexedDocument.objects.using(self.using).filter(visible_until__lte=now).delete()
        )
        return deleted

    def clear(self) -> None:
        IndexedDocument.objects.using(self.using).all().delete()

    def count(self) -> int:
        return IndexedDocument.objects.using(self.using).count()

    # -- reading ---------------------------------------------------------------------------
    def _filters(self, query: SearchQuery, now: datetime) -> tuple[list[str], list]:
        where = ["d.doc_type = %s", "d.visible_from <= %s", "d.visible_until > %s"]
        params: list = [query.target, now, now]
        if query.kind:
            where.append("d.kind = %s")
            params.append(query.kind)
        if query.year:
            where.append("d.year = %s")
            params.append(query.year)
        if query.issuer_id:
            where.append("d.issuer_id = %s")
            params.append(query.issuer_id)
        if query.level:
            where.append("d.level = %s")
            params.append(query.level)
        if query.status == "open":
            where.append("d.closes_at > %s")
            params.append(now)
        elif query.status == "closed":
            where.append("d.closes_at <= %s")
            params.append(now)
        return where, params

    def search(self, query: SearchQuery, now: datetime) -> SearchResults:
        conn = connections[self.using]
        now = conn.ops.adapt_datetimefield_value(now)
        wanted = tokens.query_tokens(query.text)
        if not wanted and query.target == ENTRY:
            return SearchResults(query)  # rows are found by what is typed, never browsed
        where, params = self._filters(query, now)
        vendor = conn.vendor
        newest = "{t}.opens_at DESC, {t}.page_id DESC, {t}.id"
        if not wanted:
            source, rank, order = f"{TABLE} d", "0", newest
        elif vendor == "postgresql":
            source = f"{TABLE} d"
            where.insert(0, "d.search_vector @@ CAST(%s AS tsquery)")
            tsquery = " & ".join(f"'{t}'" for t in wanted)
            params.insert(0, tsquery)
            rank = "ts_rank(d.search_vector, CAST(%s AS tsquery))"
            params.insert(0, tsquery)  # the rank's parameter comes first in the SELECT
            order = "{t}.rank DESC, " + newest
        else:
            source = f"{FTS} JOIN {TABLE} d ON d.id = {FTS}.rowid"
            where.insert(0, f"{FTS} MATCH %s")
            params.insert(0, " AND ".join(f'"{t}"' for t in wanted))
            rank = f"bm25({FTS}, 10.0, 1.0)"
            order = "{t}.rank, " + newest
        if query.sort == "newest":
            order = newest
        clause = " AND ".join(where)
        # One pass over the matches ranks them and counts them (the window runs before the
        # LIMIT); only the page's rows are then read in full. Every interpolated piece is a
        # constant of this module; values go in as parameters.
        keys = f"d.id AS id, d.opens_at AS opens_at, d.page_id AS page_id, {rank} AS rank"
        ranked = " ".join(
            [
                "SELECT m.id, COUNT(*) OVER () FROM (SELECT",
                keys,
                "FROM",
                source,
                "WHERE",
                clause,
                ") m ORDER BY",
                order.format(t="m"),
                "LIMIT %s OFFSET %s",
            ]
        )
        with conn.cursor() as cursor:
            cursor.execute(ranked, [*params, query.per_page, query.offset])
            page = cursor.fetchall()
            if page:
                total = page[0][1]
                ids = [row[0] for row in page]
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"SELECT {SELECT_COLUMNS}, d.id FROM {TABLE} d WHERE d.id IN ({marks})",  # noqa: S608
                    ids,
                )
                by_id = {row[-1]: row for row in cursor.fetchall()}
                rows = [by_id[pk] for pk in ids]
            elif query.offset:  # an empty page past the last one: how many there are
                rows = []
                count_params = params[1:] if wanted and vendor == "postgresql" else params
                count = f"SELECT COUNT(*) FROM {source} WHERE {clause}"  # noqa: S608
                cursor.execute(count, count_params)
                total = cursor.fetchone()[0]
            else:
                rows, total = [], 0
        hits = [self._hit(row, query) for row in rows]
        return SearchResults(query, hits, total)

    @staticmethod
    def _hit(row, query: SearchQuery) -> Hit:
        (doc_id, doc_type, page_id, kind, title, text, url, issuer_name, level, year) = row[:10]
        opens_at, closes_at, name, school, category = row[10:15]
        opens_at, closes_at = _aware(opens_at), _aware(closes_at)
        return Hit(
            doc_id=doc_id,
            doc_type=doc_type,
            page_id=page_id,
            kind=kind,
            title=title,
            url=url,
            issuer_name=issuer_name,
            level=level,
            year=year,
            opens_at=opens_at,
            closes_at=closes_at,
            snippet=snippet_html(text, query.text),
            title_html=snippet_html(title, query.text, length=None),
            name=name,
            school=school,
            category=category,
        )
