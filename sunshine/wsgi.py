import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.settings.production")
_site = get_wsgi_application()  # sets Django up

from sunshine.lean import LeanRoutes  # noqa: E402  (needs the settings configured above)

# The public JSON lookups through a shorter middleware chain, the rest as usual (ADR 0014).
application = LeanRoutes(_site)
