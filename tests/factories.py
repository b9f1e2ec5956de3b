"""Building blocks for tests: issuers, the disclosure tree, datasets imported from files."""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from disclosure.models import CandidateListPage, DisclosureIndexPage, Issuer, IssuerLevel
from publications import roles
from sunshine.models import HomePage

SAMPLES = next(
    (
        parent / "shared" / "data" / "samples"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "data" / "samples").is_dir()
    ),
    Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "samples",
)


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


def ensure_calendar_covers(*years: int) -> None:
    """Tests run on real dates: years past the chinese-calendar package (2026) get a
    test-only entry (New Year's Day off), as an office would enter the announced year."""
    from publications.rules.workdays import WorkdayCalendar
    from publications.windows.models import HolidayYear

    package_years = WorkdayCalendar.from_chinese_calendar().years
    for year in years:
        if year not in package_years:
            HolidayYear.objects.get_or_create(
                year=year, defaults={"holidays": f"{year}-01-01", "source": "测试用"}
            )


def open_window(now=None, *, opened_days_ago=1, days=30):
    """A window open now (or at `now`) that satisfies the 10-working-day minimum."""
    now = now or timezone.now()
    opens = now - timedelta(days=opened_days_ago)
    closes = opens + timedelta(days=days)
    ensure_calendar_covers(opens.year, closes.year)
    return {"window_opens_at": opens, "window_closes_at": closes}


def add_disclosure(page_class, *, publish=True, **fields):
    """Create a disclosure page under the index; publish it through the workflow unless told
    otherwise (there is no other road to the public). Candidate lists get an open window
    unless one is given."""
    if page_class is CandidateListPage and "window_opens_at" not in fields:
        fields.update(open_window())
    fields.setdefault("issuer", make_issuer())
    # The admission year a list serves is the year its window closes in (a list on notice in
    # December serves the next year's admissions; its retention must not end at its close).
    closes = fields.get("window_closes_at")
    fields.setdefault(
        "admission_year", timezone.localtime(closes).year if closes else timezone.now().year
    )
    fields.setdefault("slug", f"d-{Page.objects.count() + 1}")
    fields["live"] = False
    page = page_class(**fields)
    disclosure_index().add_child(instance=page)
    author = workflow_person("author", roles.EDITOR, issuer=page.issuer)
    page.save_revision(user=author)
    if publish:
        publish_through_workflow(page, author)
        page.refresh_from_db()
    return page


def workflow_person(username: str, role: str, issuer=None):
    """A member of `role` with a verified second factor (as after TOTP login), belonging to
    `issuer` (by default the province's exam office) as well as to any issuer it had."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    user = User.objects.filter(username=username).first() or make_user(username, role)
    join(user, issuer or make_issuer())
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "t"})
    user.otp_device = device
    user.is_verified = lambda: True
    return user


def publish_through_workflow(page, author):
    """Submit, then 初审 by one reviewer and 集体审定 by two members, as in the admin."""
    # Approvals count only from members of the issuer that publishes (ADR 0015).
    issuer = page.issuer
    join(author, issuer)
    deciders = [
        workflow_person("wf-reviewer", roles.REVIEWER, issuer),
        workflow_person("wf-committee1", roles.COMMITTEE, issuer),
        workflow_person("wf-committee2", roles.COMMITTEE, issuer),
    ]
    page.get_workflow().start(page, author)
    for person in deciders:
        current = type(page).objects.get(pk=page.pk)
        current.current_workflow_task.on_action(
            current.current_workflow_task_state, person, "approve"
        )
    assert type(page).objects.get(pk=page.pk).live, "the workflow did not publish the page"


def make_user(username: str, *groups: str, password="pw-for-tests-123", issuer=None, **extra):
    """An account in `groups`, belonging to `issuer` (by default the province's exam office,
    so that tests written before issuer-scoped rights act province-wide as they did)."""
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    join(user, issuer or make_issuer())
    return user


def join(user, *issuers):
    """Make `user` a member of `issuers` (idempotent); their cached rights are dropped."""
    from publications.rights.access import forget
    from publications.rights.models import IssuerMembership

    for issuer in issuers:
        IssuerMembership.objects.get_or_create(user=user, issuer=issuer)
    forget(user)
    return user


def import_sample(name: str, kind: str):
    from disclosure.imports import import_file

    with open(SAMPLES / name, "rb") as handle:
        return import_file(handle, name, kind)
