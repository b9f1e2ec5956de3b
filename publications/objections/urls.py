"""Public objection URLs, included from sunshine/urls.py before Wagtail's page serving."""

from django.urls import path

from . import views

app_name = "objections"

urlpatterns = [
    path("objections/", views.index, name="index"),
    path("objections/new/", views.new, name="new"),
    path("objections/<str:code>/", views.status, name="status"),
]
