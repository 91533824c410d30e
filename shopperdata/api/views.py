"""Admin API of shopper data under /ccadmin/v1/: the `user` shopper type, profiles, the system export."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin
from accessadmin.api.pagination import OffsetLimit
from accessadmin.api.permissions import allow
from accessadmin.api.schema import OFFSET_LIMIT, body_rules
from accessadmin.errors import InvalidInput

from .. import policies, selectors, services
from ..builtins import RESERVED_KEYS
from ..errors import Code
from . import openapi as doc
from .serializers import explainer_payload, profile_payload, shopper_type_payload

CanUseProfiles = allow(policies.can_use_profiles, "Only CS agents and administrators work with shopper profiles.")
CanViewShopperType = allow(policies.can_view_shopper_type, "Only CS agents and administrators read shopper types.")
CanManageShopperType = allow(policies.can_manage_shopper_type, "Only administrators change property access rules.")
CanExportProfiles = allow(policies.can_export_profiles, "Only administrators export shopper profiles.")

LANGUAGE_HEADER = OpenApiParameter("x-ccasset-language", str, OpenApiParameter.HEADER, required=False,
                                   description="Asset language of the request, e.g. en.")


def _object_body(request) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidInput("The body must be a JSON object.", code=Code.INVALID_BODY)
    return request.data


class ShopperTypeView(OrgScopedMixin, APIView):
    """GET/PUT /ccadmin/v1/shopperTypes/{id} (only `user` exists)."""

    def get_permissions(self):
        policy = CanManageShopperType if self.request.method == "PUT" else CanViewShopperType
        return [IsAuthenticated(), policy()]

    def _answer(self, request, type_id, properties=None):
        properties = properties if properties is not None else selectors.property_list(org=self.org,
                                                                                        shopper_type=type_id)
        warnings = selectors.shopper_type_warnings(org=self.org, properties=properties)
        return Response(shopper_type_payload(request, type_id, properties, warnings))

    @extend_schema(operation_id="getShopperType", responses={200: doc.ShopperType},
                   description="The shopper type with every property and its access attributes, plus "
                               "`warnings` for properties some role could write but not read.")
    def get(self, request, type_id):
        return self._answer(request, type_id)

    @extend_schema(operation_id="updateShopperType", request={"application/json": doc.SHOPPER_TYPE_INPUT},
                   responses={200: doc.ShopperType}, parameters=[LANGUAGE_HEADER],
                   description="Adds custom properties or changes attributes of existing ones: "
                               '`{"properties": {"lastName": {"readRole": "audit", ...}}, "propertiesOrder": [...]}`.')
    def put(self, request, type_id):
        body = _object_body(request)
        unknown = set(body) - {"properties", "propertiesOrder", "id", "links", "warnings"}
        if unknown:
            raise InvalidInput(f"Unknown field: {', '.join(sorted(unknown))}.", code=Code.INVALID_BODY)
        if type_id != "user":
            selectors.property_list(org=self.org, shopper_type=type_id)  # 404
        result = services.shopper_type_update(
            actor=request.user, org=self.org, properties=body.get("properties") or {},
            properties_order=body.get("propertiesOrder"), language=request.headers.get("x-ccasset-language"))
        return self._answer(request, type_id, result.properties)


class ProfileListView(OrgScopedMixin, APIView):
    """GET/POST /ccadmin/v1/profiles."""

    permission_classes = [IsAuthenticated, CanUseProfiles]

    @extend_schema(operation_id="listProfiles", responses={200: doc.PROFILE_LIST}, parameters=[
        OpenApiParameter("q", str, description="Matches email, mobile, first or last name (readable ones only)."),
        OpenApiParameter("email", str), OpenApiParameter("mobile", str),
        OpenApiParameter("name", str, description="First and/or last name."),
        *OFFSET_LIMIT])
    def get(self, request):
        plan = selectors.plan_for(actor=request.user, org=self.org)
        params = request.query_params
        qs = selectors.profile_list(org=self.org, plan=plan, q=params.get("q", ""), email=params.get("email", ""),
                                    mobile=params.get("mobile", ""), name=params.get("name", ""))
        paging = OffsetLimit(request)
        rows, total = paging.page(qs)
        return paging.response([profile_payload(p, plan) for p in rows], total,
                               sort=[{"property": "id", "order": "asc"}])

    @extend_schema(operation_id="createProfile", request={"application/json": doc.PROFILE_INPUT},
                   responses={201: doc.PROFILE}, extensions=body_rules(**doc.EMAIL_OR_MOBILE),
                   description="Properties at the top level, e.g. `{\"email\": ..., \"lastName\": ...}`.")
    def post(self, request):
        values = {k: v for k, v in _object_body(request).items() if k not in RESERVED_KEYS}
        result = services.profile_create(actor=request.user, org=self.org, values=values)
        plan = selectors.plan_for(actor=request.user, org=self.org)
        return Response(profile_payload(result.profile, plan), status=status.HTTP_201_CREATED)


class ProfileDetailView(OrgScopedMixin, APIView):
    """GET/PUT /ccadmin/v1/profiles/{id}."""

    permission_classes = [IsAuthenticated, CanUseProfiles]

    @extend_schema(operation_id="getProfile", responses={200: doc.PROFILE})
    def get(self, request, pk):
        profile = selectors.profile_get(org=self.org, pk=pk)
        return Response(profile_payload(profile, selectors.plan_for(actor=request.user, org=self.org)))

    @extend_schema(operation_id="updateProfile", request={"application/json": doc.PROFILE_INPUT},
                   responses={200: doc.PROFILE},
                   description="Changes the given properties. Sending back the value or mask you were shown "
                               "changes nothing; a change refused with writeSecurityLevel deny answers 403 "
                               "property_write_denied and nothing is saved.")
    def put(self, request, pk):
        profile = selectors.profile_get(org=self.org, pk=pk)
        body = _object_body(request)
        values = {k: v for k, v in body.items() if k not in RESERVED_KEYS}
        result = services.profile_update(actor=request.user, profile=profile, values=values)
        return Response(profile_payload(result.profile, selectors.plan_for(actor=request.user, org=self.org)))


class ProfileAccessView(OrgScopedMixin, APIView):
    """GET /ccadmin/v1/profiles/{id}/propertyAccess: why each property is visible, masked or hidden to the caller."""

    permission_classes = [IsAuthenticated, CanUseProfiles]

    @extend_schema(operation_id="explainProfileAccess", responses={200: doc.ProfileAccess})
    def get(self, request, pk):
        profile = selectors.profile_get(org=self.org, pk=pk)
        return Response(explainer_payload(profile, selectors.plan_for(actor=request.user, org=self.org)))


class ProfileExportView(OrgScopedMixin, APIView):
    """GET /ccadmin/v1/profileExport: every profile, unmasked, as CSV. Administrators only; audited."""

    permission_classes = [IsAuthenticated, CanExportProfiles]

    @extend_schema(operation_id="exportProfiles", responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        lines = services.profile_export(actor=request.user, org=self.org)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="profiles-{self.org.code}.csv"'
        response["Cache-Control"] = "no-store"
        return response
