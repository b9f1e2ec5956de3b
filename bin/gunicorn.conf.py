"""gunicorn configuration of the production stack (docs/deploy.md, ADR 0017).

    .venv/bin/gunicorn -c bin/gunicorn.conf.py

Environment: WEB_CONCURRENCY (processes; default sunshine/deploy.py: one per core with
REDIS_URL, else one), WEB_THREADS (threads per process, default 8), BIND (default
127.0.0.1:8000). Settings come from DJANGO_SETTINGS_MODULE (default production).
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sunshine.deploy import web_workers  # noqa: E402

wsgi_app = "sunshine.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# One process per core (the interpreter runs one thread at a time); threads so a process keeps
# working while one request waits on PostgreSQL or Redis, and so public pages keep threads
# while lookups are at their limit (SUNSHINE_LOOKUP_SHEDDING's CONCURRENCY is lower).
workers = web_workers()
threads = int(os.environ.get("WEB_THREADS", "8"))
# gthread, noting when each request reaches the worker, so the lookup gate counts queue time.
worker_class = "sunshine.shedding.QueueTimedThreadWorker"
worker_connections = 1000
backlog = 2048
# Phones keep their connection between the lookup page and the lookup.
keepalive = 5
timeout = 30
graceful_timeout = 20
# No access log: lookup URLs carry exam numbers and names in their query strings.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# The header gunicorn believes for the scheme only from these addresses (the proxy in front).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
