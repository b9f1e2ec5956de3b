from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "发布与审批"

    def ready(self):
        from publications.ledger import receivers

        receivers.connect()
