"""Who may act on a review task: small pure rules, one per duty, no ORM and no clock.

Each rule takes the facts of one request to act and returns the reason for refusing, in
Chinese as the admin shows it, or None. `refusal_reason` applies them in a fixed order and
returns the first reason, so the person is told the most fundamental obstacle first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActFacts:
    """What is known about one person asking to act on one task of one workflow run."""

    user_id: int
    stage_name: str
    in_stage_group: bool
    # Issuer-scoped rights (ADR 0015): an approval counts only from a member of the issuer
    # that publishes, and, where its review board names people, from one of them.
    counts_for_issuer: bool = True
    issuer_name: str = ""
    task_in_progress: bool = True
    second_factor_verified: bool = False
    requires_second_factor: bool = True
    authors: frozenset[int] = frozenset()
    submitter_id: int | None = None
    owner_id: int | None = None
    acted_at_other_stages: frozenset[str] = frozenset()
    already_voted: bool = False
    recusal_reasons: tuple[str, ...] = field(default_factory=tuple)


Rule = Callable[[ActFacts], str | None]


def must_hold_the_stage_role(facts: ActFacts) -> str | None:
    if not facts.in_stage_group:
        return f"您不是“{facts.stage_name}”环节的审批人员，不能在此环节审批。"
    return None


def must_belong_to_the_publishing_issuer(facts: ActFacts) -> str | None:
    if not facts.counts_for_issuer:
        issuer = f"“{facts.issuer_name}”" if facts.issuer_name else "发布机构"
        return f"您不是{issuer}指定的“{facts.stage_name}”人员，审批只计发布机构本机构成员的意见。"
    return None


def task_must_be_open(facts: ActFacts) -> str | None:
    if not facts.task_in_progress:
        return f"“{facts.stage_name}”环节已经结束，不能再审批。"
    return None


def must_verify_second_factor(facts: ActFacts) -> str | None:
    if facts.requires_second_factor and not facts.second_factor_verified:
        return "审批前须完成二次验证（动态口令）：请在“二次验证”页面输入验证器上的6位口令。"
    return None


def must_not_approve_own_work(facts: ActFacts) -> str | None:
    if facts.user_id in facts.authors:
        return "您编辑过待审版本的内容，不能审批自己编写的内容（审编分离）。"
    if facts.user_id == facts.submitter_id:
        return "您提交了本次审批，不能审批自己提交的内容（审编分离）。"
    if facts.user_id == facts.owner_id:
        return "您是该页面的所有者，不能审批自己的页面（审编分离）。"
    return None


def must_not_act_at_two_stages(facts: ActFacts) -> str | None:
    if facts.acted_at_other_stages:
        stages = "、".join(sorted(facts.acted_at_other_stages))
        return f"您已在本次审批的“{stages}”环节审批过，同一人不能在两个环节审批。"
    return None


def must_not_vote_twice(facts: ActFacts) -> str | None:
    if facts.already_voted:
        return "您已在本环节表决过，每人只能表决一次。"
    return None


def must_not_be_recused(facts: ActFacts) -> str | None:
    if facts.recusal_reasons:
        return "您已申报回避，不能审批此公示：" + "；".join(facts.recusal_reasons) + "。"
    return None


RULES: tuple[Rule, ...] = (
    must_hold_the_stage_role,
    must_belong_to_the_publishing_issuer,
    task_must_be_open,
    must_not_approve_own_work,
    must_not_act_at_two_stages,
    must_not_be_recused,
    must_not_vote_twice,
    must_verify_second_factor,
)


def refusal_reason(facts: ActFacts) -> str | None:
    """The first reason this person may not act, or None if they may."""
    for rule in RULES:
        reason = rule(facts)
        if reason:
            return reason
    return None


def quorum_reached(approving_member_ids: set[int], quorum: int) -> bool:
    """Collective decision: at least `quorum` distinct members approved."""
    return len(approving_member_ids) >= max(1, quorum)
