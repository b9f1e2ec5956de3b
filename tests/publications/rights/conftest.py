"""A province → city → two sibling counties, people of each, and a draft of each county.

Every enforcement test is tried as an editor of the sibling county (refused, learns nothing)
and as an editor of the parent city (allowed), against county A's content.
"""

from types import SimpleNamespace

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from disclosure.models import IssuerLevel, PolicyPage
from publications import roles
from tests.factories import disclosure_index, join, make_issuer, make_user

DRAFT_A = "西工区 加分照顾政策 草稿 仅西工区可见"
DRAFT_B = "涧西区 加分照顾政策 草稿"


@pytest.fixture
def tree(db):
    province = make_issuer("河南省教育考试院", IssuerLevel.PROVINCE)
    city = make_issuer("洛阳市招生考试中心", IssuerLevel.CITY, province)
    county_a = make_issuer("洛阳市西工区招生办公室", IssuerLevel.COUNTY, city)
    county_b = make_issuer("洛阳市涧西区招生办公室", IssuerLevel.COUNTY, city)
    return SimpleNamespace(province=province, city=city, a=county_a, b=county_b)


def person(username, role, issuer, **extra):
    user = make_user(username, role, issuer=issuer, **extra)
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "t", "confirmed": True})
    return user


@pytest.fixture
def people(tree):
    return SimpleNamespace(
        editor_a=person("editor-a", roles.EDITOR, tree.a),
        editor_b=person("editor-b", roles.EDITOR, tree.b),
        editor_city=person("editor-city", roles.EDITOR, tree.city),
        reviewer_a=person("reviewer-a", roles.REVIEWER, tree.a),
        reviewer_b=person("reviewer-b", roles.REVIEWER, tree.b),
        reviewer_city=person("reviewer-city", roles.REVIEWER, tree.city),
        committee_a1=person("committee-a1", roles.COMMITTEE, tree.a),
        committee_a2=person("committee-a2", roles.COMMITTEE, tree.a),
        committee_a3=person("committee-a3", roles.COMMITTEE, tree.a),
        committee_b=person("committee-b", roles.COMMITTEE, tree.b),
        committee_city=person("committee-city", roles.COMMITTEE, tree.city),
        inspector_a=person("inspector-a", roles.INSPECTOR, tree.a),
        inspector_b=person("inspector-b", roles.INSPECTOR, tree.b),
        inspector_city=person("inspector-city", roles.INSPECTOR, tree.city),
        admin=person("platform-admin", roles.ADMINISTRATOR, tree.province),
    )


def draft(title, issuer, author, slug):
    page = PolicyPage(title=title, slug=slug, issuer=issuer, admission_year=2026, live=False)
    page.owner = author
    disclosure_index().add_child(instance=page)
    page.save_revision(user=author)
    return PolicyPage.objects.get(pk=page.pk)


@pytest.fixture
def drafts(tree, people):
    return SimpleNamespace(
        a=draft(DRAFT_A, tree.a, people.editor_a, "draft-a"),
        b=draft(DRAFT_B, tree.b, people.editor_b, "draft-b"),
    )


def login(client, user):
    """Logged in with a verified second factor, as after TOTP."""
    join(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client
