"""DRF glue of the till API: the authentication class, the one permission class, and the base view
(never a 500 when the database is unreachable). Errors under /v2/ take the till API's shape from the
surface the stores app registers (StoresConfig.ready)."""

from django.db import InterfaceError, OperationalError
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from accessadmin import audit
from accessadmin.throttling import client_address

from . import auth, schema, usage  # noqa: F401  (schema registers the OpenAPI extension)
from .caller import Caller
from .errors import REALM, AccessDenied, AuthorizationUnavailable
from .policies import decide


class TillAuthentication(BaseAuthentication):
    """HTTP Basic for tills (code:secret, or code:md5hex(secret)) and Bearer for OAuth2 API clients."""

    def authenticate(self, request):
        caller = auth.authenticate(request.META.get("HTTP_AUTHORIZATION", ""), client_address(request))
        return None if caller is None else (caller, None)

    def authenticate_header(self, request):
        return REALM


class CallerGroupAllows(BasePermission):
    """The one permission class: maps the method to read/write and asks the caller's access group
    about the view's declared `resource` and `api` (part). Every decision is counted."""

    def has_permission(self, request, view):
        caller = request.user
        if not isinstance(caller, Caller):
            raise exceptions.NotAuthenticated("Authentication credentials were not provided.")
        decision = decide(caller, view.resource, view.api, request.method)
        usage.count(caller, decision, request.method)
        request.decision = decision
        if not decision.passes:
            raise AccessDenied(extra={"explanation": decision.explanation(caller)})
        return True


class TillApiView(APIView):
    """Base of every till API view. Subclasses set `resource` and `api` ("data" or "config")."""

    resource: str = ""
    api: str = ""
    authentication_classes = [TillAuthentication]
    permission_classes = [CallerGroupAllows]
    pagination_class = None

    def handle_exception(self, exc):
        if isinstance(exc, (OperationalError, InterfaceError)):
            exc = AuthorizationUnavailable()
        return super().handle_exception(exc)

    @property
    def caller(self) -> Caller:
        return self.request.user

    def initial(self, request, *args, **kwargs):
        """Authenticates and decides (DRF), then records the caller as the actor of the request's writes."""
        super().initial(request, *args, **kwargs)
        self._audit_token = audit.begin_acting_as(request.user.audit_actor())

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_audit_token", None)
        if token is not None:
            self._audit_token = None
            audit.end_acting_as(token)
        return super().finalize_response(request, response, *args, **kwargs)
