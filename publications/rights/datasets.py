"""Import uploads and datasets belong to the issuer chosen at upload.

A dataset made by an upload is seen only by accounts whose scope holds that issuer. Datasets
with no upload record (imported on the command line or by the demo loader, i.e. by the
platform's operators) belong to no issuer and stay choosable by every editor.
"""

from disclosure.models import ImportJob

from . import access, scope
from .models import UploadIssuer


def visible_jobs(jobs, user):
    """Jobs for an issuer in the user's scope, and the user's own jobs that record none."""
    from django.db.models import Q

    reach = access.issuers_for(user)
    if reach is scope.ALL_ISSUERS:
        return jobs
    return jobs.filter(
        Q(upload_issuer__issuer_id__in=list(reach)) | Q(upload_issuer__isnull=True, created_by=user)
    )


def visible_datasets(datasets, user, keep=None):
    reach = access.issuers_for(user)
    if reach is scope.ALL_ISSUERS:
        return datasets
    hidden = ImportJob.objects.filter(dataset__isnull=False).exclude(
        upload_issuer__issuer_id__in=list(reach)
    )
    hidden = hidden.filter(upload_issuer__isnull=False).values("dataset_id")
    if keep:
        hidden = hidden.exclude(dataset_id=keep)
    return datasets.exclude(pk__in=hidden)


def record(job, issuer) -> UploadIssuer:
    return UploadIssuer.objects.create(job=job, issuer=issuer)
