"""回避: matching a person's declared conflicts against a disclosure and its dataset rows."""

import hmac

from django.conf import settings

from disclosure.models import Dataset


def exam_number_hmac(value: str) -> str:
    """The keyed hash an exam number is matched by; never store or compare it in clear.

    One function on purpose: it is to be swapped for the import pipeline's own helper.
    """
    return hmac.new(
        settings.IDENTIFIER_HMAC_KEY.encode(), b"exam_number:" + value.strip().encode(), "sha256"
    ).hexdigest()


def mask_exam_number(value: str) -> str:
    value = value.strip()
    return "*" * max(0, len(value) - 4) + value[-4:]


def datasets_of(revisions) -> list[Dataset]:
    """The datasets the given page revisions point to (what the reviewer is approving)."""
    ids = set()
    for revision in revisions:
        if revision is None:
            continue
        dataset_id = revision.content.get("dataset")
        if dataset_id:
            ids.add(dataset_id)
    return list(Dataset.objects.filter(pk__in=ids))


def conflicts(user, page, revisions) -> list[str]:
    """Why `user` is recused from approving `page` as it stands in `revisions`, if at all."""
    from .models import Recusal

    declared = list(Recusal.objects.filter(user=user))
    if not declared:
        return []
    datasets = datasets_of(revisions)
    reasons = []
    for recusal in declared:
        if recusal.page_id:
            if recusal.page_id == page.pk:
                reasons.append(f"对本公示申报了回避（{recusal.relationship}）")
            continue
        for dataset in datasets:
            if _matches(recusal, dataset):
                reasons.append(
                    f"名单中有您申报回避的{recusal.describe()}（{recusal.relationship}）"
                )
                break
    return reasons


def _matches(recusal, dataset: Dataset) -> bool:
    rows = dataset.entries
    fields = {f.name for f in rows.model._meta.get_fields()}
    if recusal.exam_number_hmac:
        return (
            "exam_number_hmac" in fields
            and rows.filter(exam_number_hmac=recusal.exam_number_hmac).exists()
        )
    if "name" in fields and "school" in fields:
        return rows.filter(
            name=recusal.candidate_name.strip(), school=recusal.candidate_school.strip()
        ).exists()
    return False
