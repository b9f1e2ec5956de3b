"""What "changes nothing" means, measured: the row count of every table of the project's and
Wagtail's apps, and the ledger's head hash.

Left out are the tables a refused request may still write by design: the session (a login
keeps it), Wagtail's editing sessions (opening an edit form records who is looking at it) and
the admin's per-user UI settings, and the office settings row Wagtail's `for_site` creates on
first read (and which a request's rolled-back transaction can take back with it). Rate-limit
counters live in the cache, not here."""

from dataclasses import dataclass

from django.apps import apps

BOOKKEEPING = {
    "sessions.session",
    "wagtailadmin.editingsession",
    "wagtailusers.userprofile",
    "sunshine.officesettings",
}


@dataclass(frozen=True)
class DatabaseState:
    counts: tuple[tuple[str, int], ...]
    ledger_head: str | None

    def differences(self, other: "DatabaseState") -> list[str]:
        changed = [
            f"{label}: {before} -> {after}"
            for (label, before), (_, after) in zip(self.counts, other.counts, strict=True)
            if before != after
        ]
        if self.ledger_head != other.ledger_head:
            changed.append(f"ledger head: {self.ledger_head} -> {other.ledger_head}")
        return changed


def counted_models():
    return sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.label_lower not in BOOKKEEPING and model._meta.managed
        ),
        key=lambda model: model._meta.label_lower,
    )


def snapshot() -> DatabaseState:
    from publications.ledger.models import LedgerEntry

    counts = tuple(
        (model._meta.label_lower, model._base_manager.count()) for model in counted_models()
    )
    head = LedgerEntry.objects.order_by("-seq").values_list("entry_hash", flat=True).first()
    return DatabaseState(counts, head)
