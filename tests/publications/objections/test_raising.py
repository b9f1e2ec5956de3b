"""Raising an objection on the public site: accepted in the window, refused otherwise,
bad input refused field by field with nothing stored, abuse resisted, output escaped."""

import hashlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from publications.objections.models import Objection, ObjectionEvent
from sunshine.models import OfficeSettings

from .conftest import AFTER, JPEG, PDF, PNG, valid_data

pytestmark = pytest.mark.django_db

NEW = "/objections/new/"


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST the form and run what would run on commit (the notification e-mail)."""

    def submit(client, data, **files):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(NEW, {**data, **files})

    return submit


def html(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    """The text of the form's error summary (empty if the form showed no errors)."""
    page = html(response)
    start = page.find('class="error-summary"')
    if start < 0 and response.status_code == 400:
        # Control characters are refused for the whole site before any form sees them
        # (sunshine/security.py), with their own Chinese message.
        return page
    return page[start : page.find("</div>", start)] if start >= 0 else ""


def test_the_form_is_reached_from_a_row_and_names_the_disclosure_and_the_row(
    client, clock, candidate_list, first_row
):
    response = client.get(NEW, {"disclosure": candidate_list.pk, "row": first_row.position})
    assert response.status_code == 200
    page = html(response)
    assert candidate_list.title in page
    assert f"第 {first_row.position} 行" in page and first_row.name in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<label for="id_phone">' in page


def test_an_objection_in_the_window_is_stored_with_a_code_shown_once_and_the_office_notified(
    post, client, clock, candidate_list, first_row
):
    response = post(client, valid_data(candidate_list, row=str(first_row.position)))
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.phone == "13812345678"  # normalised
    assert objection.entry == first_row
    assert response["Location"].startswith("/objections/")
    code_page = html(client.get(response["Location"]))
    assert "请妥善保存" in code_page or "查询码只显示这一次" in code_page
    assert "已收到" in code_page
    assert "查询码只显示这一次" not in html(client.get(response["Location"]))  # only once
    code = response["Location"].split("/")[2]
    assert len(code) == 32 and objection.code_hash == hashlib.sha256(code.encode()).hexdigest()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["office@exam.example.cn"]
    assert f"/admin/objections/{objection.pk}/" in message.body
    for personal in ("王五", "13812345678", "1234", "wangwu@example.com", "见义勇为"):
        assert personal not in message.body + message.subject


def test_the_office_mailbox_from_site_settings_is_used_when_no_address_is_configured(
    post, client, clock, candidate_list, settings
):
    settings.OBJECTION_NOTIFY_EMAILS = []
    office = OfficeSettings.for_site(candidate_list.get_site())
    office.complaint_email = "jubao@exam.example.cn"
    office.save()
    post(client, valid_data(candidate_list))
    assert mail.outbox[0].to == ["jubao@exam.example.cn"]


def test_an_objection_after_the_window_closes_is_refused_with_the_offices_channels(
    post, client, clock, candidate_list
):
    office = OfficeSettings.for_site(candidate_list.get_site())
    office.complaint_phone = "0371-65432199"
    office.complaint_email = "jubao@exam.example.cn"
    office.complaint_address = "郑州市金水区某路1号"
    office.save()
    clock.set(AFTER)
    for response in (
        client.get(NEW, {"disclosure": candidate_list.pk}),
        post(client, valid_data(candidate_list)),
    ):
        page = html(response)
        assert "公示期已结束" in page
        assert "0371-65432199" in page and "jubao@exam.example.cn" in page
        assert "郑州市金水区某路1号" in page
        assert "<form" not in page.split("<main")[1].split("</main>")[0]
    assert response.status_code == 403
    assert not Objection.objects.exists()
    assert mail.outbox == []


BAD_INPUT = [
    ({"name": ""}, "name", "请填写真实姓名"),
    ({"name": "王" * 51}, "name", "不能超过50个字符"),
    ({"name": "王\x07五"}, "name", "控制字符"),
    ({"phone": ""}, "phone", "请填写联系电话"),
    ({"phone": "1234567"}, "phone", "联系电话格式不正确"),
    ({"phone": "12812345678"}, "phone", "联系电话格式不正确"),
    ({"email": "not-an-email"}, "email", "电子邮箱格式不正确"),
    ({"content": ""}, "content", "请填写异议内容"),
    ({"content": "名单有问题。"}, "content", "至少20个字"),
    ({"content": "字" * 5001}, "content", "不能超过5000个字"),
    ({"disclosure": "999999"}, "disclosure", "未找到所涉公示"),
    ({"disclosure": "abc"}, "disclosure", "未找到所涉公示"),
    ({"row": "9999"}, "row", "没有第 9999 行"),
    ({"row": "第一行"}, "row", "行号应为正整数"),
    ({"website": "http://spam.example"}, "website", "提交未通过校验"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_bad_input_of_every_field_gives_a_clear_message_and_stores_nothing(
    post, client, clock, candidate_list, change, field, message
):
    response = post(client, valid_data(candidate_list, **change))
    assert response.status_code == 400
    assert message in error_summary(response)
    assert not Objection.objects.exists()
    assert not ObjectionEvent.objects.exists()
    assert mail.outbox == []


def test_a_field_error_is_tied_to_its_field_for_screen_readers(post, client, clock, candidate_list):
    page = html(post(client, valid_data(candidate_list, phone="123")))
    assert 'id="id_phone-error"' in page
    assert 'aria-describedby="id_phone-help id_phone-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'role="alert"' in page


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("evidence.pdf", b"<html><script>alert(1)</script></html>", "不是其中任何一种"),
        ("photo.exe", PNG, "文件名与内容不符"),
        ("photo.jpg", PNG, "文件名与内容不符"),
    ],
)
def test_an_attachment_lying_about_its_type_is_refused_and_no_file_is_written(
    post, client, clock, candidate_list, settings, filename, content, message
):
    upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
    response = post(client, valid_data(candidate_list), attachment=upload)
    assert response.status_code == 400
    assert message in error_summary(response)
    assert not Objection.objects.exists()
    root = settings.OBJECTION_ATTACHMENT_ROOT
    assert not root.exists() or not any(root.iterdir())


def test_an_oversized_attachment_is_refused(post, client, clock, candidate_list, settings):
    settings.OBJECTION_ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = post(client, valid_data(candidate_list), attachment=upload)
    assert response.status_code == 400
    assert "附件不能超过" in error_summary(response)
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [("a.pdf", PDF, "application/pdf"), ("b.jpg", JPEG, "image/jpeg"), ("c.png", PNG, "image/png")],
)
def test_a_true_attachment_is_stored_outside_public_media(
    post, client, clock, candidate_list, settings, filename, content, kind
):
    upload = SimpleUploadedFile(filename, content, content_type="text/html")
    assert post(client, valid_data(candidate_list), attachment=upload).status_code == 302
    objection = Objection.objects.get()
    assert objection.attachment_type == kind  # from the bytes, not from what the browser said
    stored = settings.OBJECTION_ATTACHMENT_ROOT / objection.attachment.name
    assert stored.read_bytes() == content
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        objection.attachment.url  # noqa: B018 — no public address exists


def test_a_post_without_the_csrf_token_is_refused(clock, candidate_list):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(NEW, valid_data(candidate_list))
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_submissions_past_the_limit_get_429_with_retry_after_and_other_channels(
    post, client, clock, candidate_list, settings
):
    settings.OBJECTION_SUBMIT_RATE = (2, 600)
    for _ in range(2):
        assert post(client, valid_data(candidate_list)).status_code == 302
    refused = post(client, valid_data(candidate_list))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "异议" in html(refused)
    assert Objection.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post(other, valid_data(candidate_list)).status_code == 302  # others not locked out


def test_a_script_in_the_content_comes_out_escaped(post, client, clock, candidate_list):
    script = "<script>alert('x')</script>"
    response = post(
        client,
        valid_data(candidate_list, content=script + "名单第1行考生的材料与事实不符，请核查。"),
    )
    assert response.status_code == 302
    response = post(client, valid_data(candidate_list, name=script, phone="bad"))
    assert script not in html(response)
    assert "&lt;script&gt;" in html(response)


def test_an_unknown_disclosure_in_the_link_is_a_404(client, clock, candidate_list):
    assert client.get(NEW, {"disclosure": 999999}).status_code == 404


def test_the_objections_page_lists_disclosures_on_notice(client, clock, candidate_list):
    page = html(client.get("/objections/"))
    assert candidate_list.title in page
    assert f"/objections/new/?disclosure={candidate_list.pk}" in page
    clock.set(AFTER)
    assert candidate_list.title not in html(client.get("/objections/"))
