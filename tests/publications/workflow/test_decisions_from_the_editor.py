"""A decision taken in the page editor is only a decision: it never saves the editor's form.

The editor posts its whole form with 通过/退回修改. What the form holds depends on the browser:
before the rich-text editor's script has run, `body` is the server-rendered contentstate
(`<p data-block-key="…"></p>` once converted, not the stored ""), and the window fields are
shown to the minute, so a window stored with seconds comes back different. Saving that as a
revision made the reviewer an author of the content under review, and the separation of
duties then refused their own decision.
"""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Revision, WorkflowState

from publications.models import QuorumVote

from .conftest import login_verified, messages_of, refresh

pytestmark = pytest.mark.django_db


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def form_as_rendered(client, page) -> dict[str, str]:
    """The edit form's fields as the server rendered them, before any script runs."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("form[data-edit-form]")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.string or ""
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def decide_in_editor(client, user, page, action="approve", **extra):
    login_verified(client, user)
    data = form_as_rendered(client, page)
    data.update({"action-workflow-action": "true", "workflow-action-name": action})
    if extra:
        data["workflow-action-extra-data"] = json.dumps(extra)
    return client.post(edit_url(page), data)


def authors(page) -> set[str]:
    revisions = Revision.page_revisions.filter(object_id=str(page.pk))
    return set(revisions.values_list("user__username", flat=True))


def stage(page):
    state = refresh(page).current_workflow_task_state
    return state.task.name if state else None


def test_the_form_as_rendered_differs_from_what_is_stored(client, submitted, people):
    """The premise: the unscripted form does not round-trip (else this file proves nothing)."""
    login_verified(client, people.reviewer1)
    data = form_as_rendered(client, submitted)
    assert json.loads(data["body"])["blocks"], "body is rendered as a contentstate block"
    stored = refresh(submitted)
    assert stored.body == ""
    assert stored.window_opens_at.second or stored.window_opens_at.microsecond


def test_approvals_in_the_editor_pass_the_page_on_and_publish_it(client, submitted, people):
    response = decide_in_editor(client, people.reviewer1, submitted)
    assert response.status_code == 302
    assert not any("不能审批" in m for m in messages_of(response)), messages_of(response)
    assert stage(submitted) == "集体审定"

    decide_in_editor(client, people.committee1, submitted, comment="同意公示")
    assert stage(submitted) == "集体审定"
    vote = QuorumVote.objects.get(member=people.committee1)
    assert vote.comment == "同意公示"

    decide_in_editor(client, people.committee2, submitted)
    page = refresh(submitted)
    assert stage(page) is None and page.live
    assert authors(page) == {"editor"}, "a decision must not save the reviewer's form"


def test_a_rejection_in_the_editor_saves_nothing_either(client, submitted, people):
    decide_in_editor(client, people.reviewer1, submitted, "reject", comment="请核对名单")
    run = WorkflowState.objects.for_instance(submitted).get()
    assert run.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert authors(submitted) == {"editor"}


def test_a_decision_on_a_revision_no_longer_the_latest_is_refused(client, submitted, people):
    login_verified(client, people.reviewer1)
    data = form_as_rendered(client, submitted)  # the reviewer opens the editor …
    page = refresh(submitted)
    page.summary = "编辑在初审期间改了摘要。"
    page.save_revision(user=people.editor2)  # … and meanwhile an editor saves a new version
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    response = client.post(edit_url(submitted), data)
    assert any("已有新的修改" in m for m in messages_of(response)), messages_of(response)
    assert stage(submitted) == "初审"
    assert authors(submitted) == {"editor", "editor2"}
