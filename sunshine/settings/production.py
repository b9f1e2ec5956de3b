"""Production: refuses to start without its secrets; `check --deploy` is clean."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

REQUIRED_SECRETS = ("SECRET_KEY", "ALLOWED_HOSTS", "IDENTIFIER_HMAC_KEY")
_missing = [name for name in REQUIRED_SECRETS if not env.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start without: " + ", ".join(_missing)
    )
if env.get("IDENTIFIER_HMAC_KEY") == env.get("SECRET_KEY"):
    raise ImproperlyConfigured("IDENTIFIER_HMAC_KEY must differ from SECRET_KEY.")

DEBUG = False
# LEDGER_SIGNING_KEY comes from the environment only (base.py). The site starts without it
# (read-only servers need no key), but publishing refuses, with a clear error, until it is set.
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")
