"""REST API of stores (/api/v1/stores/)."""

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
from groups import selectors as group_selectors

from .. import selectors, services
from ..policies import can_delegate_stores, can_view_stores
from . import openapi as doc
from .serializers import ManagerInput, StoreCreateInput, StoreUpdateInput, store_payload

CanViewStores = allow(can_view_stores, "You may not manage stores.")
CanDelegateStores = allow(can_delegate_stores, "You may not delegate stores.")



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
