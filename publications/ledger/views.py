"""The public ledger: ``/ledger/`` for people, ``/api/v1/ledger/…`` for machines.

The JSON routes are read-only, UTF-8, open to any origin (CORS ``*``), and carry
an ETag (SHA-256 of the body) and a Last-Modified (the last time the ledger or its
checkpoints changed); a matching ``If-None-Match`` or ``If-Modified-Since`` gets a 304.
Shapes: docs/verify.md. Plain Django views on purpose: the rest of ``/api/v1/`` and
its OpenAPI description are built elsewhere and can wrap these.
"""

import hashlib
import json
from datetime import UTC, datetime
from functools import wraps

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail.models import Revision

from disclosure.models import DisclosurePage
from publications.ledger import proofs
from publications.ledger.canonical import utc_timestamp
from publications.ledger.checkpoint import (
    MESSAGE_HEADER,
    SigningKeyError,
    key_id,
    load_public_key,
    public_key_pem,
)
from publications.ledger.content import public_content
from publications.ledger.keys import active_public_key, published_keys
from publications.ledger.models import Checkpoint, LedgerEntry, LedgerEvent
from publications.opendata.links import public_url

PAGE_SIZE = 50
API_LIMIT = 100
API_MAX_LIMIT = 1000
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


# Shapes


def entry_json(entry: LedgerEntry) -> dict:
    return {
        "seq": entry.seq,
        "at": utc_timestamp(entry.at),
        "event": entry.event,
        "disclosure_id": entry.disclosure_id,
        "version": entry.version,
        "content_sha256": entry.content_sha256,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
        "detail": entry.detail,
    }


def checkpoint_json(checkpoint: Checkpoint | None) -> dict | None:
    if checkpoint is None:
        return None
    return {
        "id": checkpoint.pk,
        "size": checkpoint.size,
        "root": checkpoint.root,
        "time": utc_timestamp(checkpoint.time),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


# Plumbing


class ApiError(Exception):
    def __init__(self, status: int, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.status, self.message, self.message_zh = status, message, message_zh


def _last_modified() -> datetime:
    times = [
        LedgerEntry.objects.order_by("-seq").values_list("at", flat=True).first(),
        Checkpoint.objects.order_by("-id").values_list("time", flat=True).first(),
    ]
    return max((t for t in times if t is not None), default=_EPOCH)


def _json_response(request, status: int, data) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    if status == 200:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        last_modified = _last_modified()
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, public=True, max_age=30)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp()), response=response
        )
        if conditional is not response:
            conditional["Access-Control-Allow-Origin"] = "*"
            return conditional
    return response


def api_view(view):
    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return _json_response(request, 200, view(request, *args, **kwargs))
        except ApiError as error:
            return _json_response(
                request, error.status, {"error": error.message, "error_zh": error.message_zh}
            )

    return wrapped


def _int_param(request, name: str, default: int | None = None, minimum: int = 0) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 15 or int(raw) < minimum:
        raise ApiError(
            400,
            f"{name} must be an integer from {minimum}",
            f"参数 {name} 应为不小于 {minimum} 的整数",
        )
    return int(raw)


def _public_key() -> str:
    try:
        return active_public_key()
    except SigningKeyError:
        raise ApiError(503, "the ledger key is not configured", "未配置台账密钥") from None


# JSON routes


@api_view
def api_entries(request):
    """``GET /api/v1/ledger/?since=S&limit=L&disclosure=D``: entries with seq > S, in order."""
    since = _int_param(request, "cursor", None)
    if since is None:
        since = _int_param(request, "since", 0)
    limit = min(_int_param(request, "limit", API_LIMIT, minimum=1), API_MAX_LIMIT)
    disclosure = _int_param(request, "disclosure", None, minimum=1)
    entries = LedgerEntry.objects.filter(seq__gt=since).order_by("seq")
    if disclosure is not None:
        entries = entries.filter(disclosure_id=disclosure)
    page = list(entries[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    next_url = None
    if more:
        query = request.GET.copy()
        query.pop("since", None)
        query["cursor"] = str(page[-1].seq)
        next_url = public_url(f"{request.path}?{query.urlencode()}")
    head = LedgerEntry.objects.order_by("-seq").first()
    return {
        "entries": [entry_json(e) for e in page],
        "next": next_url,
        "head": {"seq": head.seq, "entry_hash": head.entry_hash} if head else None,
    }


@api_view
def api_entry(request, seq: int):
    """``GET /api/v1/ledger/entries/<seq>/``: one entry and, if it has one, its content document."""
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        raise ApiError(404, f"no ledger entry {seq}", f"没有序号为 {seq} 的台账记录")
    content = None
    revision_id = entry.detail.get("revision_id") if isinstance(entry.detail, dict) else None
    if entry.content_sha256 and revision_id:
        revision = Revision.objects.filter(pk=revision_id).first()
        if revision is not None and revision.object_id == str(entry.disclosure_id):
            content = public_content(revision.as_object())
    return {"entry": entry_json(entry), "content": content}


@api_view
def api_public_key(request):
    """``GET /api/v1/ledger/public-key``: the key that signs checkpoints."""
    text = _public_key()
    keys = [key.as_json() for key in published_keys()] or [
        {"key_id": key_id(text), "public_key": text, "valid_from": None, "valid_until": None,
         "status": "active"}
    ]  # fmt: skip
    return {
        "algorithm": "Ed25519",
        "key_id": key_id(text),
        "public_key": text,
        "public_key_pem": public_key_pem(load_public_key(text)),
        "checkpoint_format": MESSAGE_HEADER,
        # every key that ever signed a checkpoint, oldest first, with [valid_from, valid_until]
        "keys": keys,
    }


@api_view
def api_checkpoints(request):
    """``GET /api/v1/ledger/checkpoints/?cursor=ID&limit=L``: the latest, and all in order."""
    after = _int_param(request, "cursor", 0)
    limit = min(_int_param(request, "limit", API_LIMIT, minimum=1), API_MAX_LIMIT)
    page = list(Checkpoint.objects.filter(id__gt=after).order_by("id")[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    next_url = None
    if more:
        query = request.GET.copy()
        query["cursor"] = str(page[-1].pk)
        next_url = public_url(f"{request.path}?{query.urlencode()}")
    return {
        "latest": checkpoint_json(proofs.latest_checkpoint()),
        "checkpoints": [checkpoint_json(c) for c in page],
        "next": next_url,
    }


def _checkpoint_of_size(size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(size=size).order_by("-id").first()


def _default_size() -> int:
    latest = proofs.latest_checkpoint()
    return latest.size if latest is not None else proofs.ledger_size()


@api_view
def api_inclusion(request):
    """``GET /api/v1/ledger/proof/inclusion?seq=N&size=M``: entry N is in the tree of size M."""
    seq = _int_param(request, "seq", None, minimum=1)
    if seq is None:
        raise ApiError(400, "seq is required", "缺少参数 seq")
    size = _int_param(request, "size", None, minimum=1) or _default_size()
    try:
        proof = proofs.inclusion(seq, size)
    except proofs.ProofError as error:
        raise ApiError(400, str(error), error.message_zh) from None
    return {
        "seq": proof.seq,
        "leaf_index": proof.seq - 1,
        "tree_size": proof.tree_size,
        "entry_hash": proof.entry_hash,
        "root": proof.root,
        "proof": proof.proof,
        "checkpoint": checkpoint_json(_checkpoint_of_size(proof.tree_size)),
    }


@api_view
def api_consistency(request):
    """``GET /api/v1/ledger/proof/consistency?from=A&to=B``: tree A is a prefix of tree B."""
    first = _int_param(request, "from", None)
    if first is None:
        raise ApiError(400, "from is required", "缺少参数 from")
    second = _int_param(request, "to", None)
    if second is None:
        second = _default_size()
    try:
        proof = proofs.consistency(first, second)
    except proofs.ProofError as error:
        raise ApiError(400, str(error), error.message_zh) from None
    return {
        "from": proof.first,
        "to": proof.second,
        "from_root": proof.first_root,
        "to_root": proof.second_root,
        "proof": proof.proof,
        "from_checkpoint": checkpoint_json(_checkpoint_of_size(proof.first)),
        "to_checkpoint": checkpoint_json(_checkpoint_of_size(proof.second)),
    }


# The page for people


@require_safe
def ledger_page(request):
    """``/ledger/``: newest first, 50 a page, with the latest checkpoint and the public key."""
    paginator = Paginator(LedgerEntry.objects.order_by("-seq"), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    entries = list(page_obj.object_list)
    live = {
        page.pk: page
        for page in DisclosurePage.objects.live()
        .public()
        .filter(pk__in={e.disclosure_id for e in entries if e.disclosure_id})
    }
    rows = [
        {
            "entry": entry,
            "title": (entry.detail or {}).get("title", "")
            if isinstance(entry.detail, dict)
            else "",
            "url": live[entry.disclosure_id].get_url(request)
            if entry.disclosure_id in live
            else None,
            "changes_content": entry.event in (LedgerEvent.PUBLISHED, LedgerEvent.CORRECTED),
        }
        for entry in entries
    ]
    try:
        public_key = active_public_key()
    except SigningKeyError:
        public_key = ""
    return render(
        request,
        "publications/ledger.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "checkpoint": proofs.latest_checkpoint(),
            "public_key": public_key,
            "key_id": key_id(public_key) if public_key else "",
            "api_url": reverse("ledger_api:entries"),
        },
    )
