"""REST API (/api/v1/) of tills, API clients, the org's enforcement settings, usage and suggestions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin import limits
from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.fields import Input
from accessadmin.api.pagination import PageNumberPagination
from accessadmin.api.permissions import allow
from accessadmin.api.schema import PAGE_NUMBER
from accessadmin.caching import never_stored
from accessadmin.errors import InvalidInput
from groups import cells as cellsmod
from groups import selectors as group_selectors
from stores import selectors as store_selectors
from stores.api import openapi as doc

from . import policies, selectors, services

CanManageTills = allow(policies.can_manage_tills, "You may not manage tills.")
CanManageClients = allow(policies.can_manage_api_clients, "You may not manage API clients.")
CanChangeEnforcement = allow(policies.can_change_enforcement, "You may not change enforcement settings.")
CanViewUsage = allow(policies.can_view_usage, "You may not view the usage log.")


class TillCreateInput(Input):
    code = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ApiClientInput(Input):
    name = serializers.CharField(max_length=100)
    access_group = serializers.IntegerField(min_value=1, max_value=limits.BIGINT_MAX)


class OrgSettingsInput(Input):
    basic_auth_enabled = serializers.BooleanField(required=False)
    enforcement_mode = serializers.CharField(required=False)


class SuggestionInput(Input):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=365, required=False, default=30)
    description = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=limits.DESCRIPTION_MAX_LENGTH)
    allocate = serializers.BooleanField(required=False, default=False)



def _days(request, default=30) -> int:
    try:
        days = int(request.query_params.get("days", default))
    except ValueError:
        raise InvalidInput("days must be a number.", code="invalid_days") from None
    if not 1 <= days <= 365:
        raise InvalidInput("days must be between 1 and 365.", code="invalid_days")
    return days


def till_payload(till, secret: str | None = None) -> dict:
    body = {"code": till.code, "store": till.store.code, "active": till.is_active, "created_at": till.created_at,
            "secret_rotated_at": till.secret_rotated_at, "last_used_at": till.last_used_at}
    if secret is not None:
        body["secret"] = secret
    return body


def client_payload(client, secret: str | None = None) -> dict:
    body = {"id": client.pk, "name": client.name, "client_id": client.client_id,
            "access_group": {"id": client.access_group_id, "name": client.access_group.name},
            "active": client.is_active, "created_at": client.created_at, "revoked_at": client.revoked_at}
    if secret is not None:
        body["client_secret"] = secret
    return body


class TillsAPIView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageTills]


class StoreTillsView(TillsAPIView):
    @extend_schema(operation_id="store_tills_list", responses=doc.TillList)
    def get(self, request, code):
        store = store_selectors.store_get(actor=request.user, org=self.org, code=code)
        return Response({"results": [till_payload(t) for t in selectors.till_list(org=self.org, store=store)]})

    @extend_schema(operation_id="store_tills_create", request=TillCreateInput, responses={201: doc.TillWithSecret})
    @never_stored
    def post(self, request, code):
        store = store_selectors.store_get(actor=request.user, org=self.org, code=code)
        data = validated(TillCreateInput, request.data)
        till, secret = services.till_create(actor=request.user, org=self.org, store=store, code=data["code"])
        return Response(till_payload(till, secret), status=status.HTTP_201_CREATED)


class TillListView(TillsAPIView, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="tills_list", responses=doc.TillPage,
                   parameters=[*PAGE_NUMBER, OpenApiParameter("search", str)])
    def get(self, request):
        page = self.paginate_queryset(selectors.till_list(org=self.org, search=request.query_params.get("search", "")))
        return self.get_paginated_response([till_payload(t) for t in page])


class TillDetailView(TillsAPIView):
    @extend_schema(operation_id="tills_retrieve", responses=doc.Till)
    def get(self, request, code):
        return Response(till_payload(selectors.till_get(org=self.org, code=code)))


class TillRotateView(TillsAPIView):
    @extend_schema(operation_id="tills_rotate_secret", request=None, responses=doc.TillWithSecret)
    @never_stored
    def post(self, request, code):
        till, secret = services.till_rotate_secret(actor=request.user, org=self.org,
                                                   till=selectors.till_get(org=self.org, code=code))
        return Response(till_payload(till, secret))


class TillDeactivateView(TillsAPIView):
    active = False

    @extend_schema(operation_id="tills_deactivate", request=None, responses=doc.Till)
    def post(self, request, code):
        till = services.till_set_active(actor=request.user, org=self.org,
                                        till=selectors.till_get(org=self.org, code=code), active=self.active)
        return Response(till_payload(till))


class TillActivateView(TillDeactivateView):
    active = True

    @extend_schema(operation_id="tills_activate", request=None, responses=doc.Till)
    def post(self, request, code):
        return super().post(request, code)


class TillEffectivePermissionsView(TillsAPIView):
    @extend_schema(operation_id="tills_effective_permissions", responses=doc.EffectivePermissions)
    def get(self, request, code):
        result = selectors.effective_permissions(org=self.org, till=selectors.till_get(org=self.org, code=code))
        result.pop("matrix")
        return Response(result)


class ApiClientListView(OrgScopedMixin, GenericAPIView):
    permission_classes = [IsAuthenticated, CanManageClients]
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="api_clients_list", responses=doc.ApiClientPage,
                   parameters=[*PAGE_NUMBER, OpenApiParameter("search", str)])
    def get(self, request):
        page = self.paginate_queryset(selectors.api_client_list(org=self.org,
                                                                search=request.query_params.get("search", "")))
        return self.get_paginated_response([client_payload(c) for c in page])

    @extend_schema(operation_id="api_clients_create", request=ApiClientInput,
                   responses={201: doc.ApiClientWithSecret})
    @never_stored
    def post(self, request):
        data = validated(ApiClientInput, request.data)
        group = group_selectors.group_get(org=self.org, pk=data["access_group"])
        client, secret = services.api_client_create(actor=request.user, org=self.org, name=data["name"],
                                                    access_group=group)
        return Response(client_payload(client, secret), status=status.HTTP_201_CREATED)


class ApiClientDetailView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageClients]

    @extend_schema(operation_id="api_clients_retrieve", responses=doc.ApiClient)
    def get(self, request, pk):
        return Response(client_payload(selectors.api_client_get(org=self.org, pk=pk)))


class ApiClientRevokeView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageClients]

    @extend_schema(operation_id="api_clients_revoke", request=None, responses=doc.ApiClient)
    def post(self, request, pk):
        client = services.api_client_revoke(actor=request.user, org=self.org,
                                            client=selectors.api_client_get(org=self.org, pk=pk))
        return Response(client_payload(client))


def org_payload(org) -> dict:
    return {"code": org.code, "name": org.name, "basic_auth_enabled": org.basic_auth_enabled,
            "enforcement_mode": org.enforcement_mode}


class OrgSettingsView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanChangeEnforcement]

    @extend_schema(operation_id="org_settings_retrieve", responses=doc.OrgSettings)
    def get(self, request):
        return Response(org_payload(self.org))

    @extend_schema(operation_id="org_settings_update", request=OrgSettingsInput, responses=doc.OrgSettings)
    def patch(self, request):
        data = validated(OrgSettingsInput, request.data)
        org = services.org_enforcement_update(actor=request.user, org=self.org,
                                              basic_auth_enabled=data.get("basic_auth_enabled"),
                                              enforcement_mode=data.get("enforcement_mode"))
        return Response(org_payload(org))


DAYS = OpenApiParameter("days", {"type": "integer", "minimum": 1, "maximum": 365},
                        description="Look back this many days (1–365, default 30).")


class UsageView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewUsage]

    @extend_schema(operation_id="usage_list", responses=doc.UsageList, parameters=[
        DAYS, OpenApiParameter("outcome", str, enum=["allowed", "denied", "would_deny"]),
        OpenApiParameter("caller", str), OpenApiParameter("store", str)])
    def get(self, request):
        outcome = request.query_params.get("outcome", "")
        if outcome and outcome not in ("allowed", "denied", "would_deny"):
            raise InvalidInput("outcome must be allowed, denied or would_deny.", code="invalid_outcome")
        rows = selectors.usage_summary(org=self.org, days=_days(request), outcome=outcome,
                                       store_code=request.query_params.get("store", ""))
        caller = request.query_params.get("caller", "")
        if caller:
            rows = rows.filter(caller=caller)
        return Response({"results": [{**r, "count": r.pop("total")} for r in rows[:1000]]})


class SuggestedGroupView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewUsage]

    @extend_schema(operation_id="store_suggested_group", responses=doc.SuggestedGroup, parameters=[DAYS])
    def get(self, request, code):
        store = store_selectors.store_get(actor=request.user, org=self.org, code=code)
        days = _days(request)
        grants = selectors.suggested_grants(org=self.org, store=store, days=days)
        return Response({"store": store.code, "days": days,
                         "permissions": cellsmod.payload(grants, group_selectors.resource_list())})

    @extend_schema(operation_id="store_suggested_group_create", request=SuggestionInput,
                   responses={201: doc.SuggestedGroupCreated})
    def post(self, request, code):
        store = store_selectors.store_get(actor=request.user, org=self.org, code=code)
        data = validated(SuggestionInput, request.data)
        group, _grants = services.group_from_usage(actor=request.user, org=self.org, store=store, name=data["name"],
                                                   days=data["days"], description=data["description"],
                                                   allocate=data["allocate"])
        return Response({"id": group.pk, "name": group.name, "allocated": data["allocate"]},
                        status=status.HTTP_201_CREATED)
