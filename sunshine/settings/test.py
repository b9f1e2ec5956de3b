"""Tests: the same engines as base (DATABASE_URL switches to PostgreSQL), made fast and quiet."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
# A fixed key so HMAC expectations in tests are stable; never a real key.
IDENTIFIER_HMAC_KEY = "test-only-identifier-hmac-key"
# A fixed ledger signing key, generated once, so checkpoint signatures are reproducible.
LEDGER_SIGNING_KEY = "zm/zGvOYA9RNJRVI1k0z9dcK0CmHqdAsXg8esljnBtk="  # test only, never a real key
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Password hashing is deliberately slow; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run in the calling process, so a test sees their effects at once.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ts"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No manifest in tests: templates may refer to static files without collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SUNSHINE_ALLOW_DEMO = True
# The test client's host; a test asks with another allowed Host and expects this one back.
SUNSHINE_PUBLIC_BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SUNSHINE_PUBLIC_BASE_URL
# Static files come from the apps through the finders; no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Views use the embedded search engine; the search contract suite picks each engine itself.
SEARCH_ENGINE = "database"
# The next year's holiday calendar check (publications.W018) reads the wall clock and whatever
# database these settings point at: from 1 November it warns until the next year is entered,
# and chinesecalendar 1.11.0 (the newest release) stops at 2026, so on 2026-12-04 it would fail
# `make check`'s --fail-level WARNING for a fact about the calendar, not the code. Its tests
# pin the clock and call it directly (tests/publications/windows/test_calendar_check.py).
SILENCED_SYSTEM_CHECKS = ["publications.W018"]
