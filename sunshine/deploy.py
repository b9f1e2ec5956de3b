"""How many web processes the production stack runs, in one place (docs/deploy.md).

Read by gunicorn's configuration (`bin/gunicorn.conf.py`) and by the system check that warns
when several processes would count rate limits each on its own (`sunshine/checks.py`), so the
two never disagree.

- `WEB_CONCURRENCY` (gunicorn's own variable) wins when set.
- Otherwise, with `REDIS_URL` (rate limits shared through Redis): one process per core the
  process may run on (`os.sched_getaffinity`, so `taskset` is honoured), at least two, so a
  restarting worker never leaves the site without one.
- Otherwise one process: without Redis the rate-limit counters live in each process's memory,
  and one process keeps the limits exact. Raise it only together with `REDIS_URL`.
"""

import os


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def web_workers(environ=None, shared_counters: bool | None = None) -> int:
    """The number of gunicorn workers. `shared_counters`: whether the rate-limit counters are
    in Redis; by default, whether `REDIS_URL` is set (as the settings decide, environment.py).
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get("WEB_CONCURRENCY", "").strip()
    if explicit:
        try:
            return max(1, int(explicit))
        except ValueError:
            raise ValueError(f"WEB_CONCURRENCY must be a whole number, not {explicit!r}") from None
    if shared_counters is None:
        shared_counters = bool(environ.get("REDIS_URL", "").strip())
    if shared_counters:
        return max(2, available_cores())
    return 1
