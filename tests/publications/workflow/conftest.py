"""People, a disclosure index and disclosures under review, for the workflow rules."""

import hashlib
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page

from disclosure.models import (
    CandidateEntry,
    CandidateListPage,
    Dataset,
    DatasetKind,
    DisclosureIndexPage,
    Issuer,
    IssuerLevel,
)
from publications import roles
from publications.workflow.recusal import exam_number_hmac
from tests.factories import open_window

PEOPLE = {
    "editor": roles.EDITOR,
    "editor2": roles.EDITOR,
    "reviewer1": roles.REVIEWER,
    "reviewer2": roles.REVIEWER,
    "committee1": roles.COMMITTEE,
    "committee2": roles.COMMITTEE,
    "committee3": roles.COMMITTEE,
    "inspector": roles.INSPECTOR,
}


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def verified(user):
    """A user as django-otp's middleware leaves it after a verified second factor."""
    user.otp_device = TOTPDevice.objects.get(user=user)
    user.is_verified = lambda: True
    return user


def login_verified(client, user):
    """Log the client in with a session whose second factor is verified."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def people(db, issuer):
    """Everyone belongs to the test issuer (approvals count only from its members)."""
    from tests.factories import join

    users = {name: join(make_user(name, role), issuer) for name, role in PEOPLE.items()}
    users["admin"] = make_user("admin", roles.ADMINISTRATOR, is_superuser=True, is_staff=True)
    return SimpleNamespace(**users)


@pytest.fixture
def index(db):
    home = Page.objects.get(depth=2)
    existing = DisclosureIndexPage.objects.first()
    if existing:
        return existing
    return home.add_child(instance=DisclosureIndexPage(title="公示公告", slug="gongshi"))


@pytest.fixture
def issuer(db):
    return Issuer.objects.create(name="测试考试院", level=IssuerLevel.PROVINCE)


def make_dataset(rows):
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    dataset = Dataset.objects.create(
        kind=DatasetKind.CANDIDATE_LIST,
        source_filename="名单.csv",
        source_size=100,
        source_sha256=digest,
        source_format="csv",
        row_count=len(rows),
        content_sha256=digest,
        public_sha256=digest,
    )
    CandidateEntry.objects.bulk_create(
        CandidateEntry(
            dataset=dataset,
            position=i,
            source_row=i + 1,
            name=name,
            school=school,
            category="加分照顾",
            exam_number_hmac=exam_number_hmac(number) if number else "",
            exam_number_masked="**********" + number[-4:] if number else "",
        )
        for i, (name, school, number) in enumerate(rows)
    )
    return dataset


@pytest.fixture
def make_disclosure(index, issuer, people):
    def make(title="2026年加分照顾考生名单", owner=None, rows=None):
        dataset = make_dataset(rows or [("张三", "洛阳市第一高级中学", "41030012345678")])
        page = CandidateListPage(
            title=title,
            issuer=issuer,
            admission_year=2026,
            list_type="bonus",
            dataset=dataset,
            live=False,
            owner=owner or people.editor,
            **open_window(),
        )
        index.add_child(instance=page)
        page.save_revision(user=owner or people.editor)
        return page

    return make


@pytest.fixture
def submitted(make_disclosure, people):
    """A disclosure the editor wrote and submitted: waiting at 初审."""
    page = make_disclosure()
    page.get_workflow().start(page, people.editor)
    return refresh(page)


def refresh(page):
    return type(page).objects.get(pk=page.pk)


def action_url(page, action):
    state = refresh(page).current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))


def act(client, user, page, action, comment=""):
    login_verified(client, user)
    return client.post(action_url(page, action), {"comment": comment})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]
