"""The import upload belongs to an issuer: only that issuer and those above it see the job,
its report and its dataset (in the page editor's dataset chooser too)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure.models import ImportJob
from publications.rights.models import UploadIssuer

from .conftest import login

pytestmark = pytest.mark.django_db

FILENAME = "西工区加分名单.csv"
ROWS = (
    "序号,姓名,性别,所在中学,照顾类别,资格条件,加分分值,备注\n"
    "1,廖鑫,男,洛阳市第四高级中学,见义勇为人员,经有关部门认定,5,\n"
).encode()


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(user, **extra):
        login(client, user)
        data = {"kind": "candidate_list", "file": SimpleUploadedFile(FILENAME, ROWS), **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/admin/imports/", data)

    return post


def may_view_every_job(*users):
    permission = Permission.objects.get(codename="view_importjob")
    for user in users:
        user.user_permissions.add(permission)


def test_an_upload_belongs_to_the_uploaders_only_issuer_by_default(upload, people, tree):
    response = upload(people.editor_a)
    assert response.status_code == 302
    assert UploadIssuer.objects.get().issuer == tree.a


def test_uploading_for_another_county_is_refused_in_chinese_and_stores_nothing(
    upload, people, tree
):
    response = upload(people.editor_b, issuer=tree.a.pk)
    assert response.status_code == 400
    assert "只能为您所属的发布机构或其下级机构导入数据" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not UploadIssuer.objects.exists()


def test_a_parent_city_may_upload_for_a_county_below_it(upload, people, tree):
    assert upload(people.editor_city, issuer=tree.a.pk).status_code == 302
    assert UploadIssuer.objects.get().issuer == tree.a


def test_a_sibling_county_cannot_see_the_job_even_with_the_right_to_see_every_job(
    client, upload, people
):
    may_view_every_job(people.editor_b, people.editor_city)
    upload(people.editor_a)
    job = ImportJob.objects.get()
    login(client, people.editor_b)
    assert FILENAME not in client.get("/admin/imports/").content.decode()
    assert client.get(f"/admin/imports/{job.pk}/").status_code == 404
    login(client, people.editor_city)
    assert FILENAME in client.get("/admin/imports/").content.decode()
    assert client.get(f"/admin/imports/{job.pk}/").status_code == 200


def test_the_page_editor_offers_no_sibling_countys_dataset(client, upload, people, drafts):
    upload(people.editor_a)
    dataset = ImportJob.objects.get().dataset
    index = drafts.a.get_parent()
    url = reverse("wagtailadmin_pages:add", args=("disclosure", "candidatelistpage", index.pk))
    login(client, people.editor_b)
    form = client.get(url).context["form"]
    assert dataset not in form.fields["dataset"].queryset
    login(client, people.editor_city)
    assert dataset in client.get(url).context["form"].fields["dataset"].queryset
