"""URLconf of the benchmark server: the whole app, plus

- /v2/bench-open/points/<id>: the very view of GET /v2/points/<id> with authentication and the
  permission switched off (the caller is a fixed till, built once per process, never checked; its org is
  kept like a warm caller's), under /v2/ so it runs through the same short middleware stack;
- /authz/bench-bare: a bare Django view under /authz/, so through the same stack as /authz/check;
- /bench/bare: the same bare view through the full page stack (sessions, CSRF, auth, messages, CSP), for
  reference.
"""

from functools import lru_cache

from django.http import HttpResponse
from django.urls import path
from rest_framework.authentication import BaseAuthentication

from accessadmin.urls import urlpatterns as app_urlpatterns
from enforcement.caller import TILL, Caller
from stores.models import Till
from tillapi.views import PointsBalanceView


@lru_cache(maxsize=1)
def _fixed_caller() -> Caller:
    till = Till.objects.select_related("store", "org").get(code="bench-s1-t1")
    return Caller(kind=TILL, pk=till.pk, code=till.code, name=till.code, org_id=till.org_id,
                  org_code=till.org.code, report_only=False, store_id=till.store_id, store_code=till.store.code,
                  group_id=None, group_name="(none)", group_source="store", group_active=True, grants_all=True,
                  org_cache={})


class FixedCaller(BaseAuthentication):
    def authenticate(self, request):
        return _fixed_caller(), None


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("v2/bench-open/points/<int:customer_id>",
         PointsBalanceView.as_view(authentication_classes=[FixedCaller], permission_classes=[])),
    path("authz/bench-bare", bare),
    path("bench/bare", bare),
    *app_urlpatterns,
]
