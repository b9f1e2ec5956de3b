from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "发布与审批"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
        from wagtail.signals import page_published

        from disclosure.models.chain import register_version_reader
        from disclosure.validation import register_page_validator
        from publications.ledger import basis as ledger_basis
        from publications.ledger import receivers
        from publications.opendata import links
        from publications.windows import actions, calendar_check, config, pages
        from publications.windows.models import HolidayYear
        from publications.workflow import guard

        checks.register(calendar_check.next_year_calendar, "publications")
        guard.install_permission_tester()
        from publications.rights import forms as rights_forms
        from publications.rights import pages as rights_pages

        rights_pages.install()
        rights_forms.install()
        pre_save.connect(guard.refuse_bypass, dispatch_uid="publications.refuse_bypass")
        receivers.connect()
        post_migrate.connect(
            links.sync_after_migrate, sender=self, dispatch_uid="publications.default_site"
        )
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
