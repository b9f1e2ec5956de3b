"""/feed.json: JSON Feed 1.1, read with a real feed client and checked against the spec's rules."""

import json
import re
from datetime import datetime, timedelta

import feedparser_rs
import pytest
from django.utils import timezone

from disclosure.models import CandidateListPage
from publications import roles
from tests.factories import add_disclosure, open_window, publish_through_workflow, workflow_person
from tests.publications.opendata.conftest import correct, publish_list, withdraw

pytestmark = pytest.mark.django_db

SUNSHINE_KEYS = {
    "disclosure_id",
    "kind",
    "issuer",
    "level",
    "version",
    "change",
    "reason",
    "window_opens_at",
    "window_closes_at",
    "content_sha256",
    "ledger_seq",
    "data_url",
}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def get_feed(client, url="/feed.json"):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response, json.loads(response.content.decode("utf-8"))


def json_feed_1_1_violations(feed: dict) -> list[str]:
    """The MUST rules of https://jsonfeed.org/version/1.1, written out from the spec."""
    problems = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version is not the 1.1 URL")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append("title missing")
    if not isinstance(feed.get("items"), list):
        return [*problems, "items is not an array"]
    for key in ("home_page_url", "feed_url", "next_url"):
        if key in feed and not str(feed[key]).startswith(("http://", "https://")):
            problems.append(f"{key} is not a URL")
    for item in feed["items"]:
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item without a string id: {item}")
        if not (item.get("content_html") or item.get("content_text")):
            problems.append(f"item {item.get('id')} has neither content_html nor content_text")
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.match(item[key]):
                problems.append(f"item {item['id']} {key} is not RFC 3339: {item[key]}")
        for attachment in item.get("attachments", []):
            if not attachment.get("url") or not attachment.get("mime_type"):
                problems.append(f"item {item['id']} attachment without url or mime_type")
            if not isinstance(attachment.get("size_in_bytes", 0), int):
                problems.append(f"item {item['id']} attachment size is not a number")
        for key in item:
            if key.startswith("_") is False and key not in {
                "id",
                "url",
                "external_url",
                "title",
                "content_html",
                "content_text",
                "summary",
                "image",
                "banner_image",
                "date_published",
                "date_modified",
                "authors",
                "tags",
                "language",
                "attachments",
            }:
                problems.append(f"item {item['id']} has unknown key {key} (extensions start _)")
    ids = [item.get("id") for item in feed["items"]]
    if len(ids) != len(set(ids)):
        problems.append("item ids are not unique")
    return problems


@pytest.fixture
def history(db):
    """A list, its correction and its withdrawal, and a second list still on notice."""
    first = publish_list("2026年加分照顾考生名单")
    correct(
        first,
        "更正：第2行的加分分值由10分改为5分",
        [("1", "张三", "男", "", "", "一中", "少数民族", "5")],
    )
    withdraw(first, "资格审核有误，撤回本名单")
    second = publish_list("2026年高校专项计划考生名单")
    return first, second


def test_the_feed_is_served_as_application_feed_json_and_a_feed_client_reads_it_as_json_feed_1_1(
    client, history
):
    response, data = get_feed(client)
    assert response["Content-Type"].split(";")[0] == "application/feed+json"
    parsed = feedparser_rs.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "json11"
    assert parsed.feed.title == data["title"]
    assert [entry.id for entry in parsed.entries] == [item["id"] for item in data["items"]]
    assert all(entry.published_parsed for entry in parsed.entries)
    extensions = [entry.json_extensions["_sunshine"] for entry in parsed.entries]
    assert {ext["change"] for ext in extensions} >= {"new", "correction", "withdrawal"}


def test_the_feed_keeps_every_must_of_json_feed_1_1(client, history):
    _, data = get_feed(client)
    assert json_feed_1_1_violations(data) == []
    assert data["feed_url"] == "http://testserver/feed.json"


def test_the_rules_check_catches_a_broken_feed():
    broken = {"version": "https://jsonfeed.org/version/1", "items": [{"id": "a"}, {"id": "a"}]}
    problems = json_feed_1_1_violations(broken)
    assert "version is not the 1.1 URL" in problems
    assert "item ids are not unique" in problems
    assert any("neither content_html" in p for p in problems)


def test_each_item_carries_exactly_the_contract_extension(client, history):
    _, data = get_feed(client)
    for item in data["items"]:
        assert set(item["_sunshine"]) == SUNSHINE_KEYS
        assert item["_sunshine"]["ledger_seq"] >= 1


def test_one_item_per_version_withdrawal_and_new_list_newest_first(client, history):
    first, second = history
    _, data = get_feed(client)
    changes = [(i["_sunshine"]["disclosure_id"], i["_sunshine"]["change"]) for i in data["items"]]
    assert (first.pk, "new") in changes
    assert (first.pk, "correction") in changes
    assert (first.pk, "withdrawal") in changes
    assert (second.pk, "new") in changes
    seqs = [i["_sunshine"]["ledger_seq"] for i in data["items"]]
    assert seqs == sorted(seqs, reverse=True)


def test_a_correction_and_a_withdrawal_show_up_with_their_reasons(client, history):
    first, _ = history
    _, data = get_feed(client)
    by_change = {
        i["_sunshine"]["change"]: i
        for i in data["items"]
        if i["_sunshine"]["disclosure_id"] == first.pk
    }
    correction, withdrawal = by_change["correction"], by_change["withdrawal"]
    assert correction["_sunshine"]["reason"] == "更正：第2行的加分分值由10分改为5分"
    assert correction["_sunshine"]["version"] == 2
    assert withdrawal["_sunshine"]["reason"] == "资格审核有误，撤回本名单"
    assert "资格审核有误，撤回本名单" in withdrawal["content_text"]
    assert "资格审核有误，撤回本名单" in withdrawal["content_html"]
    assert withdrawal["title"].startswith("【撤回】")
    # The withdrawal names the version it took down, by the hash the ledger recorded for it.
    assert withdrawal["_sunshine"]["content_sha256"] == correction["_sunshine"]["content_sha256"]


def test_withdrawn_content_is_never_in_the_feed_only_the_reason(client, history):
    first, _ = history
    _, data = get_feed(client)
    for item in data["items"]:
        if item["_sunshine"]["disclosure_id"] != first.pk:
            continue
        assert "拟享受加分照顾考生名单" not in item["content_html"]  # the withdrawn summary
        assert "summary" not in item
        assert "attachments" not in item
        for name in ("张三", "李四"):
            assert name not in json.dumps(item, ensure_ascii=False)


def test_an_item_of_the_live_version_has_the_rows_as_an_attachment_with_its_size(client, history):
    _, second = history
    _, data = get_feed(client)
    item = next(i for i in data["items"] if i["_sunshine"]["disclosure_id"] == second.pk)
    [attachment] = item["attachments"]
    assert attachment["mime_type"] == "text/csv"
    download = client.get(attachment["url"].removeprefix("http://testserver"))
    assert download.status_code == 200
    assert attachment["size_in_bytes"] == len(download.content)
    assert item["_sunshine"]["data_url"].endswith(f"/api/v1/disclosures/{second.pk}/entries.json")


def test_next_url_walks_every_item_once_even_while_new_ones_are_published(client, history):
    _, full = get_feed(client)
    expected = [item["id"] for item in full["items"]]
    seen, url, published_meanwhile = [], "/feed.json?limit=2", False
    while url:
        _, page = get_feed(client, url)
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        if not published_meanwhile:
            publish_list("2026年高水平运动队考生名单")  # arrives while the walk goes on
            published_meanwhile = True
        url = page.get("next_url", "").removeprefix("http://testserver")
    assert len(seen) == len(set(seen)), "an item was repeated"
    assert seen == expected


def test_item_ids_stay_the_same_and_a_new_version_gets_a_new_one(client, history):
    _, second = history
    _, before = get_feed(client)
    correct(second, "更正：补充一名考生", [("1", "王五", "男", "", "", "二中", "烈士子女", "10")])
    _, after = get_feed(client)
    old = {i["id"]: i["_sunshine"]["ledger_seq"] for i in before["items"]}
    new = {i["id"]: i["_sunshine"]["ledger_seq"] for i in after["items"]}
    assert all(new[item_id] == seq for item_id, seq in old.items())
    [added] = set(new) - set(old)
    assert f"disclosure/{second.pk}/v2/correction/" in added


def test_content_html_escapes_what_editors_typed(client, db):
    publish_list(
        "<script>alert(1)</script>名单",
        summary='<img src=x onerror="alert(2)">摘要 & 说明',
    )
    _, data = get_feed(client)
    [item] = data["items"]
    assert "<script" not in item["content_html"]
    assert "<img" not in item["content_html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;名单" in item["content_html"]
    assert "&amp; 说明" in item["content_html"]
    assert '<img src=x onerror="alert(2)">摘要 & 说明' in item["content_text"]


def test_drafts_and_scheduled_versions_never_reach_the_feed(client, db):
    live = publish_list("2026年公示中的名单")
    # A draft correction, saved but never approved.
    draft = CandidateListPage.objects.get(pk=live.pk)
    draft.title = "草稿：未审批的更正标题"
    draft.change_note = "草稿说明"
    draft.save_revision(user=workflow_person("author", roles.EDITOR))
    # A list approved to open in five days: scheduled, not yet public.
    scheduled = add_disclosure(
        CandidateListPage,
        title="下周才公示的名单",
        list_type="bonus",
        publish=False,
        **open_window(timezone.now() + timedelta(days=5), opened_days_ago=0),
    )
    with pytest.raises(AssertionError, match="did not publish"):
        publish_through_workflow(scheduled, workflow_person("author", roles.EDITOR))
    response, data = get_feed(client)
    text = response.content.decode("utf-8")
    assert "草稿" not in text
    assert "下周才公示的名单" not in text
    assert [i["_sunshine"]["disclosure_id"] for i in data["items"]] == [live.pk]


def test_dates_are_rfc3339_in_utc(client, history):
    _, data = get_feed(client)
    for item in data["items"]:
        moment = datetime.fromisoformat(item["date_published"].replace("Z", "+00:00"))
        assert moment.utcoffset() == timedelta(0)
        assert item["date_modified"] >= item["date_published"]


def test_bad_feed_parameters_get_400_json(client, db):
    for query in ("before=x", "limit=0", "limit=100000"):
        response = client.get(f"/feed.json?{query}")
        assert response.status_code == 400
        assert "error" in json.loads(response.content)
