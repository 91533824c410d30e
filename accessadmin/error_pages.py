"""Page errors in the layout, in development too.

Django answers an unknown path (and any Http404) with its technical debug page while DEBUG is on; outside the
API prefixes (accessadmin.surfaces, whose errors ApiErrorMiddleware turns into JSON) this middleware answers
with the layout's 404 page instead, as production does through `handler404`. 403 and 500 pages already come
from templates/403.html and templates/500.html in both modes (500 renders without a request context).
"""

from django.conf import settings
from django.http import Http404
from django.views import defaults

from . import surfaces


def _page(request) -> bool:
    return surfaces.for_request(request) is None


class PageNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An unresolved path never reached a view (process_exception did not see it).
        if (settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None
                and _page(request) and not getattr(response, "layout_page", False)):
            return self.not_found(request)
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404) and _page(request):
            return self.not_found(request, exception)
        return None

    @staticmethod
    def not_found(request, exception=None):
        response = defaults.page_not_found(request, exception or Http404())
        response.layout_page = True
        return response
