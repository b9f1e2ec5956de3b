"""Cross-site scripting: what editors, importers and the public write comes out escaped.

Payloads go into every field someone can write (title, summary, tags, rich text, table cells,
file names, withdrawal reasons, the public's own lookup input, objection content) and every
surface that shows them is read back: the public pages, search, the lookup, the ledger, the
admin (edit view, listing, preview, revision comparison, import preview), the JSON and CSV of
the open-data API and the feed. JSON answers are data, not HTML: they must be served as JSON
with nosniff. CSV cells that a spreadsheet would run as a formula are neutralised.
"""

import io
import json

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from disclosure.models import DisclosurePage, NoticePage
from disclosure.models.pages import RICH_TEXT_FEATURES
from publications.ledger.models import LedgerEntry
from tests.factories import add_disclosure

from .conftest import (
    ATTRIBUTE,
    PAYLOADS,
    SCRIPT,
    assert_escaped,
    login_admin,
    require_route,
)

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the public site ----------------------------------------------------------------------


def test_a_disclosure_page_escapes_its_title_summary_and_table_cells(client, hostile_list):
    html = html_of(client.get(hostile_list.url))
    assert_escaped(html)
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html  # shown, as text
    assert "&quot;&gt;&lt;img src=x onerror" in html


def test_the_home_page_and_the_index_escape_titles(client, hostile_list):
    assert_escaped(html_of(client.get("/")))
    assert hostile_list.title[:4] in html_of(client.get(hostile_list.get_parent().url))
    assert_escaped(html_of(client.get(hostile_list.get_parent().url)))


def test_search_results_escape_titles_snippets_and_rows(client, hostile_list):
    for params in ({"q": "加分名单"}, {"q": "洛阳市第四高级中学", "scope": "entry"}):
        html = html_of(client.get("/search/", params))
        assert "共找到 1 条" in html, params
        assert_escaped(html)
    for payload in PAYLOADS:
        assert_escaped(html_of(client.get("/search/", {"q": payload})))


def test_the_lookup_escapes_what_the_public_typed_and_what_it_found(client, hostile_list):
    for payload in PAYLOADS:
        html = html_of(client.post("/lookup/", {"check": "name", "name": payload[:60]}))
        assert_escaped(html)
    found = client.post(
        "/lookup/", {"check": "name", "name": "廖鑫", "school": "洛阳市第四高级中学" + SCRIPT}
    )
    html = html_of(found)
    assert "廖鑫" in html and "见义勇为" in html
    assert_escaped(html)


def test_the_public_ledger_escapes_titles(client, hostile_list):
    assert LedgerEntry.objects.filter(disclosure_id=hostile_list.pk).exists()
    assert_escaped(html_of(client.get("/ledger/")))


def test_json_answers_are_served_as_json_with_nosniff(client, hostile_list):
    entry = LedgerEntry.objects.filter(disclosure_id=hostile_list.pk).first()
    for path in ("/api/v1/ledger/", f"/api/v1/ledger/entries/{entry.seq}/"):
        response = client.get(path)
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert SCRIPT in json.dumps(response.json(), ensure_ascii=False)  # data, kept exact
    response = client.get("/api/v1/lookup/admission", {"exam_number": SCRIPT, "name": SCRIPT})
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_withdrawal_reason_is_escaped_on_the_tombstone(client, hostile_list):
    add_disclosure(
        NoticePage,
        title="撤回公告" + SCRIPT,
        notice_type="withdrawal",
        target=hostile_list,
        reason="理由" + ATTRIBUTE,
    )
    html = html_of(client.get(hostile_list.url))
    assert "已撤下" in html
    assert_escaped(html)


# --- rich text ------------------------------------------------------------------------------


def _contentstate(text: str, url: str) -> str:
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 4, "key": 0}],
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x"])
def test_rich_text_from_the_admin_editor_keeps_text_and_drops_script_links(url):
    widget = DisclosurePage._meta.get_field("body").formfield().widget
    stored = widget.value_from_datadict(
        {"body": _contentstate("点击这里" + SCRIPT, url)}, {}, "body"
    )
    assert "<script" not in stored and "&lt;script&gt;" in stored
    assert "javascript:" not in stored.lower() and "data:text" not in stored
    assert set(RICH_TEXT_FEATURES) >= {"link", "document-link"}  # the features under test


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_edit_view_listing_preview_and_history_escape_payloads(
    client, hostile_list, superuser
):
    login_admin(client, superuser)
    page = DisclosurePage.objects.get(pk=hostile_list.pk)
    parent = page.get_parent()
    revisions = list(page.revisions.order_by("pk").values_list("pk", flat=True))
    for path in (
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{parent.pk}/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/pages/{page.pk}/revisions/{revisions[-1]}/view/",
        f"/admin/pages/{page.pk}/revisions/compare/earliest...{revisions[-1]}/",
        "/admin/",
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_escaped(response.content.decode())


def test_the_admin_preview_escapes_payloads(client, hostile_list, superuser):
    login_admin(client, superuser)
    page = DisclosurePage.objects.get(pk=hostile_list.pk).specific
    response = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    # Wagtail renders the preview of the stored draft when none was posted in this session.
    assert response.status_code in (200, 400), response.status_code
    assert_escaped(response.content.decode())
    direct = page.make_preview_request(original_request=None)
    assert_escaped(direct.render().content.decode() if hasattr(direct, "render") else "")


def test_the_import_preview_escapes_file_names_and_cells(client, superuser):
    from disclosure.models import ImportJob

    from .conftest import hostile_candidate_dataset

    dataset = hostile_candidate_dataset(filename=SCRIPT + ".csv")
    job = ImportJob.objects.create(
        kind="candidate_list",
        source_filename=ATTRIBUTE + ".csv",
        dataset=dataset,
        status=ImportJob._meta.get_field("status").default,
        created_by=superuser,
    )
    login_admin(client, superuser)
    for path in ("/admin/imports/", f"/admin/imports/{job.pk}/"):
        html = html_of(client.get(path))
        assert_escaped(html)


def test_a_document_file_name_is_escaped_in_the_admin_and_quoted_in_the_download(client, superuser):
    Document = get_document_model()
    document = Document(title="文件" + SCRIPT)
    document.file.save("a.txt", ContentFile(b"<html><script>alert(1)</script></html>"), save=False)
    document.save()
    login_admin(client, superuser)
    for path in ("/admin/documents/", f"/admin/documents/edit/{document.pk}/"):
        assert_escaped(html_of(client.get(path)))
    download = client.get(document.url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'"


# --- surfaces being built on other branches ----------------------------------------------


def test_the_feed_escapes_nothing_into_html_and_is_json(client, hostile_list):
    require_route("/feed.json", "the open-data feed")
    response = client.get("/feed.json")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    assert response.get("X-Content-Type-Options") == "nosniff"
    body = response.json()
    for item in body.get("items", []):
        # content_html, if the feed carries it, is HTML a reader will render: escaped.
        assert_escaped(item.get("content_html", ""))


def test_a_spreadsheet_formula_is_refused_at_import_so_no_download_can_carry_one():
    from disclosure.imports import ImportRejected

    from .conftest import CANDIDATE_HEADER, CANDIDATE_ROW, csv_cell

    for formula in ('=HYPERLINK("http://evil.invalid","x")', "+1+cmd|' /C calc'!A0", "@SUM(1)"):
        row = CANDIDATE_ROW.format(
            school="洛阳市第四高级中学", category="烈士子女", remarks=csv_cell(formula)
        )
        data = (CANDIDATE_HEADER + "\n" + row + "\n").encode()
        with pytest.raises(ImportRejected, match="疑似公式"):
            from disclosure.imports import import_file

            import_file(io.BytesIO(data), "f.csv", "candidate_list")


def test_the_open_data_csv_and_json_are_not_html(client, hostile_list):
    require_route("/api/v1/disclosures/", "the open-data API")
    base = f"/api/v1/disclosures/{hostile_list.pk}"
    as_json = client.get(f"{base}/entries.json")
    assert as_json.status_code == 200 and "json" in as_json["Content-Type"]
    as_csv = client.get(f"{base}/entries.csv")
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"].startswith("text/csv")
    detail = client.get(f"{base}/")
    assert detail.status_code == 200 and "json" in detail["Content-Type"]


def test_objection_content_is_escaped_for_the_objector_and_the_handler(
    client, hostile_list, superuser, demo
):
    require_route("/objections/", "objections")
    response = client.post(
        "/objections/new/",
        {
            "disclosure": hostile_list.pk,
            "name": "张三" + SCRIPT[:20],
            "phone": "13800138000",
            "content": "名单中第1行考生的照顾类别与事实不符，请核查。" + SCRIPT + ATTRIBUTE,
        },
    )
    assert response.status_code in (200, 302, 400), response.status_code
    assert_escaped(response.content.decode())
    if response.status_code == 302:
        assert_escaped(html_of(client.get(response["Location"])))
    login_admin(client, superuser)
    listing = client.get("/admin/objections/")
    if listing.status_code == 200:
        assert_escaped(listing.content.decode())
