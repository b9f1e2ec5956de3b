"""Redirects serve moved pages; a 404 from the JSON API is an answer and costs no lookup."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

pytestmark = pytest.mark.django_db


def test_a_moved_page_is_redirected(client):
    Redirect.objects.create(old_path="/old-notice", redirect_link="/lookup/", is_permanent=True)
    response = client.get("/old-notice/")
    assert response.status_code == 301 and response["Location"] == "/lookup/"


def test_a_lookup_that_finds_nothing_answers_404_without_looking_for_redirects(client):
    Redirect.objects.create(
        old_path="/api/v1/lookup/admission", redirect_link="/lookup/", is_permanent=True
    )
    params = {"exam_number": "25410101009999", "name": "无此人"}
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/lookup/admission", params)
    assert response.status_code == 404 and response.json()["found"] is False
    assert not [q for q in queries if "wagtailredirects" in q["sql"]]
