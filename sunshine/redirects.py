"""Wagtail's redirects for pages, not for the JSON API.

Wagtail looks up a redirect for every 404 response, with up to four queries. Under /api/ a
404 is an answer (no result matched the exam number and name, no such ledger entry), not a
moved page, and the lookup's misses are exactly what an enumeration attempt produces: they
should cost no more than its hits.
"""

from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware

API_PREFIX = "/api/"


class RedirectMiddleware(WagtailRedirectMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
