"""Results-day overload shedding for the public lookups (docs/adr/0017-results-day-shedding.md).

The rule, per web process:

- at most `concurrency` lookups run at once;
- a lookup waits for a free place at most `max_wait` seconds, counted from when its request
  reached the worker (the time it already spent in the worker's queue counts);
- a lookup that cannot start within that time is answered at once with 503, `Retry-After` and
  the API's JSON error shape (`{"detail": …}` in Chinese), built here without Django, so a shed
  request costs a few microseconds and never a database or Redis round trip.

So an answered lookup has waited at most `max_wait`, a refused one learns it within `max_wait`,
and nothing queues without bound: past capacity the site answers fast instead of slowly, and
when the spike passes the queue is empty again, with nothing to reset. Only the lookup routes
are gated; public pages and the feed go to the ordinary handler and keep the worker's other
threads (`concurrency` is below the worker's thread count, bin/gunicorn.conf.py).

How long a request waited in the worker's queue: `QueueTimedThreadWorker`, gunicorn's gthread
worker that notes when each request is handed to its thread pool, tells it through
`queued_since()`. Under another server the wait is counted from when the lookup reached the
gate (the concurrency rule still holds).
"""

import errno
import json
import selectors
import threading
import time
from functools import partial

from django.conf import settings
from gunicorn.workers.gthread import TConn, ThreadWorker

SHED_MESSAGE = "当前查询人数过多，请稍后再试。"

DEFAULTS = {
    # Lookups running at once per web process; the rest wait (bounded) or are shed.
    "CONCURRENCY": 4,
    # The longest a lookup waits, from reaching the worker, before it is shed (seconds).
    "MAX_WAIT": 0.1,
    # What a shed client is told to wait before trying again (seconds).
    "RETRY_AFTER": 5,
}


def options() -> dict:
    return {**DEFAULTS, **getattr(settings, "SUNSHINE_LOOKUP_SHEDDING", {})}


_request_clock = threading.local()


def queued_since() -> float | None:
    """`time.monotonic()` when the current request reached the worker, if the worker knows."""
    return getattr(_request_clock, "since", None)


def _shed_response() -> tuple[bytes, list[tuple[str, str]]]:
    body = json.dumps({"detail": SHED_MESSAGE}, ensure_ascii=False).encode()
    return body, [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("Access-Control-Allow-Origin", "*"),
        ("X-Content-Type-Options", "nosniff"),
    ]


class LookupGate:
    """WSGI middleware around the lookups' handler: the shedding rule above."""

    def __init__(self, app, concurrency: int, max_wait: float, retry_after: int):
        if concurrency < 1 or max_wait < 0:
            raise ValueError("concurrency must be at least 1 and max_wait not negative")
        self.app = app
        self.max_wait = max_wait
        self._places = threading.BoundedSemaphore(concurrency)
        self._body, headers = _shed_response()
        self._headers = [*headers, ("Retry-After", str(retry_after))]
        self.shed_count = 0  # for the operator and the benchmark; not exact across threads

    @classmethod
    def from_settings(cls, app):
        opts = options()
        return cls(app, int(opts["CONCURRENCY"]), float(opts["MAX_WAIT"]), int(opts["RETRY_AFTER"]))

    def admit(self) -> bool:
        since = queued_since()
        waited = 0.0 if since is None else time.monotonic() - since
        if waited > self.max_wait:  # already late: answering would only lengthen the queue
            return False
        budget = self.max_wait - waited
        if budget > 0:
            return self._places.acquire(timeout=budget)
        return self._places.acquire(blocking=False)

    def __call__(self, environ, start_response):
        if not self.admit():
            self.shed_count += 1
            start_response("503 Service Unavailable", list(self._headers))
            return [self._body]
        try:
            # Django's handler has built the whole answer by the time it returns.
            return self.app(environ, start_response)
        finally:
            self._places.release()


class QueueTimedThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, noting when each request joins its thread pool's queue
    (a new connection accepted, or a kept-alive one readable again), for `queued_since()`.
    Relies on gunicorn's ThreadWorker (`accept`, `enqueue_req`, `handle`, its poller and its
    pending connections), pinned in requirements.txt; tests/sunshine/test_shedding.py runs it."""

    def accept(self, listener):
        """A new connection waits for its first request on the poller, not in a thread.

        gunicorn's own accept hands it to the thread pool at once, where a thread waits up to
        5 s for the request's first bytes: a few hundred connections opened before their
        request (phones, load generators, a slow network) would hold every thread while the
        requests already read wait behind them. Here a thread is given only a connection with
        data to read, as gunicorn does for kept-alive connections."""
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, sock, client, listener.getsockname())  # non-blocking
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(
            sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )

    def enqueue_req(self, conn):
        conn.sunshine_queued_since = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn):
        _request_clock.since = getattr(conn, "sunshine_queued_since", None)
        try:
            return super().handle(conn)
        finally:
            _request_clock.since = None
