"""Models of `publications`, gathered here so Django finds them."""

from publications.objections.models import Objection, ObjectionEvent  # noqa: F401
from publications.workflow.models import (
    ApprovedRevision,
    QuorumApprovalTask,
    QuorumVote,
    Recusal,
    ReviewTask,
)

__all__ = ["ApprovedRevision", "QuorumApprovalTask", "QuorumVote", "Recusal", "ReviewTask"]
