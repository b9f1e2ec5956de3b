"""Who reviews and decides for the issuer that publishes a disclosure (read from the database)."""

from disclosure.models import DisclosurePage, Issuer

from . import scope
from .models import IssuerMembership, ReviewBoard


def _as_board(board: ReviewBoard) -> scope.Board:
    reviewers = frozenset(board.reviewers.values_list("pk", flat=True))
    committee = frozenset(board.committee.values_list("pk", flat=True))
    return scope.Board(
        reviewer_ids=reviewers or None, committee_ids=committee or None, quorum=board.quorum
    )


def board_for(issuer: Issuer | None) -> scope.Board:
    """The issuer's own board, else its level's default, else the workflow's defaults."""
    if issuer is None:
        return scope.Board()
    own = ReviewBoard.objects.filter(issuer=issuer).first()
    default = ReviewBoard.objects.filter(issuer__isnull=True, level=issuer.level).first()
    return scope.board_for(
        issuer.pk,
        issuer.level,
        {issuer.pk: _as_board(own)} if own else {},
        {issuer.level: _as_board(default)} if default else {},
    )


def publishing_issuer(page) -> Issuer | None:
    if isinstance(page, DisclosurePage):
        return page.issuer
    specific = getattr(page, "specific", page)
    return getattr(specific, "issuer", None)


def members_of(issuer_id) -> frozenset[int]:
    return frozenset(
        IssuerMembership.objects.filter(issuer_id=issuer_id).values_list("user_id", flat=True)
    )


def counts_as_approver(user, page, stage: str) -> bool:
    """`stage` is "review" (初审) or "committee" (集体审定)."""
    from . import access

    issuer = publishing_issuer(page)
    board = board_for(issuer)
    named = board.reviewer_ids if stage == "review" else board.committee_ids
    return scope.counts_as_approver(
        user_id=user.pk,
        member_of=access.member_of(user),
        publishing_issuer_id=issuer.pk if issuer else None,
        named=named,
    )


def pages_decided_by(user):
    """Ids of disclosure pages whose publishing issuer the user belongs to directly."""
    from . import access

    return DisclosurePage.objects.filter(issuer_id__in=list(access.member_of(user))).values_list(
        "pk", flat=True
    )
