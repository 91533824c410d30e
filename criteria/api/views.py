"""/ccadmin/v1: catalogs, price groups, security criteria and their resources."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.exceptions import render_error
from accessadmin.api.pagination import OffsetLimit
from accessadmin.api.permissions import allow
from accessadmin.api.schema import OFFSET_LIMIT, body_rules
from accessadmin.errors import CoreErrorCode, Forbidden, InvalidInput

from .. import policies, selectors, services
from ..errors import CriteriaErrorCode
from ..resources import ACTIONS, Action, Resource
from . import openapi as doc
from .serializers import (
    AssetInput,
    CriterionInput,
    PriceGroupInput,
    asset_payload,
    constraints_from_input,
    criterion_payload,
    explain_payload,
    resource_payload,
)

CanViewAssets = allow(policies.can_view_assets, "The Catalog or Administrator privilege is required.")
CanManageCriteria = allow(policies.can_manage_criteria, "Only administrators manage security criteria.")



class CommerceErrorsMixin:
    """Input the serializers reject (or unparsable JSON) answers the platform's 22064."""

    def render_app_error(self, request, err):
        if err.code in (CoreErrorCode.INVALID, CoreErrorCode.PARSE_ERROR, CoreErrorCode.UNKNOWN_FIELD):
            err.code = services.INVALID
        return render_error(request, err, style="ccadmin")


# --- catalogs and price groups -------------------------------------------------

def _allowed_actions(user, asset) -> list[str]:
    return [a.value for a in (Action.UPDATE, Action.DELETE)
            if policies.can_change(user, asset.resource, asset.code, a)]


class AssetListView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewAssets]
    resource: Resource
    input_class = AssetInput

    def get(self, request):
        paging = OffsetLimit(request)
        rows, total = paging.page(selectors.asset_list(org=self.org, resource=self.resource,
                                                       search=request.query_params.get("q", "")))
        items = [asset_payload(a, allowed_actions=_allowed_actions(request.user, a)) for a in rows]
        return paging.response(items, total, sort=[{"property": "id", "order": "asc"}])

    def post(self, request):
        data = validated(self.input_class, request.data)
        asset = services.asset_create(actor=request.user, org=self.org, resource=self.resource,
                                      code=data.get("id") or data.get("repositoryId") or "",
                                      display_name=data.get("displayName"),
                                      description=data.get("description", ""), active=data.get("active", True),
                                      currency=data.get("currency", "USD"))
        return Response(asset_payload(asset, allowed_actions=_allowed_actions(request.user, asset)),
                        status=status.HTTP_201_CREATED)


class AssetDetailView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewAssets]
    resource: Resource
    input_class = AssetInput

    def get(self, request, code):
        asset = selectors.asset_get(org=self.org, resource=self.resource, code=code)
        return Response(asset_payload(asset, allowed_actions=_allowed_actions(request.user, asset)))

    def put(self, request, code):
        asset = selectors.asset_get(org=self.org, resource=self.resource, code=code)
        data = validated(self.input_class, request.data, partial=True)
        asset = services.asset_update(actor=request.user, asset=asset, display_name=data.get("displayName"),
                                      description=data.get("description"), active=data.get("active"),
                                      currency=data.get("currency"))
        return Response(asset_payload(asset, allowed_actions=_allowed_actions(request.user, asset)))

    def delete(self, request, code):
        asset = selectors.asset_get(org=self.org, resource=self.resource, code=code)
        services.asset_delete(actor=request.user, asset=asset)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssetExplainView(OrgScopedMixin, APIView):
    """Why may (or may not) a user create/update/delete this asset: privilege, criteria, the decisive one."""

    permission_classes = [IsAuthenticated, CanViewAssets]
    resource: Resource

    def get(self, request, code):
        action = request.query_params.get("action") or Action.UPDATE.value
        if action not in {a.value for a in ACTIONS}:
            raise InvalidInput("action must be create, update or delete.", code=CriteriaErrorCode.INVALID_ACTION)
        exists = True
        try:
            selectors.asset_get(org=self.org, resource=self.resource, code=code)
        except Http404:
            # Creating an id that does not exist yet is exactly what the create decision is about.
            if action != Action.CREATE:
                raise
            exists = False
        username = request.query_params.get("user")
        subject = selectors.org_user_get(org=self.org, username=username) if username else request.user
        if not policies.can_explain_for(request.user, subject):
            raise Forbidden("Only administrators may ask about other users.")
        decision, entries = policies.explain(subject, self.resource, code, Action(action))
        return Response(explain_payload(subject, decision, entries, exists=exists))


# A create names the new item's id (as id or repositoryId) and its displayName; an update may leave both out.
ASSET_CREATE = body_rules(required=["displayName"], anyOf=[{"required": ["id"]}, {"required": ["repositoryId"]}])
LIST_PARAMS = [*OFFSET_LIMIT, OpenApiParameter("q", OpenApiTypes.STR, description="Matches id or name.")]

_explain_params = [
    OpenApiParameter("user", OpenApiTypes.STR, description="Username (default: yourself)."),
    OpenApiParameter("action", OpenApiTypes.STR, enum=["create", "update", "delete"]),
]


@extend_schema_view(
    get=extend_schema(operation_id="listCatalogs", responses=doc.CatalogList, parameters=LIST_PARAMS),
    post=extend_schema(operation_id="createCatalog", request=AssetInput, responses={201: doc.Catalog},
                       extensions=ASSET_CREATE),
)
class CatalogListView(AssetListView):
    resource = Resource.CATALOG


@extend_schema_view(
    get=extend_schema(operation_id="getCatalog", responses=doc.Catalog),
    put=extend_schema(operation_id="updateCatalog", request=AssetInput, responses=doc.Catalog),
    delete=extend_schema(operation_id="deleteCatalog", responses={204: None}),
)
class CatalogDetailView(AssetDetailView):
    resource = Resource.CATALOG


@extend_schema_view(get=extend_schema(operation_id="explainCatalog", parameters=_explain_params,
                                      responses=doc.Explanation))
class CatalogExplainView(AssetExplainView):
    resource = Resource.CATALOG


@extend_schema_view(
    get=extend_schema(operation_id="listPriceListGroups", responses=doc.PriceListGroupList, parameters=LIST_PARAMS),
    post=extend_schema(operation_id="createPriceListGroup", request=PriceGroupInput,
                       responses={201: doc.PriceListGroup}, extensions=ASSET_CREATE),
)
class PriceGroupListView(AssetListView):
    resource = Resource.PRICE_GROUP
    input_class = PriceGroupInput


@extend_schema_view(
    get=extend_schema(operation_id="getPriceListGroup", responses=doc.PriceListGroup),
    put=extend_schema(operation_id="updatePriceListGroup", request=PriceGroupInput, responses=doc.PriceListGroup),
    delete=extend_schema(operation_id="deletePriceListGroup", responses={204: None}),
)
class PriceGroupDetailView(AssetDetailView):
    resource = Resource.PRICE_GROUP
    input_class = PriceGroupInput


@extend_schema_view(get=extend_schema(operation_id="explainPriceListGroup", parameters=_explain_params,
                                      responses=doc.Explanation))
class PriceGroupExplainView(AssetExplainView):
    resource = Resource.PRICE_GROUP


# --- security criteria ---------------------------------------------------------

class CriterionListView(CommerceErrorsMixin, OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageCriteria]

    @extend_schema(operation_id="listAdminSecurityCriteria", responses=doc.SecurityCriterionList, parameters=[
        *LIST_PARAMS, OpenApiParameter("resource", str, description="A security criteria resource id.")])
    def get(self, request):
        paging = OffsetLimit(request)
        rows, total = paging.page(selectors.criterion_list(
            org=self.org, search=request.query_params.get("q", ""),
            resource=request.query_params.get("resource", "")))
        base = request.build_absolute_uri(request.path).rstrip("/")
        items = [criterion_payload(c, self_href=f"{base}/{c.code}") for c in rows]
        return paging.response(items, total, sort=[{"property": "id", "order": "asc"}])

    @extend_schema(operation_id="createAdminSecurityCriterion", request=CriterionInput,
                   responses={201: doc.SecurityCriterionOut},
                   extensions=body_rules(required=["name", "securityCriteriaResource", "constraintType"]))
    def post(self, request):
        data = validated(CriterionInput, request.data)
        criterion = services.criterion_create(
            actor=request.user, org=self.org, code=data.get("id") or data.get("repositoryId") or None,
            name=data.get("name"), description=data.get("description", ""),
            resource=data.get("securityCriteriaResource"), actions=data.get("actions"),
            constraint_type=data.get("constraintType"), constraints=constraints_from_input(data.get("constraints")),
            roles=data.get("roles"))
        criterion = selectors.criterion_get(org=self.org, code=criterion.code)
        return Response(criterion_payload(criterion, self_href=request.build_absolute_uri()),
                        status=status.HTTP_201_CREATED)


class CriterionDetailView(CommerceErrorsMixin, OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageCriteria]

    @extend_schema(operation_id="getAdminSecurityCriterion", responses=doc.SecurityCriterionOut)
    def get(self, request, code):
        criterion = selectors.criterion_get(org=self.org, code=code)
        return Response(criterion_payload(criterion, self_href=request.build_absolute_uri()))

    @extend_schema(operation_id="updateAdminSecurityCriterion", request=CriterionInput,
                   responses=doc.SecurityCriterionOut)
    def put(self, request, code):
        criterion = selectors.criterion_get(org=self.org, code=code)
        data = validated(CriterionInput, request.data, partial=True)
        services.criterion_update(
            actor=request.user, criterion=criterion, name=data.get("name"), description=data.get("description"),
            constraints=constraints_from_input(data.get("constraints")),
            resource=data.get("securityCriteriaResource"), constraint_type=data.get("constraintType"),
            actions=data.get("actions"), roles=data.get("roles"))
        criterion = selectors.criterion_get(org=self.org, code=code)
        return Response(criterion_payload(criterion, self_href=request.build_absolute_uri()))

    @extend_schema(operation_id="deleteAdminSecurityCriterion", responses={204: None})
    def delete(self, request, code):
        criterion = selectors.criterion_get(org=self.org, code=code)
        services.criterion_delete(actor=request.user, criterion=criterion)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CriteriaResourceListView(CommerceErrorsMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageCriteria]

    @extend_schema(operation_id="listAdminSecurityCriteriaResources", responses=doc.SecurityCriteriaResourceList,
                   parameters=OFFSET_LIMIT)
    def get(self, request):
        paging = OffsetLimit(request)
        items = [resource_payload(r) for r in sorted(Resource, key=lambda r: r.value)]
        page = items[paging.offset:paging.offset + paging.limit]
        return paging.response(page, len(items), sort=[{"property": "id", "order": "asc"}])
