"""Every URL of the site, from the URL resolver and the page tree, with its parameters filled
by real objects of the demo content (and, as mutations, by ids of nothing, of other kinds of
object, and numbers past any column's range)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# The parts of a route that take a value: <conv:name> or a regex group.
_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*(?:\([^()]*\)[^()]*)*\)")
# Routes that end the session or are Wagtail's catch-alls (walked through the page tree).
NOT_WALKED = {"admin/logout/", "admin/^.*/$", "^((?:[\\w\\-]+/)*)$"}


def routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [route for route in walk(get_resolver().url_patterns) if route not in NOT_WALKED]


def real_values() -> dict[str, str]:
    """A real object for each parameter name the routes use."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, Page, Revision, Site, Task, TaskState, WorkflowState

    from disclosure.models import DisclosureIndexPage, DisclosurePage, Issuer
    from publications.ledger.models import LedgerEntry

    # A page in review, so that the workflow's action URLs name its real task state.
    task_state = TaskState.objects.filter(status="in_progress").order_by("pk").first()
    page = DisclosurePage.objects.get(pk=int(task_state.workflow_state.object_id))
    index = DisclosureIndexPage.objects.first()
    workflow_state = WorkflowState.objects.first()
    revision = Revision.page_revisions.filter(object_id=str(page.pk)).first()
    document = get_document_model().objects.first()
    entry = LedgerEntry.objects.order_by("seq").last()
    values = {
        "page_id": page.pk,
        "parent_page_id": index.pk,
        "page_to_move_id": page.pk,
        "destination_id": index.pk,
        "revision_id": revision.pk if revision else 1,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "task_state_id": task_state.pk if task_state else 1,
        "workflow_state_id": workflow_state.pk if workflow_state else 1,
        "task_id": Task.objects.first().pk,
        "workflow_pk": 1,
        "page_pk": page.pk,
        "content_type_app_name": "disclosure",
        "content_type_model_name": "policypage",
        "app_label": "disclosure",
        "model_name": "policypage",
        "app_name": "sunshine",
        "action_name": "approve",
        "action": "delete",
        "document_id": document.pk if document else 1,
        "doc_id": document.pk if document else 1,
        "collection_id": Collection.objects.first().pk,
        "seq": entry.pk if entry else 1,
        "code": "NOTACODE",
        "uidb64": "MQ",
        "token": "set-password",
        "filter_spec": "original",
        "session_id": 1,
        "object_id": page.pk,
        "restriction_id": 1,
        "page_view_restriction_id": 1,
    }
    by_model = {
        "issuer": Issuer.objects.first().pk,
        "users": get_user_model().objects.get(username="editor").pk,
        "groups": Group.objects.first().pk,
        "sites": Site.objects.first().pk,
        "pages": page.pk,
        "disclosures": page.pk,
    }
    values["pk"] = page.pk
    values["_by_model"] = by_model
    values["_root"] = Page.objects.get(depth=1).pk
    return values


def fill(route: str, values: dict, override=None) -> str:
    """The route with every parameter given a value (`override(name, real)` may replace it)."""

    def value_for(name: str) -> str:
        real = values.get(name, 1)
        if name == "pk":
            for key, pk in values["_by_model"].items():
                if f"/{key}/" in "/" + route:
                    real = pk
        return str(override(name, real) if override else real)

    path = route.replace("^", "").replace("$", "")
    path = _PARAM.sub(lambda m: value_for(m.group("name")), path)
    path = _REGEX_GROUP.sub(lambda m: value_for(m.group("name") or "path"), path)
    path = path.replace("\\.", ".").replace("\\d+", "1")
    if route.startswith("documents/^"):
        path = f"documents/{value_for('document_id')}/file.pdf"
    return "/" + path


def page_urls() -> list[str]:
    """Every page of the tree the public could be sent to, live or not."""
    from wagtail.models import Page

    return [page.url for page in Page.objects.filter(depth__gt=1).specific() if page.url]
