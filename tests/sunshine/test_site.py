"""The public home page, the admin login and the demo content of `make run`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosure.models import Issuer

pytestmark = pytest.mark.django_db


def test_home_page_is_served_in_chinese_with_the_objection_channels_in_the_footer(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "正在公示" in html
    footer = html[html.index('<footer class="site-footer">') :]
    assert "异议、举报渠道" in footer
    assert "0371-00000000" in footer
    assert "jubao@demo.invalid" in footer
    assert "河南省郑州市金水区演示路1号" in footer


def test_home_page_says_so_when_no_objection_channel_is_published(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "本机构尚未公布举报渠道" in response.content.decode()


def test_admin_login_page_is_in_chinese(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.parametrize(
    "username",
    [
        "editor",
        "reviewer1",
        "reviewer2",
        "committee1",
        "committee2",
        "committee3",
        "inspector",
        "admin",
    ],
)
def test_each_demo_account_logs_in_to_the_admin(client, demo, username):
    response = client.post("/admin/login/", {"username": username, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/admin/").status_code == 200


def test_a_wrong_password_does_not_log_in(client, demo):
    response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_load_demo_is_idempotent(db, capsys):
    call_command("load_demo")
    counts = (get_user_model().objects.count(), Issuer.objects.count())
    call_command("load_demo")
    assert (get_user_model().objects.count(), Issuer.objects.count()) == counts
    assert "editor" in capsys.readouterr().out


def test_demo_issuers_form_the_province_city_county_school_hierarchy(demo):
    school = Issuer.objects.get(level="school")
    chain = []
    node = school
    while node:
        chain.append(node.level)
        node = node.parent
    assert chain == ["school", "county", "city", "province"]


def test_load_demo_is_refused_where_settings_do_not_allow_it(db, settings):
    settings.SUNSHINE_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="开发环境"):
        call_command("load_demo")


def test_the_demo_has_a_candidate_list_in_each_window_status(demo):
    from django.utils import timezone

    from disclosure.models import CandidateListPage
    from publications.windows.pages import page_window

    now = timezone.now()
    statuses = {page_window(p, now).label for p in CandidateListPage.objects.all()}
    assert statuses == {"待公示", "公示中", "公示期满", "已撤下"}
