"""A candidate list on notice, the people of the office, and a pinned clock."""

import io
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import caches

from disclosure.imports import import_file
from disclosure.models import CandidateEntry, CandidateListPage, CandidateListType
from publications import roles
from publications.objections import rules
from publications.objections.models import HANDLER_GROUP
from tests.factories import SAMPLES, add_disclosure, import_sample, make_user

BEIJING = ZoneInfo("Asia/Shanghai")
OPENS = datetime(2025, 6, 3, 0, 0, tzinfo=BEIJING)
CLOSES = datetime(2025, 6, 20, 0, 0, tzinfo=BEIJING)
DURING = datetime(2025, 6, 10, 10, 0, tzinfo=BEIJING)
AFTER = datetime(2025, 6, 20, 0, 0, tzinfo=BEIJING)  # the window is half-open: closed now

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """Attachments in a temporary directory, a known office mailbox, fresh rate counters."""
    settings.OBJECTION_ATTACHMENT_ROOT = tmp_path / "private"
    settings.OBJECTION_NOTIFY_EMAILS = ["office@exam.example.cn"]
    caches["default"].clear()
    yield
    caches["default"].clear()


class Clock:
    def __init__(self, monkeypatch):
        self.now = DURING
        monkeypatch.setattr(rules, "now", lambda: self.now)

    def set(self, moment):
        self.now = moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


# The shared sample when it can be found; a small list in the same format otherwise (the
# factories look for samples next to the checkout, which a worktree elsewhere does not have).
SMALL_LIST = (
    "序号,姓名,性别,考生号,身份证号,所在中学,照顾类别,资格条件,加分分值,备注\n"
    "1,廖鑫,男,25410021000001,410302200706135831,洛阳市第四高级中学,见义勇为人员,经有关部门认定,5,\n"
    "2,卢丽,女,25410021000002,41030220070413101X,洛阳市第七高级中学,归侨子女,经有关部门认定,5,\n"
)


def candidate_dataset():
    if (SAMPLES / "candidate_list_utf8.csv").exists():
        return import_sample("candidate_list_utf8.csv", "candidate_list")
    return import_file(io.BytesIO(SMALL_LIST.encode()), "名单.csv", "candidate_list")


@pytest.fixture
def candidate_list(db):
    dataset = candidate_dataset()
    return add_disclosure(
        CandidateListPage,
        title="2025年加分照顾考生名单公示",
        list_type=CandidateListType.BONUS,
        dataset=dataset,
        window_opens_at=OPENS,
        window_closes_at=CLOSES,
    )


@pytest.fixture
def first_row(candidate_list):
    return CandidateEntry.objects.filter(dataset=candidate_list.dataset).order_by("position")[0]


@pytest.fixture
def people(db):
    return SimpleNamespace(
        handler=make_user("handler", HANDLER_GROUP),
        handler2=make_user("handler2", HANDLER_GROUP),
        editor=make_user("plain-editor", roles.EDITOR),
        inspector=make_user("inspector", roles.INSPECTOR),
        reviewer=make_user("reviewer-only", roles.REVIEWER),
    )


def valid_data(page, **overrides):
    data = {
        "disclosure": str(page.pk),
        "row": "",
        "name": "王五",
        "phone": "138 1234 5678",
        "email": "wangwu@example.com",
        "content": (
            "名单第1行考生的见义勇为认定材料与事实不符，"
            "事发时该考生并不在现场，有同班同学可以作证。"
        ),
        "website": "",
    }
    data.update(overrides)
    return data
