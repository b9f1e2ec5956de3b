"""Public counts per disclosure, and personal data purged after the retention period."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template

from publications.objections import actions
from publications.objections.counts import objection_counts
from publications.objections.models import Objection

from .conftest import DURING, PNG

pytestmark = pytest.mark.django_db


def raise_objection(page, **extra):
    return actions.raise_objection(
        page,
        name="王五",
        phone="13812345678",
        email="wangwu@example.com",
        content="名单第1行考生的见义勇为认定材料与事实不符，请核查。",
        now=DURING,
        **extra,
    ).objection


def answered(objection, handler):
    actions.assign(objection, handler, handler, now=DURING)
    actions.record_findings(objection, handler, "已核实。", now=DURING)
    actions.answer(objection, handler, "异议不成立。", "not_upheld", now=DURING)


def render_counts(page) -> str:
    template = Template('{% include "publications/objections/counts.html" with page=page %}')
    return template.render(Context({"page": page}))


def test_each_disclosure_shows_how_many_objections_were_received_and_answered(
    candidate_list, people
):
    assert objection_counts(candidate_list).received == 0
    first, second, _third = (raise_objection(candidate_list) for _ in range(3))
    answered(first, people.handler)
    answered(second, people.handler)
    actions.close(second, people.handler, now=DURING)
    counts = objection_counts(candidate_list)
    assert (counts.received, counts.answered, counts.pending) == (3, 2, 1)
    html = render_counts(candidate_list)
    assert "已收到异议 <strong>3</strong> 件" in html
    assert "已答复 <strong>2</strong> 件" in html
    assert "王五" not in html and "13812345678" not in html


def test_counts_are_per_disclosure(candidate_list, people):
    raise_objection(candidate_list)
    assert objection_counts(candidate_list.pk).received == 1
    assert objection_counts(candidate_list.pk + 1000).received == 0


@pytest.fixture
def closed_with_attachment(candidate_list, people, settings, clock):
    upload = SimpleUploadedFile("photo.png", PNG)
    objection = raise_objection(candidate_list, attachment=upload, attachment_type="image/png")
    answered(objection, people.handler)
    actions.close(objection, people.handler, now=DURING)
    stored = settings.OBJECTION_ATTACHMENT_ROOT / objection.attachment.name
    assert stored.exists()
    return objection, stored


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_objections", *args, stdout=out)
    return out.getvalue()


def test_personal_data_is_kept_until_the_retention_period_after_closing_has_run(
    closed_with_attachment, clock, settings, django_capture_on_commit_callbacks
):
    objection, stored = closed_with_attachment
    settings.OBJECTION_RETENTION_DAYS = 365
    clock.set(DURING + timedelta(days=365) - timedelta(seconds=1))
    assert "已删除 0 件" in purge()
    objection.refresh_from_db()
    assert objection.phone == "13812345678" and stored.exists()

    clock.set(DURING + timedelta(days=365))
    with django_capture_on_commit_callbacks(execute=True):
        assert f"已删除 1 件异议的异议人个人信息（办结满 365 天）：#{objection.pk}" in purge()
    objection.refresh_from_db()
    assert (objection.name, objection.phone, objection.email, objection.attachment.name) == (
        "",
        "",
        "",
        "",
    )
    assert objection.personal_data_purged_at == DURING + timedelta(days=365)
    assert not stored.exists()
    assert objection.answer == "异议不成立。"  # the record of the answer stays
    assert objection.events.filter(action="purged").count() == 1
    assert "已删除 0 件" in purge()  # idempotent


def test_a_dry_run_purges_nothing(closed_with_attachment, clock):
    objection, stored = closed_with_attachment
    clock.set(DURING + timedelta(days=400))
    assert f"将删除 1 件异议的异议人个人信息（办结满 365 天）：#{objection.pk}" in purge(
        "--dry-run"
    )
    objection.refresh_from_db()
    assert objection.phone == "13812345678" and stored.exists()


def test_an_objection_not_yet_closed_is_never_purged(candidate_list, people, clock):
    objection = raise_objection(candidate_list)
    answered(objection, people.handler)
    clock.set(DURING + timedelta(days=3650))
    purge()
    assert Objection.objects.get(pk=objection.pk).phone == "13812345678"
