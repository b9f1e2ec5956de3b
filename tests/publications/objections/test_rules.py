"""Pure rules: when objections are accepted, what input is accepted, tracking codes. No DB."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from publications.objections import codes, validators
from publications.objections.models import hash_code
from publications.objections.rules import accepts_objections, refusal_message
from publications.objections.validators import InputError

from .conftest import AFTER, CLOSES, DURING, JPEG, OPENS, PDF, PNG


@pytest.fixture(autouse=True)
def _package_calendar(monkeypatch):
    """The window status needs working days; 2025's come with the package, so these rules read
    no database (the site's calendar, cached per process, may have been invalidated by another
    test, and reading it again would need the database)."""
    from publications.rules.workdays import WorkdayCalendar
    from publications.windows import pages

    package_calendar = WorkdayCalendar.from_chinese_calendar()
    monkeypatch.setattr(pages, "calendar", lambda: package_calendar)


def page(**fields):
    values = {
        "live": True,
        "window_opens_at": OPENS,
        "window_closes_at": CLOSES,
        "withdrawn_at": None,
        "retired_at": None,
        "go_live_at": OPENS,
        "first_published_at": OPENS,
        "admission_year": OPENS.year,
        "issuer": SimpleNamespace(level="province"),
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_objections_are_accepted_while_the_window_is_open():
    assert accepts_objections(page(), DURING)
    assert accepts_objections(page(), OPENS)


def test_objections_are_refused_from_the_moment_the_window_closes():
    assert not accepts_objections(page(), AFTER)
    assert not accepts_objections(page(), CLOSES + timedelta(microseconds=1))
    assert "公示期已结束" in refusal_message(page(), AFTER)


def test_objections_are_refused_before_the_window_opens():
    assert not accepts_objections(page(), OPENS - timedelta(seconds=1))
    assert "尚未开始" in refusal_message(page(), OPENS - timedelta(seconds=1))


def test_objections_are_refused_once_the_disclosure_is_withdrawn():
    withdrawn = page(withdrawn_at=DURING - timedelta(hours=1))
    assert not accepts_objections(withdrawn, DURING)
    assert "撤下" in refusal_message(withdrawn, DURING)


def test_objections_are_refused_on_a_page_that_is_not_live_or_has_no_window():
    assert not accepts_objections(page(live=False), DURING)
    assert not accepts_objections(page(window_closes_at=None), DURING)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("0371-65432100", "0371-65432100"),
        ("(010) 6543 2100", "010-65432100"),
        ("020-8765432", "020-8765432"),
        ("+86 371 65432100", "0371-65432100"),
        ("0371-65432100转123", "0371-65432100转123"),
    ],
)
def test_a_mobile_or_landline_number_is_accepted_in_its_normal_form(typed, normal):
    assert validators.normalise_phone(typed) == normal


@pytest.mark.parametrize(
    "typed",
    ["", "12812345678", "1381234567", "138123456789", "65432100", "0371-0543210", "电话", "abc"],
)
def test_a_malformed_phone_number_is_refused_with_a_chinese_message(typed):
    with pytest.raises(InputError, match="联系电话"):
        validators.normalise_phone(typed)


def test_a_name_is_required_bounded_and_free_of_control_characters():
    assert validators.normalise_name("  欧阳 娜娜 ") == "欧阳 娜娜"
    assert validators.normalise_name("阿依古丽·买买提") == "阿依古丽·买买提"
    with pytest.raises(InputError, match="请填写真实姓名"):
        validators.normalise_name("   ")
    with pytest.raises(InputError, match="不能超过50个字符"):
        validators.normalise_name("王" * 51)
    for hidden in ("王\x00五", "王\u202e五", "王\u200b五"):
        with pytest.raises(InputError, match="控制字符"):
            validators.normalise_name(hidden)


def test_content_must_be_specific_enough_and_not_too_long():
    with pytest.raises(InputError, match="至少20个字"):
        validators.normalise_content("名单有问题" + " " * 40, 20)
    with pytest.raises(InputError, match="不能超过5000个字"):
        validators.normalise_content("字" * 5001, 20)
    with pytest.raises(InputError, match="控制字符"):
        validators.normalise_content("字" * 30 + "\x07", 20)
    assert validators.normalise_content(" 第一行\r\n第二行" + "字" * 20, 20).startswith("第一行\n")


@pytest.mark.parametrize(
    ("name", "head"), [("a.pdf", PDF), ("b.JPG", JPEG), ("c.jpeg", JPEG), ("d.png", PNG)]
)
def test_pdf_jpeg_and_png_are_accepted_by_their_bytes(name, head):
    assert validators.check_attachment(name, 1000, head, 5_000_000)


@pytest.mark.parametrize(
    ("name", "head", "message"),
    [
        ("report.pdf", b"<!DOCTYPE html><script>alert(1)</script>", "不是其中任何一种"),
        ("photo.exe", PNG, "文件名与内容不符"),
        ("photo.pdf", PNG, "文件名与内容不符"),
        ("scan", PDF, "文件名与内容不符"),
        ("doc.docx", b"PK\x03\x04", "不是其中任何一种"),
    ],
)
def test_an_attachment_that_lies_about_its_type_is_refused(name, head, message):
    with pytest.raises(InputError, match=message):
        validators.check_attachment(name, 1000, head, 5_000_000)


def test_an_attachment_over_the_cap_is_refused_before_its_bytes_are_looked_at():
    with pytest.raises(InputError, match="附件不能超过5 MB"):
        validators.check_attachment("a.pdf", 5 * 1024 * 1024 + 1, PDF, 5 * 1024 * 1024)


def test_a_tracking_code_has_160_random_bits_and_survives_being_retyped():
    code = codes.new_code()
    assert len(code) == 32 and code != codes.new_code()
    retyped = codes.display_code(code).upper().replace("-", " - ")
    assert codes.normalise_code(retyped) == code
    assert codes.normalise_code("not a code") is None
    assert hash_code(code) != code and len(hash_code(code)) == 64
