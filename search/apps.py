from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "sunshine_search"
    verbose_name = "检索服务"

    def ready(self):
        from . import tasks

        tasks.connect()
