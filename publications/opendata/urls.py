"""The open-data routes (contracts.md, "Open data"), included once from sunshine/urls.py,
before Wagtail's catch-all. `/api/v1/ledger/` stays the ledger's own include."""

from django.urls import path

from . import api, feed, openapi

app_name = "opendata"

urlpatterns = [
    path("feed.json", feed.feed, name="feed"),
    path("api/v1/disclosures/", api.disclosures, name="disclosures"),
    path("api/v1/disclosures/<int:pk>/", api.disclosure, name="disclosure"),
    path("api/v1/disclosures/<int:pk>/entries.json", api.entries_json, name="entries_json"),
    path("api/v1/disclosures/<int:pk>/entries.csv", api.entries_csv, name="entries_csv"),
    path("api/v1/tombstones/", api.tombstones, name="tombstones"),
    path("api/v1/issuers/", api.issuers, name="issuers"),
    path("api/v1/openapi.json", openapi.openapi_json, name="openapi"),
]
