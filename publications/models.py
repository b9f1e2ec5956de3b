"""Models of `publications`, gathered here so Django finds them."""

from publications.workflow.models import (
    ApprovedRevision,
    QuorumApprovalTask,
    QuorumVote,
    Recusal,
    ReviewTask,
)

__all__ = ["ApprovedRevision", "QuorumApprovalTask", "QuorumVote", "Recusal", "ReviewTask"]
