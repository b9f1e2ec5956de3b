"""State changes of an objection, one function each: check, change, record.

Views and the purge command call these; nothing else writes an objection. Each handling step
requires `publications.handle_objection` and is written to `ObjectionEvent` in the same
transaction, so a step that rolls back leaves no record behind.

    received --assign--> handling --answer--> answered --close--> closed
    (findings may be recorded while handling or answered; re-assigning is allowed until closed)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from . import codes, notifications, rules
from .models import (
    HANDLE_PERMISSION,
    Objection,
    ObjectionEvent,
    ObjectionOutcome,
    ObjectionStatus,
    hash_code,
)

Action = ObjectionEvent.Action


class ObjectionActionError(Exception):
    """A handling step that is not allowed now; `str(error)` is the Chinese reason."""


@dataclass(frozen=True)
class Raised:
    objection: Objection
    code: str  # shown once to the objector; only its hash is stored


def raise_objection(
    page,
    *,
    name,
    phone,
    content,
    now: datetime,
    email="",
    row_position=None,
    entry=None,
    attachment=None,
    attachment_type="",
) -> Raised:
    """Store a new objection against `page` (checked by the caller's form) and notify."""
    if not rules.accepts_objections(page, now):
        raise ObjectionActionError(rules.refusal_message(page, now))
    code = codes.new_code()
    try:
        objection = _store(
            page,
            code,
            name,
            phone,
            email,
            content,
            row_position,
            entry,
            attachment,
            attachment_type,
            now,
        )
    except BaseException:
        # The file is written before the row; a row that rolled back must not leave it behind.
        if attachment is not None and getattr(attachment, "stored_as", ""):
            Objection._meta.get_field("attachment").storage.delete(attachment.stored_as)
        raise
    return Raised(objection, code)


def _store(
    page, code, name, phone, email, content, row_position, entry, attachment, attachment_type, now
) -> Objection:
    with transaction.atomic():
        objection = Objection(
            disclosure=page,
            row_position=row_position,
            entry=entry,
            code_hash=hash_code(code),
            received_at=now,
            name=name,
            phone=phone,
            email=email,
            content=content,
        )
        if attachment is not None:
            objection.attachment_name = attachment.name[:200]
            objection.attachment_type = attachment_type
            objection.attachment_size = attachment.size
            objection.attachment.save(attachment.name, attachment, save=False)
            attachment.stored_as = objection.attachment.name
        objection.save()
        _record(objection, None, Action.RECEIVED, now)
        transaction.on_commit(lambda: notifications.notify_new_objection(objection))
    return objection


def _require_handler(user) -> None:
    if not user.has_perm(HANDLE_PERMISSION):
        raise ObjectionActionError("您没有办理异议的权限。")


def _require_scope(user, objection: Objection) -> None:
    """Issuer-scoped rights (ADR 0015): only for the disclosure's issuer and those above it."""
    from publications.rights.access import OUT_OF_SCOPE, can_act_on

    if not can_act_on(user, objection.disclosure.specific_deferred.issuer_id):
        raise ObjectionActionError(OUT_OF_SCOPE)


def _require_open(objection: Objection) -> None:
    if objection.status == ObjectionStatus.CLOSED:
        raise ObjectionActionError("该异议已办结，不能再更改。")


def _record(objection, actor, action, at, note="") -> ObjectionEvent:
    return ObjectionEvent.objects.create(
        objection=objection, actor=actor, action=action, at=at, note=note
    )


def assign(objection: Objection, user, assignee, *, now: datetime) -> None:
    _require_handler(user)
    _require_scope(user, objection)
    _require_open(objection)
    if not assignee.is_active or not assignee.has_perm(HANDLE_PERMISSION):
        raise ObjectionActionError("承办人必须是有办理异议权限的在职人员。")
    from publications.rights.access import can_act_on

    if not can_act_on(assignee, objection.disclosure.specific_deferred.issuer_id):
        raise ObjectionActionError("承办人必须是本机构或上级机构的人员。")
    with transaction.atomic():
        objection.assignee = assignee
        if objection.status == ObjectionStatus.RECEIVED:
            objection.status = ObjectionStatus.HANDLING
        objection.save(update_fields=["assignee", "status"])
        _record(objection, user, Action.ASSIGNED, now, f"承办人：{assignee.get_username()}")


def record_findings(objection: Objection, user, findings: str, *, now: datetime) -> None:
    _require_handler(user)
    _require_scope(user, objection)
    _require_open(objection)
    if objection.status == ObjectionStatus.RECEIVED:
        raise ObjectionActionError("请先指派承办人，再记录调查核实情况。")
    findings = findings.strip()
    if not findings:
        raise ObjectionActionError("请填写调查核实情况。")
    with transaction.atomic():
        objection.findings = findings
        objection.save(update_fields=["findings"])
        _record(objection, user, Action.FINDINGS, now, findings)


def answer(objection: Objection, user, text: str, outcome: str, *, now: datetime) -> None:
    """The answer the objector reads at their tracking page; it may be revised until closed."""
    _require_handler(user)
    _require_scope(user, objection)
    _require_open(objection)
    if objection.status == ObjectionStatus.RECEIVED:
        raise ObjectionActionError("请先指派承办人并调查核实，再作答复。")
    if not objection.findings.strip():
        raise ObjectionActionError("请先记录调查核实情况，再作答复。")
    text = text.strip()
    if not text:
        raise ObjectionActionError("请填写答复内容。")
    if outcome not in ObjectionOutcome.values:
        raise ObjectionActionError("请选择处理结论。")
    with transaction.atomic():
        objection.answer = text
        objection.outcome = outcome
        objection.answered_at = now
        objection.status = ObjectionStatus.ANSWERED
        objection.save(update_fields=["answer", "outcome", "answered_at", "status"])
        _record(objection, user, Action.ANSWERED, now, f"{ObjectionOutcome(outcome).label}：{text}")


def close(objection: Objection, user, *, now: datetime) -> None:
    _require_handler(user)
    _require_scope(user, objection)
    _require_open(objection)
    if objection.status != ObjectionStatus.ANSWERED:
        raise ObjectionActionError("异议须先答复，才能办结（件件有落实、事事有回音）。")
    with transaction.atomic():
        objection.status = ObjectionStatus.CLOSED
        objection.closed_at = now
        objection.save(update_fields=["status", "closed_at"])
        _record(objection, user, Action.CLOSED, now)


def purgeable(now: datetime):
    """Closed objections whose retention period has run and which still hold personal data."""
    cutoff = now - timedelta(days=settings.OBJECTION_RETENTION_DAYS)
    return Objection.objects.filter(
        status=ObjectionStatus.CLOSED, closed_at__lte=cutoff, personal_data_purged_at__isnull=True
    )


def purge_personal_data(objection: Objection, *, now: datetime) -> None:
    """Blank the objector's name, phone and e-mail and delete the attachment file.

    The content, findings and answer stay: they are the record of what was answered.
    """
    with transaction.atomic():
        stored = objection.attachment.name
        objection.name = ""
        objection.phone = ""
        objection.email = ""
        objection.attachment = ""
        objection.attachment_name = ""
        objection.attachment_type = ""
        objection.attachment_size = None
        objection.personal_data_purged_at = now
        objection.save()
        _record(objection, None, Action.PURGED, now)
        if stored:
            storage = Objection._meta.get_field("attachment").storage
            transaction.on_commit(lambda: storage.delete(stored))
