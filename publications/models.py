"""Models of `publications`, gathered here so Django finds them."""

from publications.ledger.models import Checkpoint, LedgerEntry
from publications.windows.models import HolidayYear
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
    "HolidayYear",
    "LedgerEntry",
    "QuorumApprovalTask",
    "QuorumVote",
    "Recusal",
    "ReviewTask",
]
