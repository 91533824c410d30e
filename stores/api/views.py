"""REST API (/api/v1/) of stores, their allocation to access groups, tills and API clients."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.pagination import PageNumberPagination
from accessadmin.api.permissions import allow
from accessadmin.api.schema import PAGE_NUMBER
from accessadmin.caching import never_stored
from groups import selectors as group_selectors
from groups.api.serializers import StoresInput, group_payload
from groups.policies import can_manage_groups

from .. import selectors, services, till_oauth
from ..policies import can_delegate_stores, can_manage_api_clients, can_manage_tills, can_view_stores
from . import openapi as doc
from .serializers import (
    ApiClientInput,
    ManagerInput,
    StoreCreateInput,
    StoreUpdateInput,
    TillCreateInput,
    client_payload,
    store_payload,
    till_payload,
)

CanViewStores = allow(can_view_stores, "You may not manage stores.")
CanDelegateStores = allow(can_delegate_stores, "You may not delegate stores.")
CanManageGroups = allow(can_manage_groups, "You may not manage access groups.")
CanManageTills = allow(can_manage_tills, "You may not manage tills.")
CanManageClients = allow(can_manage_api_clients, "You may not manage API clients.")


class StoreAPIView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewStores]

    def group_or_none(self, pk):
        return None if pk is None else group_selectors.group_get(org=self.org, pk=pk)

    def payload(self, store):
        return store_payload(store, group_selectors.default_group(org=self.org))


class StoreListView(StoreAPIView, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="stores_list", responses=doc.StorePage, parameters=[
        *PAGE_NUMBER, OpenApiParameter("search", str),
        OpenApiParameter("access_group", str, description="A group id, or \"none\" for stores on the default.")])
    def get(self, request):
        qs = selectors.store_list(actor=request.user, org=self.org, search=request.query_params.get("search", ""),
                                  group=request.query_params.get("access_group", ""))
        page = self.paginate_queryset(qs)
        default = group_selectors.default_group(org=self.org)
        return self.get_paginated_response([store_payload(s, default) for s in page])

    @extend_schema(operation_id="stores_create", request=StoreCreateInput, responses={201: doc.Store})
    def post(self, request):
        data = validated(StoreCreateInput, request.data)
        store = services.store_create(actor=request.user, org=self.org, code=data["code"], name=data["name"],
                                      city=data["city"], access_group=self.group_or_none(data["access_group"]))
        return Response(self.payload(store), status=status.HTTP_201_CREATED)


class StoreDetailView(StoreAPIView):
    @extend_schema(operation_id="stores_retrieve", responses=doc.Store)
    def get(self, request, code):
        return Response(self.payload(selectors.store_get(actor=request.user, org=self.org, code=code)))

    @extend_schema(operation_id="stores_partial_update", request=StoreUpdateInput, responses=doc.Store)
    def patch(self, request, code):
        store = selectors.store_get(actor=request.user, org=self.org, code=code)
        data = validated(StoreUpdateInput, request.data)
        kwargs = {"name": data.get("name"), "city": data.get("city")}
        if "access_group" in data:
            kwargs["access_group"] = self.group_or_none(data["access_group"])
        store = services.store_update(actor=request.user, org=self.org, store=store, **kwargs)
        return Response(self.payload(selectors.store_get(actor=request.user, org=self.org, code=store.code)))


class StoreManagersView(StoreAPIView):
    permission_classes = [IsAuthenticated, CanDelegateStores]

    def _body(self, store):
        return {"store": store.code, "managers": [u.username for u in selectors.store_managers(store)]}

    @extend_schema(operation_id="store_managers_list", responses=doc.StoreManagers)
    def get(self, request, code):
        return Response(self._body(selectors.store_get(actor=request.user, org=self.org, code=code)))

    @extend_schema(operation_id="store_managers_add", request=ManagerInput, responses={201: doc.StoreManagers})
    def post(self, request, code):
        store = selectors.store_get(actor=request.user, org=self.org, code=code)
        services.store_grant_manager(actor=request.user, org=self.org, store=store,
                                     username=validated(ManagerInput, request.data)["user"])
        return Response(self._body(store), status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="store_managers_remove", request=ManagerInput, responses=doc.StoreManagers)
    def delete(self, request, code):
        store = selectors.store_get(actor=request.user, org=self.org, code=code)
        services.store_revoke_manager(actor=request.user, org=self.org, store=store,
                                      username=validated(ManagerInput, request.data)["user"])
        return Response(self._body(store))


# --- allocation to an access group (/api/v1/access-groups/<id>/allocate and /unallocate) ------------------------

class GroupAllocationView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageGroups]

    def group(self, pk):
        return group_selectors.group_get(org=self.org, pk=pk)

    def group_body(self, pk) -> dict:
        return group_payload(self.group(pk), group_selectors.resource_list())


class GroupAllocateView(GroupAllocationView):
    @extend_schema(operation_id="access_groups_allocate", request=StoresInput, responses=doc.Allocated)
    def post(self, request, pk):
        codes = validated(StoresInput, request.data)["stores"]
        moved = services.stores_allocate(actor=request.user, org=self.org, group=self.group(pk), store_codes=codes)
        return Response({"allocated": moved, "group": self.group_body(pk)})


class GroupUnallocateView(GroupAllocationView):
    @extend_schema(operation_id="access_groups_unallocate", request=StoresInput, responses=doc.Unallocated)
    def post(self, request, pk):
        codes = validated(StoresInput, request.data)["stores"]
        moved = services.stores_unallocate(actor=request.user, org=self.org, group=self.group(pk),
                                           store_codes=codes)
        return Response({"unallocated": moved, "group": self.group_body(pk)})


# --- tills and API clients ------------------------------------------------------------------------------------

class TillsAPIView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageTills]


class StoreTillsView(TillsAPIView):
    @extend_schema(operation_id="store_tills_list", responses=doc.TillList)
    def get(self, request, code):
        store = selectors.store_get(actor=request.user, org=self.org, code=code)
        return Response({"results": [till_payload(t) for t in selectors.till_list(org=self.org, store=store)]})

    @extend_schema(operation_id="store_tills_create", request=TillCreateInput, responses={201: doc.TillCreated})
    @never_stored
    def post(self, request, code):
        store = selectors.store_get(actor=request.user, org=self.org, code=code)
        data = validated(TillCreateInput, request.data)
        till, secret, oauth = till_oauth.till_create_with_credentials(actor=request.user, org=self.org, store=store,
                                                                      code=data["code"])
        body = till_payload(till, secret)
        if oauth is not None:
            body.update(client_id=oauth.client_id, client_secret=oauth.client_secret)
        return Response(body, status=status.HTTP_201_CREATED)


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
