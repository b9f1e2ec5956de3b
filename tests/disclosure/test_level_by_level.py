"""Level-by-level disclosure (逐级公示): a higher list rests on published lower lists of the
issuers below it and pins their dataset, hashes and ledger version (docs/adr/0016)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Revision

from disclosure.models import CandidateListPage, ListBasis
from publications import roles
from publications.ledger.models import LedgerEntry
from tests.factories import workflow_person
from tests.publications.opendata.conftest import correct

from .chain_helpers import CITY_ROWS, COUNTY_ROWS, SIBLING_ROWS, candidate_list, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def county_lists(tree):
    return (
        candidate_list(tree["county"], "西工区2026年加分考生名单", COUNTY_ROWS),
        candidate_list(tree["sibling"], "涧西区2026年加分考生名单", SIBLING_ROWS),
    )


def test_a_city_list_rests_on_two_county_lists_and_pins_their_hashes_and_versions(
    tree, county_lists
):
    city = candidate_list(tree["city"], "洛阳市2026年加分考生名单", CITY_ROWS, bases=county_lists)
    rows = list(ListBasis.objects.filter(page=city).order_by("sort_order"))
    assert [r.basis_id for r in rows] == [p.pk for p in county_lists]
    for row, lower in zip(rows, county_lists, strict=True):
        entry = LedgerEntry.objects.filter(disclosure_id=lower.pk).order_by("-seq").first()
        assert row.basis_dataset_id == lower.dataset_id
        assert row.dataset_sha256 == lower.dataset.public_sha256
        assert (row.basis_version, row.basis_content_sha256) == (1, entry.content_sha256)
    # The chain is part of the approved revision, not only of the live tables.
    published = city.live_revision.as_object()
    assert [r.basis_content_sha256 for r in published.basis_lists.all()] == [
        r.basis_content_sha256 for r in rows
    ]


def test_a_lower_list_corrected_later_leaves_the_pinned_version_as_it_was(tree, county_lists):
    city = candidate_list(tree["city"], "洛阳市名单", CITY_ROWS, bases=county_lists[:1])
    pinned = ListBasis.objects.get(page=city)
    correct(county_lists[0], "更正：删去李四", [])
    again = ListBasis.objects.get(page=city)
    assert (again.basis_version, again.basis_content_sha256, again.basis_dataset_id) == (
        pinned.basis_version,
        pinned.basis_content_sha256,
        pinned.basis_dataset_id,
    )
    assert LedgerEntry.objects.filter(disclosure_id=county_lists[0].pk).count() >= 2


@pytest.mark.parametrize(
    ("lower_key", "message"),
    [
        ("sibling", "不是洛阳市西工区招生办公室的下级机构"),  # a sibling county's list
        ("city", "不是洛阳市西工区招生办公室的下级机构"),  # the parent's list
    ],
)
def test_a_county_list_cannot_rest_on_a_sibling_or_parent_list(tree, lower_key, message):
    lower = candidate_list(tree[lower_key], "别处的名单", SIBLING_ROWS)
    page = candidate_list(tree["county"], "西工区名单", COUNTY_ROWS, publish=False)
    page = CandidateListPage.objects.get(pk=page.pk)
    revisions = Revision.objects.count()
    page.basis_lists = [ListBasis(basis=lower)]
    with pytest.raises(ValidationError, match=message):
        page.save_revision(user=workflow_person("author", roles.EDITOR))
    assert Revision.objects.count() == revisions  # nothing stored
    assert not ListBasis.objects.filter(page_id=page.pk).exists()


def test_a_draft_lower_list_cannot_be_chosen(tree):
    draft = candidate_list(tree["county"], "未发布的名单", COUNTY_ROWS, publish=False)
    with pytest.raises(ValidationError, match="只能选择已发布"):
        candidate_list(tree["city"], "洛阳市名单", CITY_ROWS, bases=[draft], publish=False)
    # Wagtail stores a new draft page before its first revision; no revision holds the chain.
    assert not CandidateListPage.objects.get(title="洛阳市名单").revisions.exists()


def test_a_lower_list_of_another_type_or_year_is_refused(tree, county_lists):
    with pytest.raises(ValidationError, match="名单类型"):
        candidate_list(
            tree["city"], "市级运动队名单", CITY_ROWS, bases=county_lists[:1], list_type="sports"
        )
    with pytest.raises(ValidationError, match="招生年度"):
        candidate_list(
            tree["city"], "市级下一年名单", CITY_ROWS, bases=county_lists[:1], admission_year=2099
        )


def test_a_list_cannot_rest_on_itself(tree, county_lists):
    page = CandidateListPage.objects.get(pk=county_lists[0].pk)
    page.change_note = "更正"
    page.basis_lists = [ListBasis(basis=page)]
    with pytest.raises(ValidationError, match="不能以其自身为依据"):
        page.save_revision()


# --- the admin: editors choose the lower lists; the form rules on them with its own issuer ---


def edit_form_data(client, page, bases):
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if k != "body"}
    fmt = "%Y-%m-%d %H:%M"
    from django.utils import timezone

    data.update(
        {
            "window_opens_at": timezone.localtime(page.window_opens_at).strftime(fmt),
            "window_closes_at": timezone.localtime(page.window_closes_at).strftime(fmt),
            "tags": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "basis_lists-TOTAL_FORMS": str(len(bases)),
            "basis_lists-INITIAL_FORMS": "0",
            "basis_lists-MIN_NUM_FORMS": "0",
            "basis_lists-MAX_NUM_FORMS": "1000",
        }
    )
    for i, basis in enumerate(bases):
        data[f"basis_lists-{i}-basis"] = basis.pk
        data[f"basis_lists-{i}-ORDER"] = str(i + 1)
        data[f"basis_lists-{i}-DELETE"] = ""
        data[f"basis_lists-{i}-id"] = ""
    return data


@pytest.fixture
def county_draft(tree):
    return candidate_list(tree["county"], "西工区名单（草稿）", COUNTY_ROWS, publish=False)


def test_the_admin_refuses_a_sibling_countys_list_with_a_chinese_message(
    client, tree, county_draft
):
    sibling = candidate_list(tree["sibling"], "涧西区名单", SIBLING_ROWS)
    client.force_login(workflow_person("author", roles.EDITOR))
    revisions = county_draft.revisions.count()
    data = edit_form_data(client, county_draft, [sibling])
    response = client.post(f"/admin/pages/{county_draft.pk}/edit/", data)
    assert response.status_code == 200  # the form again, not a redirect
    assert "洛阳市涧西区招生办公室不是洛阳市西工区招生办公室的下级机构" in (
        response.content.decode()
    )
    assert county_draft.revisions.count() == revisions
    assert not ListBasis.objects.filter(page_id=county_draft.pk).exists()


def test_the_admin_rules_with_the_issuer_chosen_in_the_same_form(client, tree):
    """A school's list may rest on nothing of its county; moving the page to the city in the
    same form makes the county's list a lower list."""
    county_list = candidate_list(tree["county"], "西工区名单", COUNTY_ROWS)
    page = candidate_list(tree["school"], "四中名单", CITY_ROWS, publish=False)
    client.force_login(workflow_person("author", roles.EDITOR))
    data = edit_form_data(client, page, [county_list])
    refused = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert refused.status_code == 200 and "下级机构" in refused.content.decode()
    data["issuer"] = tree["city"].pk
    accepted = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    latest = CandidateListPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    [row] = latest.basis_lists.all()
    assert row.basis_id == county_list.pk
    assert row.dataset_sha256 == county_list.dataset.public_sha256
    assert row.basis_version == 1 and len(row.basis_content_sha256) == 64


def test_the_admin_refuses_a_draft_lower_list(client, tree, county_draft):
    city = candidate_list(tree["city"], "洛阳市名单", CITY_ROWS, publish=False)
    client.force_login(workflow_person("author", roles.EDITOR))
    response = client.post(
        f"/admin/pages/{city.pk}/edit/", edit_form_data(client, city, [county_draft])
    )
    assert response.status_code == 200
    assert "只能选择已发布" in response.content.decode()


def test_the_ledger_hashes_the_chain_a_list_rests_on(tree, county_lists):
    from publications.ledger.content import page_content_sha256, public_content

    city = candidate_list(tree["city"], "洛阳市名单", CITY_ROWS, bases=county_lists)
    document = public_content(city.live_revision.as_object())
    pins = list(ListBasis.objects.filter(page=city).order_by("sort_order"))
    assert document["basis"] == [
        {
            "disclosure_id": row.basis_id,
            "version": row.basis_version,
            "content_sha256": row.basis_content_sha256,
            "dataset_public_sha256": row.dataset_sha256,
        }
        for row in pins
    ]
    entry = LedgerEntry.objects.filter(disclosure_id=city.pk).order_by("-seq").first()
    assert entry.content_sha256 == page_content_sha256(city.live_revision.as_object())
    # A list without a basis keeps the document it always had.
    assert "basis" not in public_content(CandidateListPage.objects.get(pk=county_lists[0].pk))
