"""The ledger's routes, included from sunshine/urls.py before Wagtail's catch-all.

``page_urls`` under ``ledger/``; ``api_urls`` under ``api/v1/ledger/`` (namespace ``ledger_api``).
"""

from django.urls import path

from publications.ledger import views

page_urls = ([path("", views.ledger_page, name="page")], "ledger")

api_urls = (
    [
        path("", views.api_entries, name="entries"),
        path("entries/<int:seq>/", views.api_entry, name="entry"),
        path("public-key", views.api_public_key, name="public_key"),
        path("checkpoints/", views.api_checkpoints, name="checkpoints"),
        path("proof/inclusion", views.api_inclusion, name="inclusion"),
        path("proof/consistency", views.api_consistency, name="consistency"),
    ],
    "ledger_api",
)
