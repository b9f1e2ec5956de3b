"""Importing through the admin: upload, background import, report or preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Dataset, ImportJob
from publications import roles
from tests.factories import SAMPLES, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("editor", roles.EDITOR))
    return client


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """The upload queues its import on commit; tests run inside a transaction."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def upload(client, name, kind="candidate_list", content=None):
    data = content if content is not None else (SAMPLES / name).read_bytes()
    with _capture(execute=True):
        return client.post(
            "/admin/imports/", {"kind": kind, "file": SimpleUploadedFile(name, data)}
        )


def test_an_editor_uploads_a_gbk_file_and_sees_the_preview_and_counts(editor_client):
    response = upload(editor_client, "candidate_list_gbk_excel.csv")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/imports/{job.pk}/"
    assert job.status == ImportJob.Status.SUCCEEDED
    page = editor_client.get(response.url).content.decode()
    assert "导入成功：60 行" in page
    assert "廖鑫" in page  # preview of the first rows
    assert "见义勇为人员" in page  # counts by category
    assert "25410021000001" not in page  # identifiers only masked


def test_a_bad_file_shows_the_full_error_report_in_chinese_and_stores_nothing(editor_client):
    response = upload(editor_client, "candidate_list_bad_rows.csv")
    page = editor_client.get(response.url).content.decode()
    assert "文件未导入，未保存任何数据" in page
    assert "错误报告" in page
    assert "性别" in page
    assert Dataset.objects.count() == 0


def test_the_uploaded_file_is_deleted_after_import(editor_client):
    upload(editor_client, "candidate_list_utf8.csv")
    job = ImportJob.objects.get()
    assert not job.upload


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.txt", b"a,b\n", "只接受 .csv 或 .xlsx 文件"),
        ("empty.csv", b"", "为空"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_queue_nothing(
    editor_client, name, content, message
):
    response = upload(editor_client, name, content=content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_user_without_the_import_right_is_refused(client):
    client.force_login(make_user("reader", roles.REVIEWER))
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    refused = client.get("/admin/imports/")
    assert (refused.status_code, refused.url) == (302, "/admin/")
    refused = upload(client, "candidate_list_utf8.csv")
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert ImportJob.objects.count() == 0


def test_an_editor_cannot_see_another_editors_import(editor_client, client):
    upload(editor_client, "candidate_list_utf8.csv")
    job = ImportJob.objects.get()
    other = make_user("editor2", roles.EDITOR)
    editor_client.force_login(other)
    assert editor_client.get(f"/admin/imports/{job.pk}/").status_code == 404
