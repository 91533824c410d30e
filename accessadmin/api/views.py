"""Core API: login, me, users (/api/v1) and roles, access rights (/ccadmin/v1)."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import registry, selectors, services
from ..auth import authenticate_password
from ..caching import no_store
from ..errors import AppError, CoreErrorCode, InvalidInput
from ..tenancy import current_org
from . import openapi as doc
from .base import OrgScopedMixin, parse_bool, validated
from .pagination import OffsetLimit, PageNumberPagination
from .permissions import CanManageIdentity
from .schema import OFFSET_LIMIT, PAGE_NUMBER, body_rules, errors
from .serializers import (
    AccessRightInput,
    LoginInput,
    RoleInput,
    UserCreateInput,
    UserUpdateInput,
    access_right_payload,
    me_payload,
    role_payload,
    user_payload,
)


class LoginView(APIView):
    """POST /ccadmin/v1/login: grant_type=password → a bearer token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="ccadmin_login", auth=[], extensions=errors(401, 429, omit=(404, 409)),
                   request={"application/json": LoginInput, "application/x-www-form-urlencoded": LoginInput},
                   responses=doc.LoginToken)
    def post(self, request):
        data = validated(LoginInput, request.data)
        if data["grant_type"] != "password":
            raise InvalidInput("Only grant_type=password is supported.", code=CoreErrorCode.UNSUPPORTED_GRANT_TYPE)
        if not data["username"] or not data["password"]:
            raise InvalidInput("username and password are required.", code=CoreErrorCode.INVALID_REQUEST)
        user = authenticate_password(request, username=data["username"], password=data["password"])
        key, ttl = services.token_issue(user=user)
        return no_store(Response({"access_token": key, "token_type": "bearer", "expires_in": ttl}))

    def get_authenticate_header(self, request):
        return 'Bearer realm="accessadmin"'


class LogoutView(APIView):
    """POST /ccadmin/v1/logout: revokes the bearer token of the request."""

    @extend_schema(operation_id="ccadmin_logout", request=None, responses=doc.LogoutResult,
                   extensions=errors(omit=(409,)))
    def post(self, request):
        if isinstance(request.auth, str):
            request.user.api_tokens.filter(key_digest=services._digest(request.auth)).delete()
        return Response({"result": True})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_retrieve", responses=doc.Me)
    def get(self, request):
        return Response(me_payload(request.user, current_org(request)))


class UserListView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageIdentity]

    @extend_schema(operation_id="users_list", responses=doc.UserPage, parameters=[
        *PAGE_NUMBER, OpenApiParameter("search", str), OpenApiParameter("role", str, description="A role id."),
        OpenApiParameter("is_active", bool)])
    def get(self, request):
        qs = selectors.user_list(org=self.org, search=request.query_params.get("search", ""),
                                 role=request.query_params.get("role", ""),
                                 is_active=parse_bool(request.query_params.get("is_active")))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([user_payload(u) for u in page])

    @extend_schema(operation_id="users_create", request=UserCreateInput, responses={201: doc.User})
    def post(self, request):
        data = validated(UserCreateInput, request.data)
        user = services.user_create(actor=request.user, org=self.org, **data)
        return Response(user_payload(user), status=status.HTTP_201_CREATED)


class UserDetailView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageIdentity]

    @extend_schema(operation_id="users_retrieve", responses=doc.User)
    def get(self, request, pk):
        return Response(user_payload(selectors.user_get(org=self.org, pk=pk)))

    @extend_schema(operation_id="users_partial_update", request=UserUpdateInput, responses=doc.User)
    def patch(self, request, pk):
        user = selectors.user_get(org=self.org, pk=pk)
        data = validated(UserUpdateInput, request.data, partial=True)
        user = services.user_update(actor=request.user, user=user, **data)
        return Response(user_payload(user))


def _apply_role_fields(actor, role, data: dict) -> None:
    """Writes the registered role fields present in the input (in the caller's transaction)."""
    for field in registry.role_fields():
        if field.name in data:
            field.apply(actor=actor, role=role, value=data[field.name])


class RoleListView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageIdentity]

    @extend_schema(operation_id="admin_roles_list", responses=doc.RoleList,
                   parameters=[*OFFSET_LIMIT, OpenApiParameter("q", str)])
    def get(self, request):
        paging = OffsetLimit(request)
        rows, total = paging.page(selectors.role_list(org=self.org, search=request.query_params.get("q", "")))
        return paging.response([role_payload(r) for r in rows], total, sort=[{"property": "name", "order": "asc"}])

    @extend_schema(operation_id="admin_roles_create", request=RoleInput, responses={201: doc.Role},
                   extensions=body_rules(required=["name"]))
    def post(self, request):
        data = validated(RoleInput, request.data)
        if "name" not in data:
            raise InvalidInput("name is required.", code=CoreErrorCode.NAME_REQUIRED, fields={"name": ["Required."]})
        with transaction.atomic():  # a bad value of a registered field (securityCriteria) leaves no role behind
            role = services.role_create(actor=request.user, org=self.org, name=data["name"],
                                        code=data.get("id") or data.get("repositoryId") or None,
                                        description=data.get("description", ""),
                                        access_rights=data.get("accessRights", []))
            _apply_role_fields(request.user, role, data)
        role = selectors.role_get(org=self.org, code=role.code)
        return Response(role_payload(role), status=status.HTTP_201_CREATED)


class RoleDetailView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageIdentity]

    @extend_schema(operation_id="admin_roles_retrieve", responses=doc.Role)
    def get(self, request, code):
        return Response(role_payload(selectors.role_get(org=self.org, code=code)))

    @extend_schema(operation_id="admin_roles_update", request=RoleInput, responses=doc.Role)
    def put(self, request, code):
        role = selectors.role_get(org=self.org, code=code)
        data = validated(RoleInput, request.data, partial=True)
        with transaction.atomic():
            services.role_update(actor=request.user, role=role, name=data.get("name"),
                                 description=data.get("description"), access_rights=data.get("accessRights"))
            _apply_role_fields(request.user, role, data)
        return Response(role_payload(selectors.role_get(org=self.org, code=code)))


class AccessRightListView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageIdentity]

    @extend_schema(operation_id="admin_access_rights_list", responses=doc.AccessRightList, parameters=[
        *OFFSET_LIMIT, OpenApiParameter("q", str), OpenApiParameter("type", str, enum=["generic", "privilege"])])
    def get(self, request):
        paging = OffsetLimit(request)
        rows, total = paging.page(selectors.access_right_list(org=self.org, search=request.query_params.get("q", ""),
                                                              type=request.query_params.get("type", "")))
        return paging.response([access_right_payload(a) for a in rows], total,
                               sort=[{"property": "id", "order": "asc"}])

    @extend_schema(operation_id="admin_access_rights_create", request=AccessRightInput,
                   responses={201: doc.AccessRight}, extensions=body_rules(required=["id", "name"]))
    def post(self, request):
        data = validated(AccessRightInput, request.data)
        if data.get("type") == "privilege":
            raise AppError("Privileges are built in; create a generic access right.",
                           code=CoreErrorCode.PRIVILEGE_READONLY,
                           status=403)
        if not data.get("id") or not data.get("name"):
            raise InvalidInput("id and name are required.", code=CoreErrorCode.INVALID_REQUEST)
        ar = services.access_right_create(actor=request.user, org=self.org, code=data["id"], name=data["name"],
                                          description=data.get("description", ""))
        return Response(access_right_payload(ar), status=status.HTTP_201_CREATED)


class AccessRightDetailView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageIdentity]

    @extend_schema(operation_id="admin_access_rights_retrieve", responses=doc.AccessRight)
    def get(self, request, code):
        return Response(access_right_payload(selectors.access_right_get(org=self.org, code=code)))

    @extend_schema(operation_id="admin_access_rights_update", request=AccessRightInput, responses=doc.AccessRight)
    def put(self, request, code):
        ar = selectors.access_right_get(org=self.org, code=code)
        data = validated(AccessRightInput, request.data, partial=True)
        ar = services.access_right_update(actor=request.user, access_right=ar, name=data.get("name"),
                                          description=data.get("description"))
        return Response(access_right_payload(ar))
