"""Pure rules of issuer-scoped rights: no ORM, no clock.

An account belongs to one or more issuers; what it may do holds for those issuers and every
issuer below them (the subtree), nothing else. The tree is given as `parent_of`, a mapping
from issuer id to its parent's id (None at the top).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class _Everything:
    """The scope of a platform administrator: every issuer, present and future."""

    def __contains__(self, issuer_id) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL_ISSUERS"


ALL_ISSUERS = _Everything()


def ancestors(issuer_id: int, parent_of: Mapping[int, int | None]) -> list[int]:
    """The issuer's ancestors, nearest first; stops on a cycle rather than looping."""
    seen = {issuer_id}
    chain = []
    current = parent_of.get(issuer_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parent_of.get(current)
    return chain


def subtree(roots: Iterable[int], parent_of: Mapping[int, int | None]) -> frozenset[int]:
    """The given issuers and every issuer below them."""
    roots = set(roots)
    return frozenset(
        issuer_id
        for issuer_id in parent_of
        if issuer_id in roots or roots.intersection(ancestors(issuer_id, parent_of))
    )


def may_act_on(scope, issuer_id: int | None) -> bool:
    """Whether an account whose scope is `scope` may act on content of `issuer_id`.

    Content with no issuer is the platform's own: only a platform-wide scope reaches it.
    """
    if scope is ALL_ISSUERS:
        return True
    return issuer_id is not None and issuer_id in scope


@dataclass(frozen=True)
class Board:
    """Who reviews and decides for one issuer: named people (None: anyone of the issuer
    holding the role) and the committee's quorum (None: the workflow task's own)."""

    reviewer_ids: frozenset[int] | None = None
    committee_ids: frozenset[int] | None = None
    quorum: int | None = None


def board_for(
    issuer_id: int,
    level: str,
    boards_by_issuer: Mapping[int, Board],
    boards_by_level: Mapping[str, Board],
) -> Board:
    """The issuer's own board, else its level's default, else the workflow's defaults."""
    return boards_by_issuer.get(issuer_id) or boards_by_level.get(level) or Board()


def counts_as_approver(
    *,
    user_id: int,
    member_of: frozenset[int],
    publishing_issuer_id: int | None,
    named: frozenset[int] | None,
) -> bool:
    """An approval counts only from a member of the issuer that publishes (membership of
    an issuer above it does not count), and, where the board names people, from one of them."""
    if publishing_issuer_id is None or publishing_issuer_id not in member_of:
        return False
    return named is None or user_id in named
