"""The pure rules of level-by-level disclosure (disclosure/chain.py, disclosure/hierarchy.py).

No database: the issuer tree is (id, parent) pairs and lists are plain facts."""

from disclosure import hierarchy
from disclosure.chain import ListFacts, Row, basis_errors, compare_rows

# 1 province → 2 city → 3, 4 counties → 5 school (under 3); 6 another city
PARENTS = {1: None, 2: 1, 3: 2, 4: 2, 5: 3, 6: 1}


def facts(pk, issuer_id, *, year=2026, list_type="bonus", published=True, title=None):
    return ListFacts(
        pk=pk,
        title=title or f"名单{pk}",
        issuer_id=issuer_id,
        issuer_name=f"机构{issuer_id}",
        admission_year=year,
        list_type=list_type,
        published=published,
    )


def test_a_subtree_holds_the_issuer_and_everyone_below_it():
    assert hierarchy.subtree(PARENTS.items(), 2) == {2, 3, 4, 5}
    assert hierarchy.subtree(PARENTS.items(), 5) == {5}
    assert hierarchy.subtree(PARENTS.items(), 1) == {1, 2, 3, 4, 5, 6}


def test_a_subtree_of_a_broken_tree_with_a_cycle_ends():
    assert hierarchy.subtree([(1, 2), (2, 1)], 1) == {1, 2}
    assert hierarchy.ancestors({1: 2, 2: 1}, 1) == [2]


def test_ancestors_are_listed_nearest_first():
    assert hierarchy.ancestors(PARENTS, 5) == [3, 2, 1]
    assert hierarchy.ancestors(PARENTS, 1) == []


def test_an_issuer_cannot_be_made_its_own_ancestor():
    assert hierarchy.would_cycle(PARENTS, 2, 2)  # its own parent
    assert hierarchy.would_cycle(PARENTS, 2, 5)  # a grandchild as parent
    assert hierarchy.would_cycle(PARENTS, 1, 3)
    assert not hierarchy.would_cycle(PARENTS, 5, 4)  # a move to a sibling county
    assert not hierarchy.would_cycle(PARENTS, 3, None)


def test_below_means_strictly_below_directly_or_transitively():
    assert hierarchy.is_below(PARENTS, 5, 1)
    assert hierarchy.is_below(PARENTS, 3, 2)
    assert not hierarchy.is_below(PARENTS, 2, 2)
    assert not hierarchy.is_below(PARENTS, 4, 3)  # a sibling
    assert not hierarchy.is_below(PARENTS, 6, 2)  # another city
    assert not hierarchy.is_below(PARENTS, 1, 5)  # above, not below


def test_a_city_list_may_rest_on_published_lists_of_its_counties_and_their_schools():
    city = facts(10, 2)
    assert basis_errors(city, [facts(11, 3), facts(12, 4), facts(13, 5)], PARENTS) == {}


def test_a_list_of_a_sibling_a_parent_or_another_city_is_refused():
    county = facts(10, 3)
    errors = basis_errors(county, [facts(11, 4), facts(12, 2), facts(13, 6)], PARENTS)
    assert set(errors) == {0, 1, 2}
    assert "不是机构3的下级机构" in errors[0]


def test_a_list_of_the_same_issuer_is_not_a_lower_list():
    errors = basis_errors(facts(10, 3), [facts(11, 3)], PARENTS)
    assert "下级机构" in errors[0]


def test_a_list_cannot_rest_on_itself_nor_twice_on_one_list():
    errors = basis_errors(facts(10, 2), [facts(10, 2), facts(11, 3), facts(11, 3)], PARENTS)
    assert errors[0] == "名单不能以其自身为依据。"
    assert 1 not in errors
    assert "只能选择一次" in errors[2]


def test_an_unpublished_list_may_not_be_chosen_but_stays_once_chosen():
    draft = facts(11, 3, published=False)
    assert "已发布" in basis_errors(facts(10, 2), [draft], PARENTS)[0]
    # Chosen earlier while published, withdrawn since: the record stands.
    assert basis_errors(facts(10, 2), [draft], PARENTS, newly_chosen=set()) == {}


def test_a_list_of_another_year_or_type_is_refused():
    errors = basis_errors(
        facts(10, 2), [facts(11, 3, year=2025), facts(12, 4, list_type="sports")], PARENTS
    )
    assert "招生年度" in errors[0] and "2025年" in errors[0]
    assert "名单类型" in errors[1]


def row(name, school="一中", exam="", ident="", source=None):
    return Row(exam_hmac=exam, id_hmac=ident, name=name, school=school, source=source)


def test_rows_are_matched_by_exam_number_hmac_even_if_the_name_was_corrected():
    changes = compare_rows([row("张叁", exam="e1")], [row("张三", exam="e1")])
    assert not changes.changed and changes.kept == 1


def test_rows_are_matched_by_id_number_hmac_where_there_is_no_exam_number():
    changes = compare_rows([row("李四", school="二中", ident="i1")], [row("李四", ident="i1")])
    assert not changes.changed


def test_rows_without_identifiers_are_matched_by_name_and_school():
    changes = compare_rows(
        [row("王五"), row("赵六", school="二中")], [row("王五"), row("赵六", school="三中")]
    )
    assert [r.name for r in changes.added] == ["赵六"]
    assert [(r.name, r.school) for r in changes.removed] == [("赵六", "三中")]


def test_two_people_of_one_name_and_school_are_told_apart_by_their_exam_numbers():
    changes = compare_rows([row("张伟", exam="e2")], [row("张伟", exam="e1")])
    assert len(changes.added) == 1 and len(changes.removed) == 1


def test_a_row_added_and_a_row_removed_between_levels_are_both_reported():
    lower = [row("甲", exam="a", source=1), row("乙", exam="b", source=1), row("丙", source=2)]
    higher = [row("甲", exam="a"), row("丁", exam="d"), row("丙")]
    changes = compare_rows(higher, lower)
    assert [r.name for r in changes.added] == ["丁"]
    assert [(r.name, r.source) for r in changes.removed] == [("乙", 1)]
    assert changes.kept == 2


def test_duplicate_rows_are_counted_one_for_one():
    changes = compare_rows([row("甲"), row("甲")], [row("甲")])
    assert len(changes.added) == 1 and changes.kept == 1
