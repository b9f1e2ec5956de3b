"""Demo content for `make run`: idempotent, and refused where settings do not allow it.

Every function here can run any number of times and leaves the same state.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

from disclosure.models import Issuer, IssuerLevel
from publications import roles

DEMO_PASSWORD = "sunshine-demo-2026"  # noqa: S105 - demo accounts only, never in production


PROVINCE = "河南省教育考试院"
LUOYANG = "洛阳市招生考试中心"
XIGONG = "洛阳市西工区招生办公室"
JIANXI = "洛阳市涧西区招生办公室"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    is_superuser: bool = False
    issuer: str = PROVINCE  # the issuer the account belongs to (its rights hold there and below)


DEMO_ACCOUNTS = (
    DemoAccount("editor", "张编辑", roles.EDITOR),
    DemoAccount("reviewer1", "李初审", roles.REVIEWER),
    DemoAccount("reviewer2", "王初审", roles.REVIEWER),
    DemoAccount("committee1", "赵委员", roles.COMMITTEE),
    DemoAccount("committee2", "钱委员", roles.COMMITTEE),
    DemoAccount("committee3", "孙委员", roles.COMMITTEE),
    DemoAccount("inspector", "周监察", roles.INSPECTOR),
    DemoAccount("admin", "吴管理员", roles.ADMINISTRATOR, is_superuser=True),
    # Two counties under one city, each with its own editor, reviewer and committee (issue 16)
    DemoAccount("luoyang-editor", "杨编辑", roles.EDITOR, issuer=LUOYANG),
    DemoAccount("luoyang-reviewer", "朱初审", roles.REVIEWER, issuer=LUOYANG),
    DemoAccount("luoyang-committee1", "秦委员", roles.COMMITTEE, issuer=LUOYANG),
    DemoAccount("luoyang-committee2", "尤委员", roles.COMMITTEE, issuer=LUOYANG),
    DemoAccount("xigong-editor", "郑编辑", roles.EDITOR, issuer=XIGONG),
    DemoAccount("xigong-reviewer", "冯初审", roles.REVIEWER, issuer=XIGONG),
    DemoAccount("xigong-committee1", "陈委员", roles.COMMITTEE, issuer=XIGONG),
    DemoAccount("xigong-committee2", "褚委员", roles.COMMITTEE, issuer=XIGONG),
    DemoAccount("jianxi-editor", "卫编辑", roles.EDITOR, issuer=JIANXI),
    DemoAccount("jianxi-reviewer", "蒋初审", roles.REVIEWER, issuer=JIANXI),
    DemoAccount("jianxi-committee1", "沈委员", roles.COMMITTEE, issuer=JIANXI),
    DemoAccount("jianxi-committee2", "韩委员", roles.COMMITTEE, issuer=JIANXI),
)

# province → city → county → school, as notices run level by level (逐级公示)
DEMO_ISSUERS = (
    ("河南省教育考试院", IssuerLevel.PROVINCE, None, "410000"),
    ("洛阳市招生考试中心", IssuerLevel.CITY, "河南省教育考试院", "410300"),
    ("洛阳市西工区招生办公室", IssuerLevel.COUNTY, "洛阳市招生考试中心", "410303"),
    ("洛阳市涧西区招生办公室", IssuerLevel.COUNTY, "洛阳市招生考试中心", "410305"),
    ("洛阳市第四高级中学", IssuerLevel.SCHOOL, "洛阳市西工区招生办公室", ""),
)


def load_accounts() -> list[DemoAccount]:
    from publications.rights.models import IssuerMembership, ReviewBoard

    issuers = load_issuers()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"first_name": account.name, "email": f"{account.username}@demo.invalid"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = account.is_superuser
        user.is_superuser = account.is_superuser
        user.save()
        user.groups.add(Group.objects.get(name=account.role))
        IssuerMembership.objects.get_or_create(user=user, issuer=issuers[account.issuer])
    # 涧西区 names its committee and quorum on a review board of its own; 西工区 uses the
    # workflow's defaults (any of its members holding the role, two votes).
    board, _ = ReviewBoard.objects.get_or_create(issuer=issuers[JIANXI], defaults={"quorum": 2})
    board.committee.set(User.objects.filter(username__startswith="jianxi-committee"))
    board.reviewers.set(User.objects.filter(username="jianxi-reviewer"))
    return list(DEMO_ACCOUNTS)


def load_issuers() -> dict[str, Issuer]:
    issuers: dict[str, Issuer] = {}
    for name, level, parent_name, region_code in DEMO_ISSUERS:
        issuers[name], _ = Issuer.objects.update_or_create(
            name=name,
            defaults={
                "level": level,
                "parent": issuers.get(parent_name),
                "region_code": region_code,
            },
        )
    return issuers


def load_office_settings() -> None:
    from sunshine.models import OfficeSettings

    site = Site.objects.get(is_default_site=True)
    office = OfficeSettings.for_site(site)
    office.office_name = "河南省教育考试院（演示）"
    office.complaint_unit = "河南省教育考试院纪检监察室（演示）"
    office.complaint_phone = "0371-00000000"
    office.complaint_email = "jubao@demo.invalid"
    office.complaint_address = "河南省郑州市金水区演示路1号（邮编 450000）"
    office.consultation_phone = "0371-00000001"
    office.save()


# Reviewers and committee members act only after a second factor (TOTP). The demo accounts
# share this known secret: add it to an authenticator app, then verify at /admin/second-factor/.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo accounts only
TOTP_ROLES = (roles.REVIEWER, roles.COMMITTEE)


def load_second_factors() -> None:
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        if account.role in TOTP_ROLES:
            user = User.objects.get(username=account.username)
            TOTPDevice.objects.update_or_create(
                user=user, name="演示验证器", defaults={"key": key, "confirmed": True}
            )


# One disclosure waiting at each stage of the review workflow, so a newcomer can walk it.
DEMO_DISCLOSURES = (
    ("demo-draft", "2026年普通高校招生加分政策（草稿）", "draft"),
    ("demo-first-review", "2026年高校专项计划实施办法（待初审）", "first_review"),
    ("demo-committee", "2026年高水平运动队招生办法（待集体审定）", "committee"),
    ("demo-committee-one-vote", "2026年艺术类招生办法（集体审定已一票同意）", "committee_one_vote"),
    ("demo-published", "2026年普通高校招生工作规定（已发布）", "published"),
)


def _as_verified(user):
    """In demo set-up only: act as if the person had just entered their TOTP code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user.otp_device = TOTPDevice.objects.filter(user=user).first()
    user.is_verified = lambda: True
    return user


def _act(page, username: str, action: str = "approve", comment: str = "") -> None:
    page = type(page).objects.get(pk=page.pk)
    user = _as_verified(get_user_model().objects.get(username=username))
    page.current_workflow_task.on_action(
        page.current_workflow_task_state, user, action, comment=comment
    )


def load_disclosures() -> None:
    from django.test.utils import override_settings

    # The workflow's notification e-mails would flood the console of `make run`.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load_disclosures()


def _load_disclosures() -> None:
    from disclosure.models import DisclosureIndexPage, PolicyPage
    from sunshine.models import HomePage

    home = HomePage.objects.first()
    index = DisclosureIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=DisclosureIndexPage(title="公示公告", slug="gongshi"))
    issuer = load_issuers()["河南省教育考试院"]
    editor = get_user_model().objects.get(username="editor")
    steps = {
        "draft": [],
        "first_review": ["submit"],
        "committee": ["submit", "reviewer1"],
        "committee_one_vote": ["submit", "reviewer1", "committee1"],
        "published": ["submit", "reviewer1", "committee1", "committee2"],
    }
    for slug, title, stage in DEMO_DISCLOSURES:
        if PolicyPage.objects.filter(slug=slug).exists():
            continue
        page = index.add_child(
            instance=PolicyPage(
                title=title,
                slug=slug,
                issuer=issuer,
                admission_year=2026,
                summary="演示内容：用演示账号走一遍审批流程。",
                live=False,
                owner=editor,
            )
        )
        page.save_revision(user=editor)
        for step in steps[stage]:
            if step == "submit":
                page.get_workflow().start(page, editor)
            else:
                _act(page, step, comment="演示：同意")


def _approve_all(page) -> None:
    editor = get_user_model().objects.get(username="editor")
    page.get_workflow().start(page, editor)
    for username in ("reviewer1", "committee1", "committee2"):
        _act(page, username, comment="演示：同意")


def load_window_statuses() -> None:
    from django.test.utils import override_settings

    from sunshine.demo_windows import load_window_demo

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        load_window_demo(load_issuers()["河南省教育考试院"], _approve_all)


def load_all() -> list[DemoAccount]:
    load_office_settings()
    load_issuers()
    accounts = load_accounts()
    load_second_factors()
    load_disclosures()
    load_window_statuses()
    load_open_data_demo()
    load_chain_demo()
    return accounts


# Open data (issue 8): a list on notice and its correction, a list withdrawn by an approved
# notice, so /feed.json and /api/v1/ show a new list, a correction and a withdrawal.
OPEN_DATA_LIST = ("demo-open-data-list", "演示：2026年加分照顾考生名单（已更正）")
OPEN_DATA_WITHDRAWN = ("demo-open-data-withdrawn", "演示：2026年高校专项计划考生名单（已撤回）")
OPEN_DATA_NOTICE = ("demo-open-data-withdrawal", "演示：关于撤回高校专项计划考生名单的公告")
OPEN_DATA_CORRECTION_NOTE = "更正：第3行“王五”的照顾类别由“归侨子女”更正为“烈士子女”。"
OPEN_DATA_WITHDRAWAL_REASON = "经复核，名单中两名考生资格条件不符，撤回本名单，核实后重新公示。"
_CSV_HEADER = "序号,姓名,性别,所在中学,照顾类别,资格条件,加分分值,备注\r\n"
OPEN_DATA_ROWS = (
    "1,张三,男,洛阳市第四高级中学,少数民族,少数民族聚居区考生,5,\r\n"
    "2,李四,女,洛阳市第四高级中学,烈士子女,烈士子女,10,\r\n"
    "3,王五,男,洛阳市第一高级中学,{category},{category},5,\r\n"
)


def _demo_dataset(kind: str, text: str, filename: str):
    import io

    from disclosure.imports import import_file

    return import_file(io.BytesIO(text.encode("utf-8-sig")), filename, kind)


def _demo_window() -> dict:
    """Open since yesterday for 30 days; years past the calendar package get a demo entry."""
    from datetime import timedelta

    from django.utils import timezone

    from publications.rules.workdays import WorkdayCalendar
    from publications.windows.models import HolidayYear

    opens = timezone.now() - timedelta(days=1)
    closes = opens + timedelta(days=30)
    known = WorkdayCalendar.from_chinese_calendar().years
    for year in {opens.year, closes.year} - set(known):
        HolidayYear.objects.get_or_create(
            year=year,
            defaults={"holidays": f"{year}-01-01", "source": "演示用，请按国务院通知修改"},
        )
    return {"window_opens_at": opens, "window_closes_at": closes}


# Who drafts, reviews and decides for each demo issuer: approvals count only from the
# publishing issuer's own members (ADR 0015).
DEMO_TEAMS = {
    PROVINCE: ("editor", "reviewer1", "committee1", "committee2"),
    LUOYANG: ("luoyang-editor", "luoyang-reviewer", "luoyang-committee1", "luoyang-committee2"),
    XIGONG: ("xigong-editor", "xigong-reviewer", "xigong-committee1", "xigong-committee2"),
    JIANXI: ("jianxi-editor", "jianxi-reviewer", "jianxi-committee1", "jianxi-committee2"),
}


def _publish_demo(page) -> None:
    author, *deciders = DEMO_TEAMS[page.issuer.name]
    editor = get_user_model().objects.get(username=author)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    for username in deciders:
        _act(page, username, comment="演示：同意")


def load_open_data_demo() -> None:
    """Idempotent: each step runs only if its result is not there yet."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load_open_data_demo()


def _load_open_data_demo() -> None:
    from django.utils import timezone

    from disclosure.models import CandidateListPage, DisclosureIndexPage, NoticePage
    from publications.ledger.models import LedgerEntry
    from sunshine.models import HomePage

    home = HomePage.objects.first()
    index = DisclosureIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=DisclosureIndexPage(title="公示公告", slug="gongshi"))
    issuer = load_issuers()["河南省教育考试院"]
    year = timezone.now().year

    def candidate_list(slug, title, category):
        page = CandidateListPage.objects.filter(slug=slug).first()
        if page is None:
            page = index.add_child(
                instance=CandidateListPage(
                    title=title,
                    slug=slug,
                    issuer=issuer,
                    admission_year=year,
                    list_type="bonus",
                    summary="演示内容：拟享受加分照顾政策的考生名单，公示期内可提出异议。",
                    dataset=_demo_dataset(
                        "candidate_list",
                        _CSV_HEADER + OPEN_DATA_ROWS.format(category=category),
                        f"{slug}.csv",
                    ),
                    live=False,
                    **_demo_window(),
                )
            )
        if not page.live and page.current_workflow_state is None:
            _publish_demo(page)
        return CandidateListPage.objects.get(pk=page.pk)

    corrected = candidate_list(*OPEN_DATA_LIST, category="归侨子女")
    if not LedgerEntry.objects.filter(disclosure_id=corrected.pk, event="corrected").exists():
        corrected.change_note = OPEN_DATA_CORRECTION_NOTE
        corrected.dataset = _demo_dataset(
            "candidate_list",
            _CSV_HEADER + OPEN_DATA_ROWS.format(category="烈士子女"),
            f"{OPEN_DATA_LIST[0]}-v2.csv",
        )
        _publish_demo(corrected)

    withdrawn = candidate_list(*OPEN_DATA_WITHDRAWN, category="少数民族")
    slug, title = OPEN_DATA_NOTICE
    if withdrawn.withdrawn_at is None and not NoticePage.objects.filter(slug=slug).exists():
        notice = index.add_child(
            instance=NoticePage(
                title=title,
                slug=slug,
                issuer=issuer,
                admission_year=year,
                notice_type="withdrawal",
                target=withdrawn,
                reason=OPEN_DATA_WITHDRAWAL_REASON,
                live=False,
            )
        )
        _publish_demo(notice)


# Level-by-level disclosure (逐级公示, issue 16): two county lists, the city's list resting on
# both (one name dropped, one added after the city's review), the province's on the city's.
# Each level is published through the review workflow like any other list.
_CHAIN_HEADER = "序号,姓名,性别,考生号,所在中学,照顾类别,资格条件,加分分值\r\n"
_CHAIN_ROWS = {
    "zhang": "张三,男,26410301000001,洛阳市第四高级中学,少数民族,少数民族聚居区考生,5",
    "li": "李四,女,26410301000002,洛阳市第四高级中学,烈士子女,烈士子女,10",
    "wang": "王五,男,26410301000003,洛阳市第一高级中学,归侨子女,归侨子女,5",
    "zhao": "赵六,女,26410305000001,洛阳市第二外国语学校,少数民族,少数民族聚居区考生,5",
    "sun": "孙七,男,26410305000002,洛阳市第二外国语学校,烈士子女,烈士子女,10",
}
# (slug, title, issuer, rows, slugs of the lower lists it rests on)
CHAIN_LISTS = (
    (
        "demo-chain-xigong",
        "演示：西工区加分照顾考生名单（县级公示）",
        "洛阳市西工区招生办公室",
        ("zhang", "li", "wang"),
        (),
    ),
    (
        "demo-chain-jianxi",
        "演示：涧西区加分照顾考生名单（县级公示）",
        "洛阳市涧西区招生办公室",
        ("zhao",),
        (),
    ),
    (
        "demo-chain-luoyang",
        "演示：洛阳市加分照顾考生名单（市级公示）",
        "洛阳市招生考试中心",
        ("zhang", "wang", "zhao", "sun"),
        ("demo-chain-xigong", "demo-chain-jianxi"),
    ),
    (
        "demo-chain-henan",
        "演示：河南省加分照顾考生名单（省级公示）",
        "河南省教育考试院",
        ("zhang", "wang", "zhao", "sun"),
        ("demo-chain-luoyang",),
    ),
)


def coming_admission_year() -> int:
    """The gaokao a list published now serves (lists from September on are for next year's)."""
    from django.utils import timezone

    today = timezone.localdate()
    return today.year + 1 if today.month >= 9 else today.year


def load_chain_demo() -> None:
    """Idempotent: each level is created and published only if it is not there yet."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _load_chain_demo()


def _load_chain_demo() -> None:
    from disclosure.models import CandidateListPage, DisclosureIndexPage, ListBasis
    from sunshine.models import HomePage

    home = HomePage.objects.first()
    index = DisclosureIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=DisclosureIndexPage(title="公示公告", slug="gongshi"))
    issuers = load_issuers()
    year = coming_admission_year()
    for slug, title, issuer_name, rows, bases in CHAIN_LISTS:
        page = CandidateListPage.objects.filter(slug=slug).first()
        if page is None:
            text = _CHAIN_HEADER + "".join(
                f"{i},{_CHAIN_ROWS[key]}\r\n" for i, key in enumerate(rows, start=1)
            )
            page = index.add_child(
                instance=CandidateListPage(
                    title=title,
                    slug=slug,
                    issuer=issuers[issuer_name],
                    admission_year=year,
                    list_type="bonus",
                    summary="演示内容：逐级公示的加分照顾考生名单，公示期内可提出异议。",
                    dataset=_demo_dataset("candidate_list", text, f"{slug}.csv"),
                    basis_lists=[
                        ListBasis(basis=CandidateListPage.objects.get(slug=lower))
                        for lower in bases
                    ],
                    live=False,
                    **_demo_window(),
                )
            )
        if not page.live and page.current_workflow_state is None:
            _publish_demo(page)
