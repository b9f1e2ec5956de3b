"""The journey through the real admin and the public site, in headless Chromium.

An editor imports the GBK sample and drafts a candidate list in the Wagtail admin and submits
it; a reviewer (初审) and two committee members (集体审定) approve after entering their TOTP
codes; the list stays hidden until its window opens, then is on notice; a member of the public
finds a name through /lookup/. Raising an objection and the journalist's feed are separate
tests that skip, saying why, until their routes exist.

The clock: the editor sets the window to open an hour from now; to let that hour pass, the
test moves Django's clock (`django.utils.timezone.now`, seen by the live server's threads
too) and runs one scheduler tick, as `manage.py run_scheduler` does every minute. TOTP codes
follow the real clock.
"""

import base64
import contextlib
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from django_otp.oath import totp
from wagtail.models import Revision

from disclosure.models import CandidateListPage, Dataset
from publications.models import QuorumVote
from publications.windows import scheduler
from sunshine import demo
from tests.browser.conftest import axe_violations, describe, screenshot
from tests.factories import (
    SAMPLES,
    add_disclosure,
    disclosure_index,
    ensure_calendar_covers,
    import_sample,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "2026年普通高考加分照顾考生资格名单（浏览器测试）"
NAME_ON_LIST = "廖鑫"  # first row of the GBK sample
TOTP_KEY = base64.b32decode(demo.DEMO_TOTP_SECRET)
DESK = {"width": 1280, "height": 900}  # editors and reviewers work at a desk


@pytest.fixture
def accounts(transactional_db):
    """The demo's people (editor, reviewers, committee, their TOTP devices) and office."""
    demo.load_office_settings()
    demo.load_issuers()
    demo.load_accounts()
    demo.load_second_factors()
    return disclosure_index()


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")


def verify_second_factor(page, username):
    page.goto("/admin/second-factor/")
    page.fill("#id_token", f"{totp(TOTP_KEY):06d}")
    page.click("button:has-text('验证')")
    page.wait_for_url("**/admin/")
    assert "二次验证已完成" in page.content(), f"{username}: the TOTP code was refused"


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def approve(page, list_page, username, shot):
    """Log in, enter the TOTP code, open the list in the editor and choose 通过 (approve)."""
    log_in(page, username)
    verify_second_factor(page, username)
    page.goto(f"/admin/pages/{list_page.pk}/edit/")
    open_footer_menu(page)
    # Wait for the decision's own response, not just the current page's load state: under
    # load the click's navigation may not have started when wait_for_load_state returns.
    with page.expect_navigation(timeout=60_000):
        page.locator("footer").get_by_role("button", name="通过", exact=True).click()
    page.wait_for_load_state()
    screenshot(page, shot)
    page.context.clear_cookies()
    return CandidateListPage.objects.get(pk=list_page.pk)


def task_name(list_page) -> str | None:
    task = list_page.current_workflow_task
    return task.name if task else None


def open_footer_menu(page):
    """The footer's other actions sit behind its 更多动作 (more actions) toggle."""
    page.locator("footer").get_by_role("button", name="更多动作").click()


@contextlib.contextmanager
def clock_moved(by: timedelta):
    """Django's clock (and so the live server's) runs `by` ahead of the real one."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() + by):
        yield


def test_an_approved_list_opens_at_its_window_and_the_public_finds_a_name(
    new_page, accounts, site_url
):
    index = accounts
    opens = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
    closes = opens + timedelta(days=30)
    ensure_calendar_covers(opens.year, closes.year)

    # The editor uploads the GBK file exported from Excel.
    editor = new_page(DESK)
    log_in(editor, "editor")
    editor.goto("/admin/imports/")
    editor.select_option("#id_kind", "candidate_list")
    editor.set_input_files("#id_file", str(SAMPLES / "candidate_list_gbk_excel.csv"))
    editor.click("button:has-text('上传并导入')")
    editor.wait_for_url("**/admin/imports/*/")
    assert "导入成功：60 行" in editor.content()
    screenshot(editor, "journey-01-import-preview")
    dataset = Dataset.objects.get()

    # … creates the candidate list under 公示公告, attaches the dataset, submits for review.
    editor.goto(f"/admin/pages/add/disclosure/candidatelistpage/{index.pk}/")
    editor.fill("#id_title", TITLE)
    editor.click(".chooser__choose-button:has-text('发布机构')")
    editor.locator(".modal").get_by_role("link", name="河南省教育考试院（省级）").click()
    editor.wait_for_selector("#id_issuer-title:has-text('河南省教育考试院')")
    editor.fill("#id_admission_year", "2026")
    editor.fill("#id_summary", "以下考生经审核符合加分照顾条件，现予公示。")
    editor.fill("#id_window_opens_at", local(opens))
    editor.fill("#id_window_closes_at", local(closes))
    editor.select_option("#id_list_type", "bonus")
    editor.select_option("#id_dataset", str(dataset.pk))
    editor.click("#id_title")  # closes the date picker
    screenshot(editor, "journey-02-editor-form")
    open_footer_menu(editor)
    editor.locator("button[name=action-submit]").first.click()
    editor.wait_for_load_state()
    screenshot(editor, "journey-03-submitted")
    list_page = CandidateListPage.objects.get(title=TITLE)
    assert list_page.dataset_id == dataset.pk and list_page.window_opens_at == opens
    first_task = task_name(list_page)
    assert first_task is not None, "the list was not submitted for review"

    # 初审 by a reviewer, then 集体审定 by two committee members.
    approver = new_page(DESK)
    list_page = approve(approver, list_page, "reviewer1", "journey-04-first-review")
    committee_task = task_name(list_page)
    assert committee_task not in (None, first_task), "初审 did not pass to 集体审定"
    list_page = approve(approver, list_page, "committee1", "journey-05-committee-first-vote")
    assert task_name(list_page) == committee_task, "one committee vote must not be enough"
    assert QuorumVote.objects.filter(member__username="committee1").exists(), "vote refused"
    list_page = approve(approver, list_page, "committee2", "journey-06-committee-second-vote")

    # Deciding saved nothing: every revision is the editor's (a reviewer's would make them an
    # author of what they approve, and the separation of duties would refuse them).
    authors = Revision.page_revisions.filter(object_id=str(list_page.pk))
    assert set(authors.values_list("user__username", flat=True)) == {"editor"}

    # Approved, but its window has not opened: scheduled, and not found by the public.
    assert task_name(list_page) is None and not list_page.live
    assert list_page.get_latest_revision().approved_go_live_at == opens
    public = new_page()
    assert public.goto(list_page.url).status == 404

    with clock_moved(timedelta(hours=1, minutes=1)):
        scheduler.tick(timezone.now())
        list_page = CandidateListPage.objects.get(pk=list_page.pk)
        assert list_page.live

        # The public sees it on the home page, on notice, with its countdown.
        public.goto("/")
        assert TITLE in public.inner_text("main")
        screenshot(public, "journey-07-home")
        public.click(f"text={TITLE}")
        public.wait_for_load_state()
        header = public.inner_text(".disclosure-header")
        assert "公示中" in header and "距公示结束还有" in header
        assert NAME_ON_LIST in public.inner_text("table >> nth=1")
        assert "25410021000001" not in public.content()  # exam numbers never shown
        screenshot(public, "journey-08-list-on-notice")

        # A parent checks a name through /lookup/.
        public.goto("/lookup/")
        public.fill("#name-check-name", NAME_ON_LIST)
        public.click("button:has-text('查询名单')")
        public.wait_for_load_state()
        result = public.inner_text("[role=status]")
        assert NAME_ON_LIST in result and TITLE in result
        screenshot(public, "journey-09-lookup-found")
        violations = axe_violations(public)
        assert not violations, describe(violations)


# --- the steps whose routes are being built on other branches -----------------------------


def skip_unless_route(page, path: str, branch: str) -> None:
    if page.request.get(path).status == 404:
        pytest.skip(f"{path} answers 404: the {branch} branch is not merged yet")


def list_on_notice():
    """A list published through the workflow, as the journey above does in the admin."""
    return add_disclosure(
        CandidateListPage,
        title=TITLE,
        list_type="bonus",
        summary="以下考生经审核符合加分照顾条件，现予公示。",
        dataset=import_sample("candidate_list_gbk_excel.csv", "candidate_list"),
    )


def test_a_member_of_the_public_finds_a_name_raises_an_objection_and_follows_it(new_page, accounts):
    public = new_page()
    skip_unless_route(public, "/objections/", "objections")
    list_page = list_on_notice()

    public.goto("/lookup/")
    public.fill("#name-check-name", NAME_ON_LIST)
    public.click("button:has-text('查询名单')")
    public.locator("[role=status]").get_by_role("link", name=TITLE).click()
    public.wait_for_load_state()
    online = public.locator(".objection-box a[href*='/objections/']")
    if online.count():
        online.first.click()
    else:
        public.goto(f"/objections/new/?disclosure={list_page.pk}&row=1")
    public.wait_for_load_state()
    screenshot(public, "journey-10-objection-form")
    public.fill("[name=name]", "张三")
    public.fill("[name=phone]", "13800138000")
    public.fill("[name=content]", f"名单中考生{NAME_ON_LIST}的见义勇为认定与事实不符，请核查材料。")
    public.click("button:has-text('提交异议')")
    public.wait_for_load_state()
    code = public.inner_text(".tracking-code").strip()
    assert code, "no tracking code shown"
    screenshot(public, "journey-11-objection-received")
    violations = axe_violations(public)
    assert not violations, describe(violations)

    # Later, on another phone, the code alone shows how the objection stands.
    later = new_page()
    later.goto("/objections/")
    later.fill("#track-code", code)
    later.click("button:has-text('查询')")
    later.wait_for_load_state()
    status = later.inner_text("main")
    assert "异议办理进度" in status and TITLE in status
    assert "13800138000" not in later.content()  # personal data never on the status page
    screenshot(later, "journey-12-objection-status")


def test_the_journalists_feed_shows_the_new_list(new_page, accounts):
    journalist = new_page()
    skip_unless_route(journalist, "/feed.json", "open-data")
    list_page = list_on_notice()

    response = journalist.goto("/feed.json")
    assert response.ok and "json" in response.headers["content-type"]
    items, url = [], "/feed.json"
    for _ in range(50):  # follow next_url to the end of the feed
        feed = json.loads(journalist.request.get(url).text())
        items += feed["items"]
        url = feed.get("next_url")
        if not url:
            break
    ours = [i for i in items if i.get("_sunshine", {}).get("disclosure_id") == list_page.pk]
    assert ours, f"no feed item for disclosure {list_page.pk}"
    assert ours[0]["_sunshine"]["kind"] == "candidate_list"
    assert TITLE in json.dumps(ours[0], ensure_ascii=False)
    screenshot(journalist, "journey-13-feed")
