"""REST API (/api/v1/) of the org's enforcement settings, the usage log and least-privilege suggestions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.permissions import allow
from accessadmin.errors import InvalidInput
from groups import cells as cellsmod
from groups import selectors as group_selectors
from stores import selectors as store_selectors

from .. import policies, selectors, services
from ..errors import EnforcementErrorCode
from . import openapi as doc
from .serializers import OrgSettingsInput, SuggestionInput, org_payload

CanChangeEnforcement = allow(policies.can_change_enforcement, "You may not change enforcement settings.")
CanViewUsage = allow(policies.can_view_usage, "You may not view the usage log.")


def _days(request, default=30) -> int:
    try:
        days = int(request.query_params.get("days", default))
    except ValueError:
        raise InvalidInput("days must be a number.", code=EnforcementErrorCode.INVALID_DAYS) from None
    if not 1 <= days <= 365:
        raise InvalidInput("days must be between 1 and 365.", code=EnforcementErrorCode.INVALID_DAYS)
    return days


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
                                              enforcement_mode=data.get("enforcement_mode"),
                                              basic_auth_for_new_tills=data.get("basic_auth_for_new_tills"))
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
            raise InvalidInput("outcome must be allowed, denied or would_deny.",
                               code=EnforcementErrorCode.INVALID_OUTCOME)
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
