"""Development: the embedded default, DEBUG on, console e-mail, demo content allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost"]
IDENTIFIER_HMAC_KEY = env.get("IDENTIFIER_HMAC_KEY") or "dev-only-identifier-hmac-key"
# Generated once for development; public in the repository, so it proves nothing.
LEDGER_SIGNING_KEY = (
    env.get("LEDGER_SIGNING_KEY") or "WAzVQmi1GXiizzd7GIpw1JU8sQZK6yi85OzDsMDi9xs="  # dev only
)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SUNSHINE_ALLOW_DEMO = True
STORAGES = {
    **STORAGES,  # noqa: F405
    # No collectstatic needed in development; runserver serves app static files.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the apps through the finders; no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
