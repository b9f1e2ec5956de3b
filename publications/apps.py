from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "发布与审批"

    def ready(self):
        from django.db.models.signals import pre_save

        from publications.ledger import receivers
        from publications.workflow import guard

        guard.install_permission_tester()
        pre_save.connect(guard.refuse_bypass, dispatch_uid="publications.refuse_bypass")
        receivers.connect()
