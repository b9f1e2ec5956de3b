"""Production: refuses to start without its secrets; `check --deploy` is clean."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403
from .base import env

REQUIRED_SECRETS = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "IDENTIFIER_HMAC_KEY",
    "SUNSHINE_PUBLIC_BASE_URL",
)
_missing = [name for name in REQUIRED_SECRETS if not env.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start without: " + ", ".join(_missing)
    )
if env.get("IDENTIFIER_HMAC_KEY") == env.get("SECRET_KEY"):
    raise ImproperlyConfigured("IDENTIFIER_HMAC_KEY must differ from SECRET_KEY.")

# Every absolute URL starts with it (base.py); in production it is the https address the public
# uses, and its host must be one Django serves.
SUNSHINE_PUBLIC_BASE_URL = env.base_url(env.get("SUNSHINE_PUBLIC_BASE_URL"))
WAGTAILADMIN_BASE_URL = SUNSHINE_PUBLIC_BASE_URL
_public = urlsplit(SUNSHINE_PUBLIC_BASE_URL)
if _public.scheme != "https":
    raise ImproperlyConfigured(
        "SUNSHINE_PUBLIC_BASE_URL must be an https:// address in production."
    )
if not validate_host(_public.hostname, ALLOWED_HOSTS):  # noqa: F405
    raise ImproperlyConfigured(
        f"The host of SUNSHINE_PUBLIC_BASE_URL ({_public.hostname}) is not in ALLOWED_HOSTS."
    )

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
