from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sunshine import demo


class Command(BaseCommand):
    help = "Load demo content and accounts (idempotent). Refused unless SUNSHINE_ALLOW_DEMO."

    def handle(self, *args, **options):
        if not settings.SUNSHINE_ALLOW_DEMO:
            raise CommandError("演示数据只能在开发环境载入（SUNSHINE_ALLOW_DEMO 未开启）。")
        with transaction.atomic():
            accounts = demo.load_all()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。Demo content ready."))
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.name}  {account.role}")
