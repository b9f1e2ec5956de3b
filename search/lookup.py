"""The public check: is a name on a list now on notice, and one's own admission result.

Exact match only: what is typed is compared for equality (after trimming spaces), so `%`, `*`,
`_` and partial names are ordinary characters that match nothing. Each lookup is one indexed
query through a raw cursor (no model instances): candidate rows by (dataset, name), admission
rows by exam-number HMAC, joined to the register of disclosures public at `now`.

The admission lookup answers the same way (None) whether the exam number is unknown, the name
is wrong, or the results are not (or no longer) on notice; the name is compared in constant
time after the one query, so the work done does not depend on which it was.
"""

import functools
import hmac
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import psycopg  # the PostgreSQL driver (requirements.txt); its cursors bind on the server
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from .identifiers import exam_number_hmac

NAME_MAX = 64
SCHOOL_MAX = 128
NAME_CHECK_LIMIT = 50


@dataclass(frozen=True)
class NameMatch:
    name: str
    gender: str
    school: str
    category: str
    list_title: str
    list_url: str

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "gender": self.gender,
            "school": self.school,
            "category": self.category,
            "list": {"title": self.list_title, "url": self.list_url},
        }


@dataclass(frozen=True)
class AdmissionMatch:
    name: str
    exam_number_masked: str
    batch: str
    track: str
    institution_code: str
    institution: str
    major: str
    disclosure_title: str
    visible_from: datetime

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "exam_number": self.exam_number_masked,
            "batch": self.batch,
            "track": self.track,
            "institution_code": self.institution_code,
            "institution": self.institution,
            "major": self.major,
            "disclosure": self.disclosure_title,
        }


def clean_text(value: str | None, limit: int) -> str:
    """NFC, trimmed (including full-width spaces); empty if absent or too long."""
    value = unicodedata.normalize("NFC", (value or "")).strip(" \u3000\t\r\n\xa0")
    return value if 0 < len(value) <= limit else ""


def valid_exam_number(value: str | None) -> str:
    value = value or ""
    if not value.isascii():  # full-width digits become ASCII digits
        value = unicodedata.normalize("NFKC", value)
    value = value.strip()
    return value if re.fullmatch(settings.EXAM_NUMBER_PATTERN, value) else ""


def _fetch(sql: str, now: datetime, params: Callable[[object], list]) -> list[tuple]:
    """Run one read on the request's connection, straight through the driver, with the
    parameters `params(at)` where `at` is `now` as this database stores datetimes.

    The hot path of every lookup. Django's cursor wrapper would rewrite the placeholders with a
    regular expression and time the query on every call; here the SQL is rewritten once per
    database and the driver runs it. On PostgreSQL the statement is prepared once per
    connection and then only executed: Django binds parameters client-side, so the server
    would parse and plan the query anew for every lookup (measured: 330 µs a query instead of
    160, docs/benchmarks.md). Errors are still Django's (`wrap_database_errors`), so a broken
    connection is closed at the end of the request as usual. Such queries do not appear in
    `connection.queries`.
    """
    database = connections[DEFAULT_DB_ALIAS]  # resolved once, not through the proxy per use
    driver = database.connection
    if driver is None:
        database.ensure_connection()
        driver = database.connection
    values = params(database.ops.adapt_datetimefield_value(now))
    with database.wrap_database_errors:
        if database.vendor == "postgresql":
            cursor = psycopg.Cursor(driver)  # binds on the server
            cursor.execute(sql, values, prepare=True)
            return cursor.fetchall()
        return driver.execute(_for_driver(sql, database.vendor), values).fetchall()


@functools.cache
def _for_driver(sql: str, vendor: str) -> str:
    return sql.replace("%s", "?") if vendor == "sqlite" else sql


_NAME_SQL = """
SELECT e.name, e.gender, e.school, e.category, p.title, p.url
FROM disclosure_candidateentry e
JOIN sunshine_search_publicdisclosure p ON p.dataset_id = e.dataset_id
WHERE p.kind = 'candidate_list' AND p.visible_from <= %s AND p.visible_until > %s
  AND e.name = %s{school}
ORDER BY p.visible_from DESC, p.page_id, e.position
LIMIT {limit}
"""
_NAME_SQL_ANY_SCHOOL = _NAME_SQL.format(school="", limit=NAME_CHECK_LIMIT)
_NAME_SQL_AT_SCHOOL = _NAME_SQL.format(school=" AND e.school = %s", limit=NAME_CHECK_LIMIT)


def check_name(name: str, now: datetime, school: str = "") -> list[NameMatch]:
    """Rows with exactly this name (and school, if given) on candidate lists public at `now`."""
    name = clean_text(name, NAME_MAX)
    school = clean_text(school, SCHOOL_MAX) if school else ""
    if not name:
        return []
    sql, wanted = (
        (_NAME_SQL_AT_SCHOOL, [name, school]) if school else (_NAME_SQL_ANY_SCHOOL, [name])
    )
    rows = _fetch(sql, now, lambda at: [at, at, *wanted])
    return [NameMatch(*row) for row in rows]


# `+r.dataset_id` keeps SQLite from driving the join through the dataset index (every row of
# a million-row dataset) instead of the exam-number HMAC index (one row); PostgreSQL ignores it.
_ADMISSION_SQL = """
SELECT r.name, r.exam_number_masked, r.batch, r.track, r.institution_code, r.institution,
       r.major, p.title, p.visible_from
FROM disclosure_admissionresult r
JOIN sunshine_search_publicdisclosure p ON p.dataset_id = +r.dataset_id
WHERE r.exam_number_hmac = %s AND p.kind = 'admission_results'
  AND p.visible_from <= %s AND p.visible_until > %s
  AND (p.lookup_until IS NULL OR p.lookup_until > %s)
LIMIT 20
"""


def lookup_admission(exam_number: str, name: str, now: datetime) -> AdmissionMatch | None:
    """One's own admission result, by exact exam number and exact name; None otherwise."""
    exam_number = valid_exam_number(exam_number)
    name = clean_text(name, NAME_MAX)
    if not exam_number or not name:
        return None
    digest = exam_number_hmac(exam_number)
    rows = _fetch(_ADMISSION_SQL, now, lambda at: [digest, at, at, at])
    if len(rows) > 1:  # the same number in several lists on notice: the latest first
        rows.sort(key=lambda row: row[8], reverse=True)
    typed = name.encode()
    found = None
    for row in rows:
        # Every candidate row is compared, in constant time, whatever matched before.
        if hmac.compare_digest(row[0].encode(), typed) and found is None:
            found = row
    if found is None:
        return None
    return AdmissionMatch(*found[:8], visible_from=found[8])
