"""Objections to a county's list are handled by that county and those above it; a sibling
county's handler neither sees nor counts nor changes them."""

import hashlib
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.imports import import_file
from disclosure.models import CandidateListPage, CandidateListType
from publications.objections import actions
from publications.objections.models import HANDLER_GROUP, Objection, ObjectionStatus
from tests.factories import add_disclosure

from .conftest import login, person

pytestmark = pytest.mark.django_db

LIST_A = "西工区 加分照顾考生名单 公示"
CONTENT = "名单第1行考生的认定材料与事实不符，请予核实。此为西工区异议内容。"
ROWS = (
    "序号,姓名,性别,所在中学,照顾类别,资格条件,加分分值,备注\n"
    "1,廖鑫,男,洛阳市第四高级中学,见义勇为人员,经有关部门认定,5,\n"
)


@pytest.fixture
def handlers(tree):
    return {
        "a": person("handler-a", HANDLER_GROUP, tree.a),
        "b": person("handler-b", HANDLER_GROUP, tree.b),
        "city": person("handler-city", HANDLER_GROUP, tree.city),
    }


@pytest.fixture
def objection(tree):
    dataset = import_file(io.BytesIO(ROWS.encode()), "名单.csv", "candidate_list")
    page = add_disclosure(
        CandidateListPage,
        title=LIST_A,
        list_type=CandidateListType.BONUS,
        dataset=dataset,
        issuer=tree.a,
    )
    return Objection.objects.create(
        disclosure=page,
        code_hash=hashlib.sha256(b"code").hexdigest(),
        received_at=timezone.now(),
        content=CONTENT,
    )


def test_a_sibling_countys_handler_does_not_see_or_count_the_objection(client, objection, handlers):
    login(client, handlers["b"])
    listing = client.get(reverse("publications_objections:index"))
    assert listing.status_code == 200
    assert LIST_A not in listing.content.decode()
    assert listing.context["objections"].count() == 0
    for name in ("detail", "attachment"):
        response = client.get(reverse(f"publications_objections:{name}", args=(objection.pk,)))
        assert response.status_code == 404, name
        assert CONTENT not in response.content.decode()


def test_a_parent_citys_handler_sees_the_objection(client, objection, handlers):
    login(client, handlers["city"])
    assert LIST_A in client.get(reverse("publications_objections:index")).content.decode()
    detail = client.get(reverse("publications_objections:detail", args=(objection.pk,)))
    assert detail.status_code == 200
    assert CONTENT in detail.content.decode()


def test_posting_a_handling_step_for_another_countys_objection_changes_nothing(
    client, objection, handlers
):
    url = reverse("publications_objections:detail", args=(objection.pk,))
    login(client, handlers["b"])
    for data in (
        {"step": "assign", "assign-assignee": handlers["b"].pk},
        {"step": "findings", "findings-findings": "已核实"},
        {"step": "close"},
    ):
        assert client.post(url, data).status_code == 404
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED
    assert objection.assignee is None and objection.findings == ""
    assert not objection.events.exists()


def test_the_actions_refuse_another_countys_handler_when_called_from_code(objection, handlers):
    with pytest.raises(actions.ObjectionActionError, match="其他发布机构"):
        actions.assign(objection, handlers["b"], handlers["b"], now=timezone.now())
    actions.assign(objection, handlers["city"], handlers["a"], now=timezone.now())
    with pytest.raises(actions.ObjectionActionError, match="其他发布机构"):
        actions.record_findings(objection, handlers["b"], "已核实", now=timezone.now())
    actions.record_findings(objection, handlers["city"], "已核实", now=timezone.now())
    assert Objection.objects.get(pk=objection.pk).findings == "已核实"


def test_only_handlers_reaching_the_county_can_be_chosen_as_assignee(client, objection, handlers):
    url = reverse("publications_objections:detail", args=(objection.pk,))
    login(client, handlers["a"])
    page = client.get(url).content.decode()
    assert "handler-city" in page and "handler-a" in page
    assert "handler-b" not in page
    response = client.post(url, {"step": "assign", "assign-assignee": handlers["b"].pk})
    assert "请选择本机构或上级机构的承办人" in response.content.decode()
    assert Objection.objects.get(pk=objection.pk).assignee is None
    with pytest.raises(actions.ObjectionActionError, match="本机构或上级机构"):
        actions.assign(objection, handlers["a"], handlers["b"], now=timezone.now())
