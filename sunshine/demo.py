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


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    is_superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("editor", "张编辑", roles.EDITOR),
    DemoAccount("reviewer1", "李初审", roles.REVIEWER),
    DemoAccount("reviewer2", "王初审", roles.REVIEWER),
    DemoAccount("committee1", "赵委员", roles.COMMITTEE),
    DemoAccount("committee2", "钱委员", roles.COMMITTEE),
    DemoAccount("committee3", "孙委员", roles.COMMITTEE),
    DemoAccount("inspector", "周监察", roles.INSPECTOR),
    DemoAccount("admin", "吴管理员", roles.ADMINISTRATOR, is_superuser=True),
)

# province → city → county → school, as notices run level by level (逐级公示)
DEMO_ISSUERS = (
    ("河南省教育考试院", IssuerLevel.PROVINCE, None, "410000"),
    ("洛阳市招生考试中心", IssuerLevel.CITY, "河南省教育考试院", "410300"),
    ("洛阳市西工区招生办公室", IssuerLevel.COUNTY, "洛阳市招生考试中心", "410303"),
    ("洛阳市第四高级中学", IssuerLevel.SCHOOL, "洛阳市西工区招生办公室", ""),
)


def load_accounts() -> list[DemoAccount]:
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


def load_all() -> list[DemoAccount]:
    load_office_settings()
    load_issuers()
    return load_accounts()
