"""The hot paths (settings.HOT_PATH_PREFIXES: the till API and the gateway check) through a short stack.

Machines call them many times a second with credentials of their own: they never use a session, a CSRF
token, a logged-in user, messages, an org from the session or a Content-Security-Policy (their answers
are JSON). This middleware sits right after accessadmin.api.middleware.ApiErrorMiddleware (which keeps
every error of those surfaces JSON, as for every API prefix) and hands requests under a hot prefix to a
handler of its own that runs only settings.HOT_PATH_MIDDLEWARE (the security headers) before resolving
the URL and calling the view the usual way; everything else goes on through the full MIDDLEWARE.

The measure of what this saves is `make bench` (benchmarks/bench_enforcement.py).
"""

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.module_loading import import_string

from .api.middleware import ApiErrorMiddleware


class _HotHandler(BaseHandler):
    """A handler whose middleware chain is HOT_PATH_MIDDLEWARE (built like BaseHandler.load_middleware)."""

    def __init__(self, middleware_paths):
        super().__init__()
        self._view_middleware = []
        self._template_response_middleware = []
        # A view's unhandled exception becomes the surface's JSON error right here (and is logged once), as
        # ApiErrorMiddleware.process_exception does for the full stack.
        self._exception_middleware = [ApiErrorMiddleware(None).process_exception]
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(middleware_paths):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.insert(0, instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


class HotPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "HOT_PATH_PREFIXES", ()))
        self.hot = _HotHandler(getattr(settings, "HOT_PATH_MIDDLEWARE", ()))

    def __call__(self, request):
        if self.prefixes and request.path_info.startswith(self.prefixes):
            response = self.hot._middleware_chain(request)
            if not response.streaming and not response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))  # keep-alive, as CommonMiddleware
            return response
        return self.get_response(request)
