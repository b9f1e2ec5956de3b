"""Building blocks for tests: issuers, the disclosure tree, datasets imported from files."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from disclosure.models import DisclosureIndexPage, Issuer, IssuerLevel
from publications import roles
from sunshine.models import HomePage

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "samples"


def make_issuer(name="河南省教育考试院", level=IssuerLevel.PROVINCE, parent=None) -> Issuer:
    issuer, _ = Issuer.objects.get_or_create(name=name, defaults={"level": level, "parent": parent})
    return issuer


def disclosure_index() -> DisclosureIndexPage:
    existing = DisclosureIndexPage.objects.first()
    if existing:
        return existing
    home = HomePage.objects.first()
    index = DisclosureIndexPage(title="公示公告", slug="gongshi")
    home.add_child(instance=index)
    return index


def add_disclosure(page_class, *, publish=True, **fields):
    """Create a disclosure page under the index; publish it through the workflow unless told
    otherwise (there is no other road to the public)."""
    fields.setdefault("issuer", make_issuer())
    fields.setdefault("admission_year", 2025)
    fields.setdefault("slug", f"d-{Page.objects.count() + 1}")
    fields["live"] = False
    page = page_class(**fields)
    disclosure_index().add_child(instance=page)
    author = workflow_person("author", roles.EDITOR)
    page.save_revision(user=author)
    if publish:
        publish_through_workflow(page, author)
        page.refresh_from_db()
    return page


def workflow_person(username: str, role: str):
    """A member of `role` with a verified second factor (as after TOTP login)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    user = User.objects.filter(username=username).first() or make_user(username, role)
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "t"})
    user.otp_device = device
    user.is_verified = lambda: True
    return user


def publish_through_workflow(page, author):
    """Submit, then 初审 by one reviewer and 集体审定 by two members, as in the admin."""
    deciders = [
        workflow_person("wf-reviewer", roles.REVIEWER),
        workflow_person("wf-committee1", roles.COMMITTEE),
        workflow_person("wf-committee2", roles.COMMITTEE),
    ]
    page.get_workflow().start(page, author)
    for person in deciders:
        current = type(page).objects.get(pk=page.pk)
        current.current_workflow_task.on_action(
            current.current_workflow_task_state, person, "approve"
        )
    assert type(page).objects.get(pk=page.pk).live, "the workflow did not publish the page"


def make_user(username: str, *groups: str, password="pw-for-tests-123", **extra):
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def import_sample(name: str, kind: str):
    from disclosure.imports import import_file

    with open(SAMPLES / name, "rb") as handle:
        return import_file(handle, name, kind)
