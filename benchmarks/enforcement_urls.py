"""URLconf of the benchmark server: the whole app, plus

- /bench/open/v2/points/<id>: the very view of GET /v2/points/<id> with authentication and the
  permission switched off (the caller is a fixed till, built once per process, never checked);
- /bench/bare: a bare Django view, to compare /authz/check with.
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
                  group_id=None, group_name="(none)", group_source="store", group_active=True, grants_all=True)


class FixedCaller(BaseAuthentication):
    def authenticate(self, request):
        return _fixed_caller(), None


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/open/v2/points/<int:customer_id>",
         PointsBalanceView.as_view(authentication_classes=[FixedCaller], permission_classes=[])),
    path("bench/bare", bare),
    *app_urlpatterns,
]
