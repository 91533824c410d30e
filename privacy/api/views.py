"""Admin API of PII deletion (/api/v1/privacy/): settings, deletion requests, bulk files.

Seeing requests needs piiDeletionPrivilege or piiApprovalPrivilege; each write asks its own
policy through the services (403 without it, nothing changed). Another org's request is 404.
"""

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.pagination import PageNumberPagination
from accessadmin.api.permissions import allow
from accessadmin.errors import CoreErrorCode, Forbidden, InvalidInput

from .. import bulk, filters, policies, selectors, services
from ..errors import Code
from ..models import Source
from .serializers import (
    BulkOutput,
    CommentsInput,
    ReasonInput,
    RequestCreatedOutput,
    RequestCreateInput,
    RequestOutput,
    SettingsInput,
    SettingsOutput,
    request_payload,
    settings_payload,
)

CanViewSettings = allow(policies.can_view_settings, "You may not see the privacy settings.")
CanViewRequests = allow(policies.can_view_requests, "You may not see deletion requests.")


def _body(serializer_class, data, *, partial=False) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.", code=CoreErrorCode.INVALID_BODY)
    return validated(serializer_class, data, partial=partial)


class SettingsView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewSettings]

    @extend_schema(operation_id="privacy_settings_retrieve", responses=SettingsOutput)
    def get(self, request):
        return Response(settings_payload(selectors.settings_get(org=self.org)))

    @extend_schema(operation_id="privacy_settings_partial_update", request=SettingsInput, responses=SettingsOutput,
                   description="Administrators only.")
    def patch(self, request):
        data = _body(SettingsInput, request.data, partial=True)
        return Response(settings_payload(services.settings_update(actor=request.user, org=self.org, changes=data)))


class RequestListView(OrgScopedMixin, GenericAPIView):
    permission_classes = [IsAuthenticated, CanViewRequests]
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="privacy_deletion_requests_list", responses=RequestOutput(many=True),
                   parameters=[OpenApiParameter("status", str), OpenApiParameter("created_from", str),
                               OpenApiParameter("created_to", str), OpenApiParameter("customer", int)])
    def get(self, request):
        qs = selectors.request_list(actor=request.user, org=self.org,
                                    **filters.request_filters(request.query_params))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([request_payload(r) for r in page])

    @extend_schema(operation_id="privacy_deletion_requests_create", request=RequestCreateInput,
                   responses={201: RequestCreatedOutput},
                   description="Give `customer_id`, or `identifierType` and `identifierValue`. When the customer "
                               "already has an open request, that one is answered with a `request_exists` warning "
                               "and nothing is created.")
    def post(self, request):
        data = _body(RequestCreateInput, request.data)
        if data.get("customer_id") is None and not data.get("identifierType"):
            raise InvalidInput("Give customer_id, or identifierType and identifierValue.",
                               code=Code.IDENTIFIER_REQUIRED, fields={"customer_id": ["This field is required."]})
        raised = services.request_raise(actor=request.user, org=self.org, source=Source.ADMIN_API,
                                        customer_id=data.get("customer_id"),
                                        identifier_type=data.get("identifierType"),
                                        identifier_value=data.get("identifierValue"),
                                        comments=data.get("comments", ""))
        return Response({**request_payload(raised.request), "warnings": raised.warnings},
                        status=status.HTTP_201_CREATED)


class RequestView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewRequests]

    @extend_schema(operation_id="privacy_deletion_requests_retrieve", responses=RequestOutput)
    def get(self, request, pk):
        return Response(request_payload(selectors.request_get(actor=request.user, org=self.org, request_id=pk)))


class RequestApproveView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewRequests]

    @extend_schema(operation_id="privacy_deletion_requests_approve", request=CommentsInput, responses=RequestOutput,
                   description="Needs piiApprovalPrivilege; nobody approves a request they raised (403 own_request).")
    def post(self, request, pk):
        data = _body(CommentsInput, request.data or {})
        req = services.request_approve(actor=request.user, org=self.org, request_id=pk,
                                       comments=data.get("comments", ""))
        return Response(request_payload(req))


class RequestRejectView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewRequests]

    @extend_schema(operation_id="privacy_deletion_requests_reject", request=ReasonInput, responses=RequestOutput)
    def post(self, request, pk):
        data = _body(ReasonInput, request.data)
        return Response(request_payload(services.request_reject(actor=request.user, org=self.org, request_id=pk,
                                                                reason=data["reason"])))


class RequestCancelView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewRequests]

    @extend_schema(operation_id="privacy_deletion_requests_cancel", request=CommentsInput, responses=RequestOutput)
    def post(self, request, pk):
        data = _body(CommentsInput, request.data or {})
        return Response(request_payload(services.request_cancel(actor=request.user, org=self.org, request_id=pk,
                                                                comments=data.get("comments", ""))))


class RequestRetryView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewRequests]

    @extend_schema(operation_id="privacy_deletion_requests_retry", request=None, responses=RequestOutput,
                   description="Makes a FAILED request due now again (needs piiApprovalPrivilege).")
    def post(self, request, pk):
        return Response(request_payload(services.request_retry(actor=request.user, org=self.org, request_id=pk)))


class BulkView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewRequests]
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="privacy_deletion_requests_bulk",
                   request={"multipart/form-data": {"type": "object", "properties": {
                       "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
                   responses=BulkOutput,
                   description="A CSV file with the header identifierType,identifierValue,comments (at most "
                               "100,000 rows). Each row answers its request id or its error code; rows in error "
                               "create nothing, good rows are filed.")
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("Upload a CSV file as `file`.", code=Code.FILE_REQUIRED,
                               fields={"file": ["This field is required."]})
        if not policies.can_raise(request.user):
            raise Forbidden("You may not request the deletion of personal data.", code=Code.DELETION_FORBIDDEN)
        filing, results = bulk.start(actor=request.user, org=self.org, source=Source.BULK,
                                     lines=bulk.text_lines(upload))
        # Streamed: each row is filed as its answer is written, so 100,000 rows take the memory of one.
        response = StreamingHttpResponse(bulk.json_chunks(filing, results), content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
