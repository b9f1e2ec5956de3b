"""What is disclosed: issuers, disclosure pages and their immutable datasets.

Dependency rule: `disclosure` imports neither `publications` nor `search`; they import it.
Rows live in plain models (`entries`), never in pages, snippets or inline panels, so a
revision holds only the foreign key to one exact dataset.
"""

from .chain import ListBasis
from .datasets import Dataset, DatasetKind, ImportJob
from .entries import AdmissionResult, CandidateEntry, QuotaEntry
from .issuers import Issuer, IssuerLevel
from .pages import (
    AdmissionResultsPage,
    CandidateListPage,
    CandidateListType,
    DisclosureIndexPage,
    DisclosureKind,
    DisclosurePage,
    DisclosurePageTag,
    NoticePage,
    NoticeType,
    PolicyAttachment,
    PolicyPage,
    QuotaPlanPage,
)

__all__ = [
    "AdmissionResult",
    "AdmissionResultsPage",
    "CandidateEntry",
    "CandidateListPage",
    "CandidateListType",
    "Dataset",
    "DatasetKind",
    "DisclosureIndexPage",
    "DisclosureKind",
    "DisclosurePage",
    "DisclosurePageTag",
    "ImportJob",
    "Issuer",
    "IssuerLevel",
    "ListBasis",
    "NoticePage",
    "NoticeType",
    "PolicyAttachment",
    "PolicyPage",
    "QuotaEntry",
    "QuotaPlanPage",
]
