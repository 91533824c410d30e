"""REST API of access groups, the resource catalogue and the default group (/api/v1/)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.pagination import PageNumberPagination
from accessadmin.api.permissions import allow
from accessadmin.api.schema import PAGE_NUMBER, body_rules
from accessadmin.errors import CoreErrorCode, InvalidInput

from .. import cells as cellsmod
from .. import selectors, services
from ..errors import GroupsErrorCode
from ..filters import AccessGroupFilter
from ..policies import can_manage_groups
from . import openapi as doc
from .serializers import (
    DeactivateInput,
    DefaultGroupInput,
    GroupInput,
    event_payload,
    group_payload,
    resource_payload,
)

CanManageGroups = allow(can_manage_groups, "You may not manage access groups.")



class GroupAPIView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageGroups]

    def group(self, pk):
        return selectors.group_get(org=self.org, pk=pk)

    def respond(self, pk, *, warnings=None, code=status.HTTP_200_OK):
        group = self.group(pk)
        return Response(group_payload(group, selectors.resource_list(), warnings=warnings), status=code)


class ResourceListView(APIView):
    permission_classes = [IsAuthenticated, CanManageGroups]

    @extend_schema(operation_id="resources_list", responses=doc.ResourceList)
    def get(self, request):
        return Response({"results": [resource_payload(r) for r in selectors.resource_list()]})


class GroupListView(GroupAPIView, GenericAPIView):
    filterset_class = AccessGroupFilter
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="access_groups_list", responses=doc.AccessGroupPage, parameters=[
        *PAGE_NUMBER, OpenApiParameter("search", str), OpenApiParameter("status", str, enum=["active", "inactive"]),
        OpenApiParameter("kind", str, enum=["builtin", "custom"]),
        OpenApiParameter("ordering", str, description="name, status, created_at, updated_at or store_count; "
                                                      "a leading - sorts descending.")])
    def get(self, request):
        filterset = AccessGroupFilter(request.query_params, queryset=selectors.group_list(org=self.org))
        if not filterset.is_valid():
            raise InvalidInput("Invalid filter.", code=GroupsErrorCode.INVALID_FILTER,
                               fields={k: [str(m) for m in v] for k, v in filterset.errors.items()})
        page = self.paginate_queryset(filterset.qs)
        resources = selectors.resource_list()
        return self.get_paginated_response([group_payload(g, resources) for g in page])

    @extend_schema(operation_id="access_groups_create", request=GroupInput, responses={201: doc.AccessGroup},
                   extensions=body_rules(required=["name"]))
    def post(self, request):
        data = validated(GroupInput, request.data)
        if "name" not in data:
            raise InvalidInput("name is required.", code=CoreErrorCode.NAME_REQUIRED, fields={"name": ["Required."]})
        group, warnings = services.group_create(actor=request.user, org=self.org, name=data["name"],
                                                description=data.get("description", ""),
                                                permissions=data.get("permissions", []))
        return self.respond(group.pk, warnings=warnings, code=status.HTTP_201_CREATED)


class GroupDetailView(GroupAPIView):
    @extend_schema(operation_id="access_groups_retrieve", responses=doc.AccessGroup)
    def get(self, request, pk):
        return self.respond(pk)

    def _update(self, request, pk, *, partial):
        group = self.group(pk)
        data = validated(GroupInput, request.data)
        if not partial and ("name" not in data or "permissions" not in data):
            raise InvalidInput("PUT needs name and permissions; use PATCH to change some fields.",
                               code=CoreErrorCode.INVALID_REQUEST)
        group, warnings = services.group_update(actor=request.user, org=self.org, group=group,
                                                name=data.get("name"), description=data.get("description"),
                                                permissions=data.get("permissions"))
        return self.respond(group.pk, warnings=warnings)

    @extend_schema(operation_id="access_groups_partial_update", request=GroupInput, responses=doc.AccessGroup)
    def patch(self, request, pk):
        return self._update(request, pk, partial=True)

    @extend_schema(operation_id="access_groups_update", request=GroupInput, responses=doc.AccessGroup,
                   extensions=body_rules(required=["name", "permissions"]))
    def put(self, request, pk):
        return self._update(request, pk, partial=False)


class GroupDiffView(GroupAPIView):
    """POST {"permissions": [...]}: what saving these cells would add and remove, without saving."""

    @extend_schema(operation_id="access_groups_diff", request=GroupInput, responses=doc.GroupDiff)
    def post(self, request, pk):
        group = self.group(pk)
        data = validated(GroupInput, request.data)
        resources = selectors.resource_list()
        after = cellsmod.parse(data.get("permissions", []), (r.key for r in resources))
        before = cellsmod.of_group(group, resources)
        return Response({**cellsmod.diff(before, after), "warnings": services.cell_warnings(after)})


class GroupActivateView(GroupAPIView):
    @extend_schema(operation_id="access_groups_activate", request=None, responses=doc.AccessGroup)
    def post(self, request, pk):
        services.group_activate(actor=request.user, org=self.org, group=self.group(pk))
        return self.respond(pk)


class GroupDeactivateView(GroupAPIView):
    @extend_schema(operation_id="access_groups_deactivate", request=DeactivateInput, responses=doc.AccessGroup)
    def post(self, request, pk):
        group = self.group(pk)
        body = request.data
        move_to = validated(DeactivateInput, {} if body is None else body).get("move_to")
        services.group_deactivate(actor=request.user, org=self.org, group=group, move_to=move_to)
        return self.respond(pk)


class GroupHistoryView(GroupAPIView, GenericAPIView):
    pagination_class = PageNumberPagination

    @extend_schema(operation_id="access_groups_history", responses=doc.GroupEventPage, parameters=PAGE_NUMBER)
    def get(self, request, pk):
        page = self.paginate_queryset(selectors.group_history(org=self.org, group=self.group(pk)))
        return self.get_paginated_response([event_payload(e) for e in page])


class DefaultGroupView(GroupAPIView):
    def _body(self):
        group = selectors.default_group(org=self.org)
        return {"access_group": group_payload(selectors.group_get(org=self.org, pk=group.pk),
                                              selectors.resource_list()),
                "inheriting_stores": selectors.inheriting_store_count(org=self.org)}

    @extend_schema(operation_id="default_access_group_retrieve", responses=doc.DefaultGroup)
    def get(self, request):
        return Response(self._body())

    @extend_schema(operation_id="default_access_group_update", request=DefaultGroupInput,
                   responses=doc.DefaultGroup)
    def put(self, request):
        group = self.group(validated(DefaultGroupInput, request.data)["access_group"])
        services.default_group_set(actor=request.user, org=self.org, group=group)
        return Response(self._body())
