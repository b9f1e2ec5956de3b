"""The Elasticsearch engine, written with the Elasticsearch DSL.

- Analyzer `cjk` (built in: overlapping bigrams) by default; a segmentation plugin the cluster
  has, such as `smartcn` or IK (`ik_max_word` indexing, `ik_smart` searching), by setting.
- The site reads and writes through an alias (`<INDEX>-documents`). A rebuild fills a new
  concrete index, then moves the alias to it in one atomic `_aliases` call and deletes the
  old one: the site is never without an index.
- Bulk indexing through `elasticsearch.helpers.streaming_bulk`.
- OpenSearch-compatible clusters refuse the client's `compatible-with=8` media types and do
  not send `X-Elastic-Product`: with `COMPATIBILITY_HEADER` false, plain `application/json` is
  sent and the product check is satisfied by the transport.
"""

import re
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from functools import cached_property

from elastic_transport import HttpHeaders, Transport
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.dsl import Date, Integer, Keyword, Mapping, Q, Search, Text
from elasticsearch.helpers import streaming_bulk

from ..conf import elasticsearch_options
from ..documents import DISCLOSURE, ENTRY, IndexDocument
from .base import (
    MARK_END,
    MARK_START,
    SNIPPET_LENGTH,
    Hit,
    Progress,
    SearchEngine,
    SearchQuery,
    SearchResults,
    highlight_pattern,
    mark,
    marked_to_html,
)

_COMPAT_MEDIA_TYPE = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+); ?compatible-with=\d+")


class PlainJsonTransport(Transport):
    """Sends `application/json` instead of the compatible-with media types (for OpenSearch)."""

    def perform_request(self, method, target, *, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT_MEDIA_TYPE.sub(r"application/\1", headers[name])
        response = super().perform_request(method, target, headers=headers, **kwargs)
        meta = response.meta
        if "x-elastic-product" not in meta.headers:
            patched = HttpHeaders(meta.headers)
            patched["x-elastic-product"] = "Elasticsearch"
            response = type(response)(replace(meta, headers=patched), response.body)
        return response


def make_client(url: str, *, compatibility_header: bool = True, timeout: float = 10):
    options = {"request_timeout": timeout, "max_retries": 2, "retry_on_timeout": True}
    if not compatibility_header:
        options["transport_class"] = PlainJsonTransport
    return Elasticsearch(url, **options)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class ElasticEngine(SearchEngine):
    name = "elastic"

    def __init__(self, url: str | None = None, **overrides):
        options = elasticsearch_options()
        options.update({k.upper(): v for k, v in overrides.items()})
        self.url = url or options["URL"]
        if not self.url:
            raise ValueError("The elastic search engine needs ELASTICSEARCH_URL.")
        self.prefix = options["INDEX"]
        self.analyzer = options["ANALYZER"]
        self.search_analyzer = options["SEARCH_ANALYZER"]
        self.compatibility_header = options["COMPATIBILITY_HEADER"]
        self.refresh = options["REFRESH"]
        self.timeout = options["TIMEOUT"]

    @cached_property
    def client(self) -> Elasticsearch:
        return make_client(
            self.url, compatibility_header=self.compatibility_header, timeout=self.timeout
        )

    @property
    def alias(self) -> str:
        return f"{self.prefix}-documents"

    # -- index management ------------------------------------------------------------------
    def mapping(self) -> Mapping:
        text = {"analyzer": self.analyzer}
        if self.search_analyzer:
            text["search_analyzer"] = self.search_analyzer
        m = Mapping()
        for name in ("doc_id", "doc_type", "kind", "level", "issuer_name"):
            m.field(name, Keyword())
        for name in ("name", "school", "category"):
            m.field(name, Keyword())
        m.field("url", Keyword(index=False))
        for name in ("page_id", "issuer_id", "year"):
            m.field(name, Integer())
        for name in ("opens_at", "closes_at", "visible_from", "visible_until"):
            m.field(name, Date())
        for name in ("title", "text", "all"):
            m.field(name, Text(**text))
        return m

    def _create_index(self) -> str:
        name = f"{self.alias}-{uuid.uuid4().hex[:12]}"
        self.client.indices.create(
            index=name,
            settings={"number_of_shards": 1, "number_of_replicas": 0},
            mappings=self.mapping().to_dict(),
        )
        return name

    def _indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def ensure_index(self) -> None:
        if not self._indices_behind_alias():
            name = self._create_index()
            self.client.indices.update_aliases(
                actions=[{"add": {"index": name, "alias": self.alias}}]
            )

    def destroy(self) -> None:
        """Delete the alias and every index behind it (tests, decommissioning)."""
        for name in self._indices_behind_alias():
            self.client.indices.delete(index=name)

    # -- writing ---------------------------------------------------------------------------
    @staticmethod
    def _source(document: IndexDocument) -> dict:
        source = document.as_dict()
        for key in ("opens_at", "closes_at", "visible_from", "visible_until"):
            source[key] = _iso(source[key])
        parts = (document.text,) if document.doc_type == ENTRY else (document.title, document.text)
        source["all"] = " ".join(parts)
        return source

    def _actions(self, documents: Iterable[IndexDocument], index: str):
        for document in documents:
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": document.doc_id,
                "_source": self._source(document),
            }

    def _bulk(self, documents, index: str, progress: Progress | None = None) -> int:
        done = 0
        for ok, item in streaming_bulk(
            self.client, self._actions(documents, index), chunk_size=1000, raise_on_error=True
        ):
            if not ok:  # pragma: no cover - raise_on_error raises first
                raise RuntimeError(f"bulk indexing failed: {item}")
            done += 1
            if progress and done % 1000 == 0:
                progress(1000)
        if progress and done % 1000:
            progress(done % 1000)
        return done

    def _refresh(self, index: str | None = None) -> None:
        self.client.indices.refresh(index=index or self.alias)

    def replace_page(self, page_id: int, documents: list[IndexDocument]) -> None:
        self.ensure_index()
        self.client.delete_by_query(
            index=self.alias,
            query={"term": {"page_id": page_id}},
            refresh=True,
            conflicts="proceed",
        )
        if documents:
            self._bulk(documents, self.alias)
        if self.refresh:
            self._refresh()

    def rebuild(self, documents: Iterable[IndexDocument], progress: Progress | None = None) -> int:
        old = self._indices_behind_alias()
        new = self._create_index()
        try:
            done = self._bulk(documents, new, progress)
            self._refresh(new)
        except Exception:
            self.client.indices.delete(index=new)
            raise
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for name in old:
            self.client.indices.delete(index=name)
        return done

    def prune(self, now: datetime) -> int:
        self.ensure_index()
        response = self.client.delete_by_query(
            index=self.alias,
            query={"range": {"visible_until": {"lte": _iso(now)}}},
            refresh=True,
            conflicts="proceed",
        )
        return int(response.get("deleted", 0))

    def clear(self) -> None:
        self.ensure_index()
        self.client.delete_by_query(
            index=self.alias, query={"match_all": {}}, refresh=True, conflicts="proceed"
        )

    def count(self) -> int:
        self.ensure_index()
        self._refresh()
        return int(self.client.count(index=self.alias)["count"])

    # -- reading ---------------------------------------------------------------------------
    def search(self, query: SearchQuery, now: datetime) -> SearchResults:
        text = query.text.strip()
        if not text and query.target == ENTRY:
            return SearchResults(query)
        self.ensure_index()
        s = Search(using=self.client, index=self.alias)
        s = s.filter("term", doc_type=query.target)
        s = s.filter("range", visible_from={"lte": _iso(now)})
        s = s.filter("range", visible_until={"gt": _iso(now)})
        if query.kind:
            s = s.filter("term", kind=query.kind)
        if query.year:
            s = s.filter("term", year=query.year)
        if query.issuer_id:
            s = s.filter("term", issuer_id=query.issuer_id)
        if query.level:
            s = s.filter("term", level=query.level)
        if query.status == "open":
            s = s.filter("range", closes_at={"gt": _iso(now)})
        elif query.status == "closed":
            s = s.filter("range", closes_at={"lte": _iso(now)})
        newest = [{"opens_at": "desc"}, {"page_id": "desc"}, {"doc_id": "asc"}]
        if text:
            must = Q("match", all={"query": text, "operator": "and"})
            should = (
                [Q("match", title={"query": text, "operator": "and", "boost": 3})]
                if query.target == DISCLOSURE
                else []
            )
            s = s.query(Q("bool", must=[must], should=should))
            s = s.highlight_options(pre_tags=[MARK_START], post_tags=[MARK_END], encoder="default")
            s = s.highlight("title", number_of_fragments=0)
            s = s.highlight("text", fragment_size=SNIPPET_LENGTH, number_of_fragments=1)
        sort = newest if query.sort == "newest" or not text else ["_score", *newest]
        s = s.sort(*sort).extra(track_total_hits=True)
        s = s[query.offset : query.offset + query.per_page]
        response = s.execute()
        hits = [self._hit(hit, query) for hit in response.hits]
        return SearchResults(query, hits, int(response.hits.total.value))

    @staticmethod
    def _hit(hit, query: SearchQuery) -> Hit:
        source = hit.to_dict()
        highlight = getattr(hit.meta, "highlight", None)
        pattern = highlight_pattern(query.text)
        if highlight and "title" in highlight:
            title_marked = highlight.title[0]
        else:
            title_marked = mark(source["title"], pattern)
        if highlight and "text" in highlight:
            text_marked = highlight.text[0]
        else:
            text_marked = mark(source["text"], pattern, SNIPPET_LENGTH)
        return Hit(
            doc_id=source["doc_id"],
            doc_type=source["doc_type"],
            page_id=source["page_id"],
            kind=source["kind"],
            title=source["title"],
            url=source.get("url", ""),
            issuer_name=source["issuer_name"],
            level=source["level"],
            year=source["year"],
            opens_at=_parse(source["opens_at"]),
            closes_at=_parse(source["closes_at"]),
            snippet=marked_to_html(text_marked),
            title_html=marked_to_html(title_marked),
            name=source.get("name", ""),
            school=source.get("school", ""),
            category=source.get("category", ""),
        )
