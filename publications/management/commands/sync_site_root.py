"""Point Wagtail's default Site at SUNSHINE_PUBLIC_BASE_URL (also done after every migrate)."""

from django.core.management.base import BaseCommand

from publications.opendata.links import public_base_url, sync_default_site


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from SUNSHINE_PUBLIC_BASE_URL."

    def handle(self, *args, **options):
        changed = sync_default_site()
        state = "updated" if changed else "already"
        self.stdout.write(f"default site {state}: {public_base_url()}")
