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
            self.stdout.write(
                f"  {account.username:<18} {account.name}  {account.role:<8} {account.issuer}"
            )
        self.stdout.write(
            f"初审人员和集体审定委员审批前须二次验证：把密钥 {demo.DEMO_TOTP_SECRET} "
            "加入手机验证器（TOTP，30秒，6位），登录后在“二次验证”页面输入口令。"
        )
        self.stdout.write("演示公示：")
        for _slug, title, _stage in demo.DEMO_DISCLOSURES:
            self.stdout.write(f"  {title}")
