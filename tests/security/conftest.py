"""Fixtures of the security suite: hostile text, disclosures carrying it, routes still to come.

Surfaces built on other branches (objections, the open-data feed and API) are probed by
route: while the route answers 404 the test is skipped with the reason printed (`-ra`), and
it runs unchanged once the route exists.
"""

import io

import pytest
from django.test import Client

from disclosure.imports import import_file
from disclosure.models import CandidateListPage
from tests.factories import add_disclosure

# Each one breaks out of a different context if it is not escaped: element, attribute, URL.
SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = "\"><img src=x onerror=alert('xss')>"
PAYLOADS = (SCRIPT, ATTRIBUTE)
# What must never appear raw in HTML once the payloads were written somewhere.
RAW_MARKERS = ("<script>alert", "<img src=x onerror")

CANDIDATE_HEADER = "序号,姓名,性别,考生号,身份证号,所在中学,照顾类别,资格条件,加分分值,备注"
CANDIDATE_ROW = (
    "1,廖鑫,男,25410021000001,410302200706135831,{school},{category},经有关部门认定,5,{remarks}"
)


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def hostile_candidate_dataset(filename="名单.csv"):
    """A candidate list whose free-text cells carry script payloads."""
    row = CANDIDATE_ROW.format(
        school=csv_cell("洛阳市第四高级中学" + SCRIPT),
        category=csv_cell("见义勇为" + ATTRIBUTE),
        remarks=csv_cell("备注" + SCRIPT),
    )
    data = ("\ufeff" + CANDIDATE_HEADER + "\n" + row + "\n").encode("utf-8")
    return import_file(io.BytesIO(data), filename, "candidate_list")


def plain_candidate_dataset(name="廖鑫", school="洛阳市第四高级中学"):
    row = f"1,{name},男,25410021000001,410302200706135831,{school},见义勇为人员,经有关部门认定,5,"
    data = (CANDIDATE_HEADER + "\n" + row + "\n").encode("utf-8")
    return import_file(io.BytesIO(data), "plain.csv", "candidate_list")


ADMISSION_HEADER = "考生号,姓名,批次,科类,院校代码,院校名称,专业名称"


def admission_dataset(rows=(("25410052000000", "周娜"),)):
    """Admission results: (exam_number, name) rows, all admitted to 清华大学 法学."""
    lines = [ADMISSION_HEADER] + [
        f"{n},{name},本科批,历史类,10003,清华大学,法学" for n, name in rows
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return import_file(io.BytesIO(data), "results.csv", "admission_results")


@pytest.fixture
def hostile_list(db, django_capture_on_commit_callbacks):
    """A published candidate list, open now, with a payload in every field an editor writes."""
    with django_capture_on_commit_callbacks(execute=True):
        page = add_disclosure(
            CandidateListPage,
            title="加分名单" + SCRIPT,
            summary="摘要" + ATTRIBUTE,
            body="<p>正文</p>",
            list_type="bonus",
            dataset=hostile_candidate_dataset(),
        )
    return page


def route_exists(path: str) -> bool:
    return Client().get(path).status_code != 404


def require_route(path: str, what: str) -> None:
    if not route_exists(path):
        pytest.skip(f"{path} answers 404: {what} is not merged yet; this test runs once it is")


def assert_escaped(html: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"unescaped payload {marker!r} in the response"


def login_admin(client, user):
    """Sign `user` in to the admin with a verified second factor (as after TOTP login)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "t"})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def superuser(db):
    from publications import roles
    from tests.factories import make_user

    return make_user("sec-admin", roles.ADMINISTRATOR, is_superuser=True, is_staff=True)
