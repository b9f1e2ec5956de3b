"""The pure rules on who may act on a review task (no database)."""

from publications.workflow.policies import ActFacts, quorum_reached, refusal_reason


def facts(**overrides):
    base = {
        "user_id": 7,
        "stage_name": "集体审定",
        "in_stage_group": True,
        "second_factor_verified": True,
        "submitter_id": 1,
        "owner_id": 1,
        "authors": frozenset({1}),
    }
    return ActFacts(**{**base, **overrides})


def test_a_verified_member_with_no_conflict_may_act():
    assert refusal_reason(facts()) is None


def test_someone_outside_the_stage_group_may_not_act():
    assert "不是“集体审定”环节的审批人员" in refusal_reason(facts(in_stage_group=False))


def test_a_finished_task_takes_no_more_decisions():
    assert "已经结束" in refusal_reason(facts(task_in_progress=False))


def test_authors_submitters_and_owners_may_not_approve():
    assert "自己编写" in refusal_reason(facts(authors=frozenset({7})))
    assert "自己提交" in refusal_reason(facts(submitter_id=7))
    assert "自己的页面" in refusal_reason(facts(owner_id=7))


def test_one_person_acts_at_one_stage_of_a_run():
    assert "初审" in refusal_reason(facts(acted_at_other_stages=frozenset({"初审"})))


def test_a_recusal_is_named_in_the_refusal():
    assert "亲属" in refusal_reason(facts(recusal_reasons=("对本公示申报了回避（亲属）",)))


def test_a_second_vote_is_refused():
    assert "表决过" in refusal_reason(facts(already_voted=True))


def test_acting_needs_a_verified_second_factor():
    assert "二次验证" in refusal_reason(facts(second_factor_verified=False))
    assert refusal_reason(facts(second_factor_verified=False, requires_second_factor=False)) is None


def test_quorum_counts_distinct_members():
    assert not quorum_reached({1}, 2)
    assert quorum_reached({1, 2}, 2)
    assert quorum_reached({1}, 0)  # never fewer than one approval
