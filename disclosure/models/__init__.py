"""What is disclosed: issuers, disclosure pages and their immutable datasets.

Dependency rule: `disclosure` imports neither `publications` nor `search`; they import it.
Rows live in plain models (`entries`), never in pages, snippets or inline panels, so a
revision holds only the foreign key to one exact dataset.
"""

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

# isort: split
# Registered after the pages it points to: dumpdata writes a app's models in the order they were
# registered, and loaddata needs the pages first (tests/security/test_faults.py backups).
from .chain import ListBasis

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
