"""Building blocks for tests: issuers, the disclosure tree, datasets imported from files."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from disclosure.models import DisclosureIndexPage, Issuer, IssuerLevel
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
    """Create a disclosure page under the index, published unless told otherwise."""
    fields.setdefault("issuer", make_issuer())
    fields.setdefault("admission_year", 2025)
    fields.setdefault("slug", f"d-{Page.objects.count() + 1}")
    page = page_class(**fields)
    disclosure_index().add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def make_user(username: str, *groups: str, password="pw-for-tests-123", **extra):
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def import_sample(name: str, kind: str):
    from disclosure.imports import import_file

    with open(SAMPLES / name, "rb") as handle:
        return import_file(handle, name, kind)
