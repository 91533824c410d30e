"""REST API (/api/v1/tills/{code}/oauth-client/) of a till's OAuth2 client credentials (stores/till_oauth.py)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin
from accessadmin.api.permissions import allow
from accessadmin.caching import never_stored

from .. import selectors, till_oauth
from ..policies import can_manage_tills
from . import openapi as doc
from .serializers import till_payload

CanManageTills = allow(can_manage_tills, "You may not manage tills.")


class TillOAuthCredentials(doc.Till):
    client_id = serializers.CharField(help_text="The OAuth2 client id: POST /oauth/token with "
                                                "grant_type=client_credentials gives a token acting as the till.")
    client_secret = serializers.CharField(help_text="Shown once: keep it, it cannot be read again.")


class TillOAuthClientView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanManageTills]

    @extend_schema(operation_id="tills_oauth_client_create", request=None,
                   responses={201: TillOAuthCredentials},
                   description="Gives the till new OAuth2 client credentials (client id and secret, shown once). "
                               "Credentials it held before are revoked with their tokens. 409 till_inactive for a "
                               "deactivated till.")
    @never_stored
    def post(self, request, code):
        till, credentials = till_oauth.till_oauth_client_create(
            actor=request.user, org=self.org, till=selectors.till_get(org=self.org, code=code))
        body = {**till_payload(till), "client_id": credentials.client_id, "client_secret": credentials.client_secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="tills_oauth_client_revoke", request=None, responses={200: doc.Till},
                   description="Revokes the till's OAuth2 credentials: its tokens get 401 from the next request.")
    def delete(self, request, code):
        till = till_oauth.till_oauth_client_revoke(actor=request.user, org=self.org,
                                                   till=selectors.till_get(org=self.org, code=code))
        return Response(till_payload(till))
