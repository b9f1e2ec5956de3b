"""The office handles objections in the admin; personal data only for handlers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from publications.objections import actions
from publications.objections.models import Objection, ObjectionEvent, ObjectionStatus

from .conftest import DURING, PDF, valid_data

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def raise_one(client, page, **files):
    response = client.post("/objections/new/", {**valid_data(page), **files})
    assert response.status_code == 302, response.content.decode()
    return Objection.objects.latest("pk"), response["Location"]


def admin_html(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def detail_url(objection):
    return f"/admin/objections/{objection.pk}/"


def step(client, objection, name, **fields):
    data = {"step": name, **{f"{name}-{key}": value for key, value in fields.items()}}
    return client.post(detail_url(objection), data)


def test_an_objection_lives_from_raising_to_an_answer_the_objector_reads(
    client, clock, candidate_list, people
):
    objection, status_url = raise_one(client, candidate_list)
    client.get(status_url)  # the one showing of the code
    assert "已收到" in client.get(status_url).content.decode()

    client.force_login(people.handler)
    step(client, objection, "assign", assignee=people.handler2.pk)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.HANDLING
    assert objection.assignee == people.handler2
    client.logout()
    assert "处理中" in client.get(status_url).content.decode()

    client.force_login(people.handler2)
    step(client, objection, "findings", findings="经核查，认定材料齐全，但现场证人证言与材料不符。")
    step(
        client,
        objection,
        "answer",
        outcome="upheld",
        answer="经调查核实，异议成立。已取消其加分资格。",
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED
    client.post(detail_url(objection), {"step": "close"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.CLOSED and objection.closed_at == DURING
    client.logout()

    public = client.get(status_url).content.decode()
    assert "已答复" in public and "已办结" in public
    assert "经调查核实，异议成立。已取消其加分资格。" in public
    assert "异议成立" in public
    for private in ("王五", "13812345678", "wangwu@example.com", "证人证言", "handler2"):
        assert private not in public
    assert list(objection.events.values_list("action", flat=True)) == [
        "received",
        "assigned",
        "findings",
        "answered",
        "closed",
    ]


def test_an_objection_is_closed_only_after_it_was_answered(clock, candidate_list, people, client):
    objection, _ = raise_one(client, candidate_list)
    with pytest.raises(actions.ObjectionActionError, match="须先答复"):
        actions.close(objection, people.handler, now=DURING)
    with pytest.raises(actions.ObjectionActionError, match="先指派"):
        actions.answer(objection, people.handler, "答复", "upheld", now=DURING)


def test_only_handlers_may_handle_or_be_assigned(clock, candidate_list, people, client):
    objection, _ = raise_one(client, candidate_list)
    with pytest.raises(actions.ObjectionActionError, match="没有办理异议的权限"):
        actions.assign(objection, people.editor, people.handler, now=DURING)
    with pytest.raises(actions.ObjectionActionError, match="承办人必须"):
        actions.assign(objection, people.handler, people.editor, now=DURING)
    client.force_login(people.inspector)
    refused = step(client, objection, "assign", assignee=people.handler.pk)
    assert refused.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED


def test_an_editor_without_the_right_sees_objections_but_no_personal_data(
    client, clock, candidate_list, people
):
    upload = SimpleUploadedFile("evidence.pdf", PDF)
    objection, _ = raise_one(client, candidate_list, attachment=upload)
    for url in ("/admin/objections/", detail_url(objection)):
        status, page = admin_html(client, people.editor, url)
        assert status == 200
        for private in (
            "王五",
            "13812345678",
            "138 1234 5678",
            "wangwu@example.com",
            "evidence.pdf",
        ):
            assert private not in page
    assert "见义勇为认定材料" in page  # the content itself is not the objector's personal data
    assert "只有异议办理人员可见" in page
    refused = client.get(f"{detail_url(objection)}attachment/")
    assert refused.status_code in (302, 403) and PDF not in refused.content


def test_the_inspector_sees_every_objection_and_its_record_read_only(
    client, clock, candidate_list, people
):
    objection, _ = raise_one(client, candidate_list)
    actions.assign(objection, people.handler, people.handler, now=DURING)
    status, page = admin_html(client, people.inspector, detail_url(objection))
    assert status == 200
    assert "指派承办人" in page and "handler" in page
    assert 'name="step"' not in page  # no handling forms
    assert "13812345678" not in page
    assert client.post(detail_url(objection), {"step": "close"}).status_code in (302, 403)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.HANDLING


def test_a_handler_sees_the_objectors_personal_data(client, clock, candidate_list, people):
    objection, _ = raise_one(client, candidate_list)
    status, page = admin_html(client, people.handler, detail_url(objection))
    assert status == 200
    assert "王五" in page and "13812345678" in page and "wangwu@example.com" in page


def test_people_without_the_view_permission_are_kept_out(client, clock, candidate_list, people):
    objection, _ = raise_one(client, candidate_list)
    client.force_login(people.reviewer)
    for url in ("/admin/objections/", detail_url(objection)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "13812345678" not in response.content.decode()


def test_the_attachment_is_served_to_handlers_only_as_a_download_that_is_never_sniffed(
    client, clock, candidate_list, people
):
    objection, _ = raise_one(client, candidate_list, attachment=SimpleUploadedFile("a.pdf", PDF))
    client.force_login(people.handler)
    response = client.get(f"{detail_url(objection)}attachment/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client.get(f"/media/{objection.attachment.name}").status_code == 404


def test_a_script_in_any_text_comes_out_escaped_on_every_page(
    client, clock, candidate_list, people, django_capture_on_commit_callbacks
):
    data = valid_data(
        candidate_list, name=SCRIPT, content=SCRIPT + "名单第1行考生的材料与事实不符，请核查。"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/objections/new/", data)
    status_url = response["Location"]
    objection = Objection.objects.get()
    actions.assign(objection, people.handler, people.handler, now=DURING)
    actions.record_findings(objection, people.handler, SCRIPT, now=DURING)
    actions.answer(objection, people.handler, SCRIPT + "答复", "not_upheld", now=DURING)
    pages = [client.get(status_url).content.decode()]
    for user in (people.handler, people.editor, people.inspector):
        client.force_login(user)
        pages += [
            client.get(url).content.decode()
            for url in ("/admin/objections/", detail_url(objection))
        ]
    for page in pages:
        assert SCRIPT not in page
    assert any("&lt;script&gt;" in page for page in pages[:1])
    assert ObjectionEvent.objects.filter(note__contains=SCRIPT).exists()


def test_an_unknown_tracking_code_is_a_404_and_tracking_pages_are_not_cached(
    client, clock, candidate_list
):
    _, status_url = raise_one(client, candidate_list)
    response = client.get("/objections/" + "a" * 32 + "/")
    assert response.status_code == 404
    assert "未找到该查询码" in response.content.decode()
    found = client.get(status_url)
    assert found["Cache-Control"] == "no-store"
    assert found["Referrer-Policy"] == "no-referrer"


def test_a_code_typed_with_dashes_and_capitals_finds_the_objection(client, clock, candidate_list):
    _, status_url = raise_one(client, candidate_list)
    code = status_url.split("/")[2]
    typed = "-".join(code[i : i + 4] for i in range(0, 32, 4)).upper()
    response = client.get("/objections/", {"code": typed})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_menu_offers_objections_to_those_who_may_see_them(client, people):
    _, editor_home = admin_html(client, people.editor, "/admin/")
    _, reviewer_home = admin_html(client, people.reviewer, "/admin/")
    assert "/admin/objections/" in editor_home
    assert "/admin/objections/" not in reviewer_home


def test_a_closed_objection_can_no_longer_be_changed(clock, candidate_list, people, client):
    objection, _ = raise_one(client, candidate_list)
    actions.assign(objection, people.handler, people.handler, now=DURING)
    actions.record_findings(objection, people.handler, "已核实。", now=DURING)
    actions.answer(objection, people.handler, "异议不成立。", "not_upheld", now=DURING)
    actions.close(objection, people.handler, now=DURING)
    with pytest.raises(actions.ObjectionActionError, match="已办结"):
        actions.answer(objection, people.handler, "改答复", "upheld", now=DURING)
    _, page = admin_html(client, people.handler, detail_url(objection))
    assert 'name="step"' not in page
