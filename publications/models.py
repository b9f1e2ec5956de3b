"""Models of `publications`, gathered here so Django finds them."""

from publications.ledger.models import Checkpoint, LedgerEntry
from publications.objections.models import Objection, ObjectionEvent
from publications.rights.models import IssuerMembership, ReviewBoard, UploadIssuer
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
    "IssuerMembership",
    "LedgerEntry",
    "Objection",
    "ObjectionEvent",
    "QuorumApprovalTask",
    "QuorumVote",
    "Recusal",
    "ReviewBoard",
    "ReviewTask",
    "UploadIssuer",
]
