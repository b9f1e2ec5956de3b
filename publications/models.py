"""Models of `publications`, gathered here so Django finds them."""

from publications.ledger.models import Checkpoint, LedgerEntry
from publications.objections.models import Objection, ObjectionEvent
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
    "Objection",
    "ObjectionEvent",
    "QuorumApprovalTask",
    "QuorumVote",
    "Recusal",
    "ReviewTask",
]
