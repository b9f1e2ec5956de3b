"""Tell the office a new objection arrived: an e-mail with a link to the admin, nothing personal.

The mail names the objection's number, the disclosure (public) and the time; the objector's
name, phone, e-mail, the content and the attachment stay behind the admin's permission check,
so a mailbox shared by several people, or a copy kept by a mail server, holds nothing personal.

Recipients: OBJECTION_NOTIFY_EMAILS, else the complaint e-mail in the site's office settings.
A failed send is logged and does not lose the objection: it is already stored and listed.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from publications.opendata.links import public_url

logger = logging.getLogger(__name__)


def recipients(objection) -> list[str]:
    configured = list(getattr(settings, "OBJECTION_NOTIFY_EMAILS", []) or [])
    if configured:
        return configured
    from sunshine.models import OfficeSettings

    site = objection.disclosure.get_site()
    if site is None:
        return []
    office = OfficeSettings.for_site(site)
    return [office.complaint_email] if office.complaint_email else []


def admin_url(objection) -> str:
    return public_url(reverse("publications_objections:detail", args=(objection.pk,)))


def message(objection) -> tuple[str, str]:
    received = timezone.localtime(objection.received_at).strftime("%Y-%m-%d %H:%M")
    title = objection.disclosure.title
    row = f"（第 {objection.row_position} 行）" if objection.row_position is not None else ""
    subject = f"新异议 #{objection.pk}：{title}"
    body = (
        f"收到一件新的异议（#{objection.pk}）。\n\n"
        f"所涉公示：{title}{row}\n"
        f"收到时间：{received}（北京时间）\n\n"
        f"请登录后台查看并办理：\n{admin_url(objection)}\n\n"
        "为保护异议人个人信息，本邮件不含异议人姓名、联系方式和异议内容。\n"
    )
    return subject, body


def notify_new_objection(objection) -> int:
    to = recipients(objection)
    if not to:
        logger.warning("objection %s: no notification address configured", objection.pk)
        return 0
    subject, body = message(objection)
    try:
        return send_mail(subject, body, None, to)
    except Exception:
        logger.exception("objection %s: notification e-mail failed", objection.pk)
        return 0
