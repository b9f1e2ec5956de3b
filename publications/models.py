"""Models of `publications`, gathered here so Django finds them."""

from publications.ledger.models import Checkpoint, LedgerEntry
from publications.workflow.models import (
    ApprovedRevision,
    QuorumApprovalTask,
    QuorumVote,
    Recusal,
    ReviewTask,
)

__all__ = [
    "ApprovedRevision",
    "Checkpoint",
    "LedgerEntry",
    "QuorumApprovalTask",
    "QuorumVote",
    "Recusal",
    "ReviewTask",
]
