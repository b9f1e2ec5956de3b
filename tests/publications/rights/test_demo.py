"""`make run`'s demo: two counties under one city, each with its own editor, reviewer and
committee, and `load_demo` says which account belongs where."""

import io

import pytest
from django.core.management import call_command

from disclosure.models import Issuer, IssuerLevel
from publications import roles
from publications.rights import access
from publications.rights.models import IssuerMembership

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_counties_under_one_city_each_with_its_own_people():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    city = Issuer.objects.get(name="洛阳市招生考试中心")
    counties = Issuer.objects.filter(parent=city, level=IssuerLevel.COUNTY)
    assert counties.count() >= 2
    for county in counties:
        members = IssuerMembership.objects.filter(issuer=county).select_related("user")
        held = {group.name for m in members for group in m.user.groups.all()}
        assert {roles.EDITOR, roles.REVIEWER, roles.COMMITTEE} <= held, county
    printed = out.getvalue()
    for line in ("xigong-editor", "jianxi-committee1", "洛阳市涧西区招生办公室"):
        assert line in printed
    # the original accounts stay province-wide
    editor = IssuerMembership.objects.get(user__username="editor")
    assert editor.issuer.name == "河南省教育考试院"
    xigong = IssuerMembership.objects.get(user__username="xigong-editor").user
    jianxi = Issuer.objects.get(name="洛阳市涧西区招生办公室")
    assert not access.can_act_on(xigong, jianxi)
    # idempotent
    call_command("load_demo", stdout=io.StringIO())
    assert IssuerMembership.objects.filter(user__username="xigong-editor").count() == 1
