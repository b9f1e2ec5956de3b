from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "发布与审批"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save
        from wagtail.signals import page_published

        from disclosure.models.chain import register_version_reader
        from disclosure.validation import register_page_validator
        from publications.ledger import basis as ledger_basis
        from publications.ledger import receivers
        from publications.windows import actions, config, pages
        from publications.windows.models import HolidayYear
        from publications.workflow import guard

        guard.install_permission_tester()
        pre_save.connect(guard.refuse_bypass, dispatch_uid="publications.refuse_bypass")
        receivers.connect()
        register_page_validator(pages.validate_page)
        register_version_reader(ledger_basis.live_version)
        page_published.connect(
            actions.on_notice_published, dispatch_uid="publications.windows.withdrawal"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                config.calendar_changed,
                sender=HolidayYear,
                dispatch_uid=f"publications.windows.calendar.{signal}",
            )
