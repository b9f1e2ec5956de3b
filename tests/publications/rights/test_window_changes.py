"""Window changes (公示期变更) are decided by the publishing issuer, like the review itself.

Bad inputs tried: a sibling county's reviewer and the parent city's reviewer approving a county's
window change; a sibling county's reviewer posting the decision URL with the change's id, with a
non-numeric id, and listing the changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from publications.windows.actions import (
    WindowActionRefused,
    approve_window_change,
    request_window_change,
)
from publications.windows.models import WindowChange
from tests.factories import open_window
from tests.publications.opendata.conftest import publish_list

from .conftest import login

REASON = "因部分考生提出异议，延长公示期以便核查处理。"
TITLE = "西工区 2027年加分照顾考生名单 公示期变更"


@pytest.fixture
def change(tree, people):
    page = publish_list(TITLE, issuer=tree.a, **open_window(days=40))
    return request_window_change(
        page,
        user=people.editor_a,
        opens_at=page.window_opens_at,
        closes_at=page.window_closes_at + timedelta(days=7),
        reason=REASON,
        now=timezone.now(),
    )


@pytest.mark.parametrize("outsider", ["reviewer_b", "reviewer_city", "committee_city"])
def test_only_the_publishing_issuers_own_reviewers_decide_its_window_change(
    change, people, outsider
):
    with pytest.raises(WindowActionRefused, match="发布该公示的机构本机构"):
        approve_window_change(change, user=getattr(people, outsider), now=timezone.now())
    assert WindowChange.objects.get(pk=change.pk).status == WindowChange.Status.PENDING


def test_the_publishing_issuers_reviewer_decides_its_window_change(change, people):
    approved = approve_window_change(change, user=people.reviewer_a, now=timezone.now())
    assert approved.status == WindowChange.Status.APPROVED


def test_a_sibling_county_neither_sees_nor_decides_another_countys_window_change(
    client, change, people
):
    url = reverse("publications_window_changes")
    login(client, people.reviewer_b)
    listing = client.get(url).content.decode()
    assert TITLE not in listing and REASON not in listing
    for posted in (str(change.pk), "x"):
        response = client.post(url, {"change": posted, "decision": "approve"})
        assert response.status_code == 404
    assert WindowChange.objects.get(pk=change.pk).status == WindowChange.Status.PENDING


def test_the_county_and_the_city_above_it_see_the_countys_window_change(client, change, people):
    url = reverse("publications_window_changes")
    for user in (people.reviewer_a, people.reviewer_city):
        login(client, user)
        assert TITLE in client.get(url).content.decode()
