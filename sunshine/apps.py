from django.apps import AppConfig


class SunshineConfig(AppConfig):
    name = "sunshine"
    verbose_name = "阳光招生公示平台"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)

        # Admin form fields that refuse malformed posted values (ADR 0019).
        from .malformed import register_overrides

        register_overrides()
