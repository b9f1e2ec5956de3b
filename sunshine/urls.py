from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from disclosure import views as disclosure_views
from publications.ledger import urls as ledger_urls
from sunshine.malformed import no_error_test

urlpatterns = [
    # Wagtail's page that raises on purpose is not served (sunshine/malformed.py, ADR 0019).
    path("admin/failwhale/", no_error_test),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("ledger/", include(ledger_urls.page_urls)),
    path("issuers/<int:pk>/", disclosure_views.issuer_page, name="issuer"),
    path("api/v1/ledger/", include(ledger_urls.api_urls)),
    path("", include("search.urls")),
    path("", include("publications.objections.urls")),
    path("", include("publications.opendata.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving comes last: it catches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
