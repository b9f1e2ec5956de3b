"""Reviewers and committee members act only with a verified second factor; logins throttle."""

import re

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import action_url, make_user, messages_of, refresh

pytestmark = pytest.mark.django_db


def test_approving_without_a_verified_second_factor_is_refused_with_a_message(
    client, submitted, people
):
    client.force_login(people.reviewer1)
    response = client.post(action_url(submitted, "approve"), {})
    assert "须完成二次验证" in " ".join(messages_of(response))
    assert refresh(submitted).current_workflow_task.name == "初审"


def test_enrolment_shows_the_secret_and_a_qr_code_and_a_valid_token_verifies(client, db):
    user = make_user("newreviewer", "初审人员")
    TOTPDevice.objects.filter(user=user).delete()
    client.force_login(user)
    html = client.get("/admin/second-factor/").content.decode()
    assert "<svg" in html
    secret = re.search(r"密钥：<code>([A-Z2-7=]+)</code>", html).group(1)
    device = TOTPDevice.objects.get(user=user)
    token = f"{totp(device.bin_key):06d}"
    response = client.post("/admin/second-factor/", {"token": token})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert secret
    assert client.session.get("otp_device_id") == device.persistent_id


def test_a_wrong_token_does_not_verify(client, people):
    client.force_login(people.reviewer1)
    response = client.post("/admin/second-factor/", {"token": "000000"})
    assert "口令不正确" in response.content.decode()
    assert "otp_device_id" not in client.session


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _errors(response):
    html = response.content.decode()
    html = re.sub(r'"CSRF_TOKEN": "[^"]+"', "", html)
    return re.sub(r'value="[^"]*"', "", html)


def test_failed_logins_are_throttled_alike_for_known_and_unknown_users(client, people, settings):
    cache.clear()
    settings.SUNSHINE_LOGIN_FAILURE_LIMIT = 3
    known = [_login(client, "reviewer1", "wrong") for _ in range(4)]
    unknown = [_login(client, "nobody-here", "wrong") for _ in range(4)]
    assert "登录失败次数过多" not in known[0].content.decode()
    assert "登录失败次数过多" in known[3].content.decode()
    assert "登录失败次数过多" in unknown[3].content.decode()
    # same message, same page, apart from the typed username
    assert _errors(known[0]).replace("reviewer1", "X") == _errors(unknown[0]).replace(
        "nobody-here", "X"
    )
    assert _errors(known[3]).replace("reviewer1", "X") == _errors(unknown[3]).replace(
        "nobody-here", "X"
    )
    # even the right password is refused while throttled
    assert _login(client, "reviewer1", "pw").status_code == 200
    # another client is not throttled by these failures
    assert _login(client, "reviewer1", "pw", ip="10.0.0.2").status_code == 302
    cache.clear()
