from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("lookup/", views.lookup, name="lookup"),
    path("api/v1/lookup/admission", views.api_admission, name="api_admission"),
    path("api/v1/lookup/candidate", views.api_candidate, name="api_candidate"),
]
