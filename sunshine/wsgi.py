import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.settings.production")
_site = get_wsgi_application()  # sets Django up

from sunshine.lean import LeanHandler, LeanRoutes  # noqa: E402  (needs the settings above)
from sunshine.shedding import LookupGate  # noqa: E402

# The public JSON lookups through a shorter middleware chain, the rest as usual (ADR 0014);
# past capacity the lookups, and only they, are shed with a fast 503 (ADR 0017).
application = LeanRoutes(_site, LookupGate.from_settings(LeanHandler()))
