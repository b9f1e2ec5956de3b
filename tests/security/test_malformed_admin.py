"""Malformed values posted to the admin's edit forms come back as the form with a Chinese
message, never a 500, and change nothing (no revision, no publication, no ledger entry).

The reported case (issue 20): the demo editor posts "publish" on the home page's or the
disclosure index's edit form with a rich-text field that is not the editor's JSON. The bad
values tried (MALFORMED_CONTENTSTATE): not JSON, truncated JSON, JSON of other shapes (a
list, a string, a number out of float range, blocks that are numbers, an entity range to no
entity, a style range whose offset is a word), nesting 100,000 deep. One test per action
walks them all: the demo content takes seconds to load."""

import pytest
from django.contrib.auth import get_user_model

from tests.fuzz.forms import form_with_field
from tests.fuzz.state import snapshot

from .conftest import login_admin

pytestmark = pytest.mark.django_db

GOOD_CONTENTSTATE = (
    '{"blocks":[{"key":"a1b2c","text":"欢迎","type":"unstyled","depth":0,'
    '"inlineStyleRanges":[],"entityRanges":[],"data":{}}],"entityMap":{}}'
)
MALFORMED_CONTENTSTATE = {
    "not json": "{not json",
    "truncated": GOOD_CONTENTSTATE[:40],
    "a list": "[]",
    "a string": '"正文"',
    "blocks that are numbers": '{"blocks":[1]}',
    "an entity range to no entity": GOOD_CONTENTSTATE.replace(
        '"entityRanges":[]', '"entityRanges":[{"key":9,"offset":0,"length":1}]'
    ),
    "a number too big for a float": "1e999999",
    "a style range offset that is a word": GOOD_CONTENTSTATE.replace(
        '"inlineStyleRanges":[]',
        '"inlineStyleRanges":[{"offset":"x","length":1,"style":"BOLD"}]',
    ),
    "nested 100,000 deep": "[" * 100_000,
}
MESSAGE = "正文格式无法识别"


def edit_form_data(client, page, field: str, value: str, action: str):
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    form = form_with_field(html, field)
    data = [(name, v) for name, v in form.data() if name != field]
    return [*data, (field, value)] + ([(action, action)] if action != "save-draft" else [])


def home_and_index():
    from disclosure.models import DisclosureIndexPage
    from sunshine.models import HomePage

    return [HomePage.objects.get(), DisclosureIndexPage.objects.first()]


def post(client, page, data):
    from urllib.parse import urlencode

    return client.post(
        f"/admin/pages/{page.pk}/edit/",
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.fixture
def editor_client(demo, client):
    client.raise_request_exception = False
    return login_admin(client, get_user_model().objects.get(username="editor"))


@pytest.mark.parametrize("action", ["action-publish", "action-submit", "save-draft"])
def test_the_home_page_or_the_index_posted_with_malformed_rich_text_shows_the_form_again(
    editor_client, action
):
    for page in home_and_index():
        untouched = edit_form_data(editor_client, page, "intro", "", action)
        for label, value in MALFORMED_CONTENTSTATE.items():
            data = [(name, v if name != "intro" else value) for name, v in untouched]
            before = snapshot()
            response = post(editor_client, page, data)
            assert response.status_code == 200, (page, label, response.status_code)
            assert MESSAGE in response.content.decode(), (page, label)
            assert snapshot().differences(before) == [], (page, label)


def test_the_same_form_with_readable_rich_text_is_not_refused_for_its_format(editor_client):
    for page in home_and_index():
        data = edit_form_data(editor_client, page, "intro", GOOD_CONTENTSTATE, "action-publish")
        response = post(editor_client, page, data)
        assert response.status_code in (200, 302), (page, response.status_code)
        assert MESSAGE not in response.content.decode()
