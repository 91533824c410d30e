"""The project's URLconf plus, under every API prefix, a view with a bug, a view that allows GET only
and a view under CSRF protection.

Used by the error-path tests (`@pytest.mark.urls("accessadmin.tests.error_urls")`): a real uncaught
exception, a real 405 and a real CSRF refusal from plain Django views, without changing any product view.
"""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accessadmin.urls import urlpatterns as project_urlpatterns

PREFIXES = ("v2/", "api/v1/", "ccadmin/v1/", "oauth/", "authz/")


def broken(request):
    raise RuntimeError("a bug in a view")


class BrokenApiView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a bug in an API view")


@require_GET
def get_only(request):
    return JsonResponse({"ok": True})


def form(request):
    """A view Django's CSRF protection covers (it is not exempt)."""
    return JsonResponse({"ok": True})


urlpatterns = [
    *(path(f"{prefix}test-broken", broken) for prefix in PREFIXES),
    *(path(f"{prefix}test-broken-api", BrokenApiView.as_view()) for prefix in PREFIXES),
    *(path(f"{prefix}test-get-only", get_only) for prefix in PREFIXES),
    *(path(f"{prefix}test-form", form) for prefix in PREFIXES),
    *project_urlpatterns,
]
