"""Absolute URLs: every one the site, the feed, the API and the e-mails give out starts with
``settings.SUNSHINE_PUBLIC_BASE_URL`` (issue 18), never with the Host a request came in on.

A journalist who follows an item's ``url`` or ``api_url`` must land on the public site, whether
the request reached us through a proxy, an internal address or a second allowed host name.
This module imports nothing from the rest of the app, so the ledger's views can use it too.
"""

from urllib.parse import urlsplit

from django.conf import settings


def public_base_url() -> str:
    """``https://gaokao.example.cn`` (no trailing slash)."""
    return settings.SUNSHINE_PUBLIC_BASE_URL.rstrip("/")


def public_url(path: str) -> str:
    """The public absolute URL of a site path (``/feed.json?before=3``) or URL.

    An absolute URL given in (a Wagtail page's full URL) keeps its path and query and gets the
    public scheme and host.
    """
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/"):
        path = "/" + path
    return public_base_url() + path


def page_url(page) -> str | None:
    """The public absolute URL of a Wagtail page, or None if it is not routable."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    _site_id, _root_url, page_path = parts
    return public_url(page_path)


def site_root() -> tuple[str, int]:
    """(hostname, port) for Wagtail's default ``Site``, so its ``root_url`` is the base."""
    parts = urlsplit(public_base_url())
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def sync_default_site(using: str = "default") -> bool:
    """Point Wagtail's default Site at the public base URL; True if it changed.

    Run after every ``migrate`` (``post_migrate``) and by ``manage.py sync_site_root``, so
    Wagtail's own full URLs (admin "view live", ``page.full_url``) name the public host too.
    Other sites (a second hostname) are left as they are.
    """
    from wagtail.models import Site

    hostname, port = site_root()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return True


def sync_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db.utils import DatabaseError

    try:
        sync_default_site(using)
    except DatabaseError:  # migrating backwards, Wagtail's tables not there yet
        pass
