"""Blank objectors' personal data once OBJECTION_RETENTION_DAYS have passed since closing.

Run daily from cron, e.g. `15 3 * * * cd /srv/sunshine && .venv/bin/python manage.py
purge_objections`. `--dry-run` prints what would be purged and changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from publications.objections import actions, rules


class Command(BaseCommand):
    help = "删除保存期限已满的异议人个人信息（姓名、电话、电子邮箱、附件）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除。")

    def handle(self, *args, dry_run=False, **options):
        now = rules.now()
        due = list(actions.purgeable(now).order_by("pk"))
        days = settings.OBJECTION_RETENTION_DAYS
        for objection in due:
            if not dry_run:
                actions.purge_personal_data(objection, now=now)
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(
            f"{verb} {len(due)} 件异议的异议人个人信息（办结满 {days} 天）："
            + (", ".join(f"#{o.pk}" for o in due) or "无")
        )
