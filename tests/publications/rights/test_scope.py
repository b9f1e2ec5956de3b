"""The pure rules of issuer-scoped rights (no database)."""

from publications.rights import scope

# 1 province → 2 city → 3 county A, 4 county B; 5 another province
TREE = {1: None, 2: 1, 3: 2, 4: 2, 5: None}


def test_an_account_reaches_its_issuer_and_every_issuer_below_it():
    assert scope.subtree({2}, TREE) == {2, 3, 4}
    assert scope.subtree({1}, TREE) == {1, 2, 3, 4}


def test_a_county_account_reaches_neither_its_sibling_nor_its_parent():
    reach = scope.subtree({3}, TREE)
    assert reach == {3}
    assert not scope.may_act_on(reach, 4)
    assert not scope.may_act_on(reach, 2)


def test_an_account_of_several_issuers_reaches_each_subtree():
    assert scope.subtree({3, 5}, TREE) == {3, 5}


def test_an_account_of_no_issuer_reaches_nothing():
    assert scope.subtree(set(), TREE) == frozenset()
    assert not scope.may_act_on(frozenset(), 1)


def test_content_without_an_issuer_is_reached_only_platform_wide():
    assert not scope.may_act_on(frozenset({1, 2}), None)
    assert scope.may_act_on(scope.ALL_ISSUERS, None)
    assert scope.may_act_on(scope.ALL_ISSUERS, 999)


def test_ancestors_stop_on_a_cycle_instead_of_looping():
    assert scope.ancestors(3, TREE) == [2, 1]
    assert scope.ancestors(1, {1: 2, 2: 1}) == [2]


def test_an_issuers_own_board_wins_over_its_levels_default():
    own, default = scope.Board(quorum=3), scope.Board(quorum=1)
    assert scope.board_for(3, "county", {3: own}, {"county": default}) is own
    assert scope.board_for(4, "county", {3: own}, {"county": default}) is default
    assert scope.board_for(2, "city", {3: own}, {"county": default}) == scope.Board()


def test_an_approval_counts_only_from_a_member_of_the_publishing_issuer():
    assert scope.counts_as_approver(
        user_id=7, member_of=frozenset({3}), publishing_issuer_id=3, named=None
    )
    # a member of the parent or of a sibling does not count
    for member_of in ({2}, {4}, {1}, set()):
        assert not scope.counts_as_approver(
            user_id=7, member_of=frozenset(member_of), publishing_issuer_id=3, named=None
        )


def test_where_the_board_names_people_only_they_count():
    assert not scope.counts_as_approver(
        user_id=7, member_of=frozenset({3}), publishing_issuer_id=3, named=frozenset({8})
    )
    assert scope.counts_as_approver(
        user_id=8, member_of=frozenset({3}), publishing_issuer_id=3, named=frozenset({8})
    )
