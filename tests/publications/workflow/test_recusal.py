"""回避: a declared conflict with the disclosure or any row of its dataset blocks approval."""

import pytest

from publications.models import Recusal
from publications.workflow.recusal import exam_number_hmac

from .conftest import act, login_verified, messages_of, refresh, verified

pytestmark = pytest.mark.django_db


def actions_for(page, user):
    page = refresh(page)
    return page.current_workflow_task.get_actions(page, verified(user))


def test_recusal_from_the_disclosure_blocks_approval_and_says_why(client, submitted, people):
    Recusal.objects.create(user=people.reviewer1, page=submitted, relationship="亲属任职学校")
    assert actions_for(submitted, people.reviewer1) == []
    response = act(client, people.reviewer1, submitted, "approve")
    assert "您已申报回避" in " ".join(messages_of(response))
    assert refresh(submitted).current_workflow_task.name == "初审"


def test_recusal_for_a_candidate_by_name_and_school_blocks_a_list_naming_them(submitted, people):
    Recusal.objects.create(
        user=people.reviewer1,
        candidate_name="张三",
        candidate_school="洛阳市第一高级中学",
        relationship="外甥",
    )
    assert actions_for(submitted, people.reviewer1) == []
    assert actions_for(submitted, people.reviewer2) != []


def test_recusal_for_a_candidate_by_exam_number_matches_by_hmac(submitted, people):
    Recusal.objects.create(
        user=people.reviewer1,
        exam_number_hmac=exam_number_hmac("41030012345678"),
        exam_number_masked="**********5678",
        relationship="子女",
    )
    assert actions_for(submitted, people.reviewer1) == []


def test_a_recusal_for_someone_not_on_the_list_does_not_block(submitted, people):
    Recusal.objects.create(
        user=people.reviewer1,
        candidate_name="张三",
        candidate_school="另一所中学",
        relationship="同名不同人",
    )
    Recusal.objects.create(
        user=people.reviewer1,
        exam_number_hmac=exam_number_hmac("41030099999999"),
        relationship="子女",
    )
    assert actions_for(submitted, people.reviewer1) != []


def test_the_dashboard_tells_a_recused_member_why(client, submitted, people):
    Recusal.objects.create(user=people.reviewer1, page=submitted, relationship="亲属任职学校")
    login_verified(client, people.reviewer1)
    html = client.get("/admin/").content.decode()
    assert "我的待审批事项" in html
    assert "亲属任职学校" in html


def test_declaring_a_recusal_by_exam_number_stores_no_clear_number(client, people):
    login_verified(client, people.reviewer1)
    response = client.post(
        "/admin/recusals/", {"exam_number": "41030012345678", "relationship": "子女"}
    )
    assert response.status_code == 302
    recusal = Recusal.objects.get(user=people.reviewer1)
    assert recusal.exam_number_hmac == exam_number_hmac("41030012345678")
    assert "41030012345678" not in (recusal.exam_number_masked + recusal.relationship)
