"""REST API of Connect+ (/api/v1/connect/): connections, PGP keys, templates, dataflows and runs.

Every view needs the Connect+ privilege (403 without it); objects of another org answer 404, like
missing ones. Inputs refuse fields they do not know (400 `unknown_field`).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin
from accessadmin.api.pagination import PageNumberPagination
from accessadmin.api.permissions import allow

from .. import selectors, services_admin
from ..flow_templates import template_list
from ..policies import can_use_connect
from .serializers import (
    ConnectionInput,
    ConnectionOutput,
    DataflowInput,
    DataflowOutput,
    HostKeyOutput,
    KeyInput,
    KeyOutput,
    RunOutput,
    RunQueuedOutput,
    TemplateListOutput,
    TestOutput,
    connection_payload,
    dataflow_payload,
    key_payload,
    run_payload,
    validated_input,
)

CanUseConnect = allow(can_use_connect, "You may not use Connect+.")
DELETED = OpenApiResponse(description="Deleted.")
UPSTREAM_FAILED = OpenApiResponse(
    description="The SFTP server could not be reached or refused the connection; `code` says why "
                "(`unreachable`, `timeout`, `host_not_allowed`, …).")


class ConnectAPIView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanUseConnect]

    # The caller's objects by id; another org's are NotFound (404), like missing ones.
    def connection(self, pk):
        return selectors.connection_get(actor=self.request.user, org=self.org, connection_id=pk)

    def key(self, pk):
        return selectors.pgp_key_get(actor=self.request.user, org=self.org, key_id=pk)

    def dataflow(self, pk):
        return selectors.dataflow_overview_get(actor=self.request.user, org=self.org, dataflow_id=pk)

    def run(self, pk):
        return selectors.run_get(actor=self.request.user, org=self.org, run_id=pk)

    def search(self, queryset, *fields):
        return selectors.search(queryset, self.request.query_params.get("search", ""), *fields)


class ConnectListView(ConnectAPIView, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    def page_of(self, queryset, payload):
        return self.get_paginated_response([payload(row) for row in self.paginate_queryset(queryset)])


# --- connections ---------------------------------------------------------------------------------------------

def _connection_body(connection) -> dict:
    return connection_payload(connection, services_admin.host_key_fingerprint(connection.host_key))


class ConnectionListView(ConnectListView):
    @extend_schema(operation_id="connect_connections_list", responses=ConnectionOutput(many=True))
    def get(self, request):
        return self.page_of(self.search(selectors.connection_list(actor=request.user, org=self.org),
                                        "name", "host", "username"),
                            _connection_body)

    @extend_schema(operation_id="connect_connections_create", request=ConnectionInput,
                   responses={201: ConnectionOutput})
    def post(self, request):
        data = validated_input(ConnectionInput, request.data)
        connection = services_admin.connection_create(actor=request.user, org=self.org, **data)
        return Response(_connection_body(self.connection(connection.pk)),
                        status=status.HTTP_201_CREATED)


class ConnectionDetailView(ConnectAPIView):
    @extend_schema(operation_id="connect_connections_retrieve", responses=ConnectionOutput)
    def get(self, request, pk):
        return Response(_connection_body(self.connection(pk)))

    @extend_schema(operation_id="connect_connections_partial_update", request=ConnectionInput,
                   responses=ConnectionOutput)
    def patch(self, request, pk):
        connection = self.connection(pk)
        data = validated_input(ConnectionInput, request.data, partial=True)
        services_admin.connection_update(actor=request.user, org=self.org, connection=connection, changes=data)
        return Response(_connection_body(self.connection(pk)))

    @extend_schema(operation_id="connect_connections_destroy", responses={204: DELETED})
    def delete(self, request, pk):
        connection = self.connection(pk)
        services_admin.connection_delete(actor=request.user, org=self.org, connection=connection)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConnectionHostKeyView(ConnectAPIView):
    @extend_schema(operation_id="connect_connections_host_key", request=None,
                   responses={200: HostKeyOutput, 502: UPSTREAM_FAILED},
                   description="Fetches the host key the server offers now, with its SHA256 fingerprint, for the "
                               "admin to compare with the one the server's operator publishes. Nothing is trusted "
                               "by this call: to trust the key, PATCH it as `host_key`.")
    def post(self, request, pk):
        connection = self.connection(pk)
        return Response(services_admin.connection_offered_host_key(connection=connection))


class ConnectionTestView(ConnectAPIView):
    @extend_schema(operation_id="connect_connections_test", request=None, responses=TestOutput,
                   description="Connects (host key pinned, then the login) and lists `base_path` within 10 s. "
                               "`ok` is true, or `code` says what failed.")
    def post(self, request, pk):
        connection = self.connection(pk)
        return Response(services_admin.connection_test(connection=connection))


# --- PGP keys ------------------------------------------------------------------------------------------------

class KeyListView(ConnectListView):
    @extend_schema(operation_id="connect_pgp_keys_list", responses=KeyOutput(many=True))
    def get(self, request):
        return self.page_of(self.search(selectors.pgp_key_list(actor=request.user, org=self.org),
                                        "name", "fingerprint"),
                            key_payload)

    @extend_schema(operation_id="connect_pgp_keys_create", request=KeyInput, responses={201: KeyOutput})
    def post(self, request):
        data = validated_input(KeyInput, request.data)
        key = services_admin.key_create(actor=request.user, org=self.org, **data)
        return Response(key_payload(self.key(key.pk)), status=status.HTTP_201_CREATED)


class KeyDetailView(ConnectAPIView):
    @extend_schema(operation_id="connect_pgp_keys_retrieve", responses=KeyOutput)
    def get(self, request, pk):
        return Response(key_payload(self.key(pk)))

    @extend_schema(operation_id="connect_pgp_keys_destroy", responses={204: DELETED})
    def delete(self, request, pk):
        services_admin.key_delete(actor=request.user, org=self.org, key=self.key(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- templates -----------------------------------------------------------------------------------------------

class TemplateListView(ConnectAPIView):
    @extend_schema(operation_id="connect_templates_list", responses=TemplateListOutput)
    def get(self, request):
        return Response({"results": [t.payload() for t in template_list()]})


# --- dataflows and runs --------------------------------------------------------------------------------------

class DataflowListView(ConnectListView):
    @extend_schema(operation_id="connect_dataflows_list", responses=DataflowOutput(many=True))
    def get(self, request):
        return self.page_of(self.search(selectors.dataflow_overview(actor=request.user, org=self.org), "name"),
                            dataflow_payload)

    @extend_schema(operation_id="connect_dataflows_create", request=DataflowInput, responses={201: DataflowOutput})
    def post(self, request):
        data = validated_input(DataflowInput, request.data)
        flow = services_admin.dataflow_create(actor=request.user, org=self.org, data=data)
        return Response(dataflow_payload(self.dataflow(flow.pk)),
                        status=status.HTTP_201_CREATED)


class DataflowDetailView(ConnectAPIView):
    @extend_schema(operation_id="connect_dataflows_retrieve", responses=DataflowOutput)
    def get(self, request, pk):
        return Response(dataflow_payload(self.dataflow(pk)))

    @extend_schema(operation_id="connect_dataflows_partial_update", request=DataflowInput, responses=DataflowOutput)
    def patch(self, request, pk):
        flow = self.dataflow(pk)
        data = validated_input(DataflowInput, request.data, partial=True)
        services_admin.dataflow_update(actor=request.user, org=self.org, flow=flow, data=data)
        return Response(dataflow_payload(self.dataflow(pk)))

    @extend_schema(operation_id="connect_dataflows_destroy", responses={204: DELETED})
    def delete(self, request, pk):
        flow = self.dataflow(pk)
        services_admin.dataflow_delete(actor=request.user, org=self.org, flow=flow)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DataflowRunView(ConnectAPIView):
    @extend_schema(operation_id="connect_dataflows_run", request=None, responses={202: RunQueuedOutput},
                   description="Queues a run now; a consumer picks it up. Poll GET /api/v1/connect/runs/{id}/.")
    def post(self, request, pk):
        flow = self.dataflow(pk)
        run = services_admin.run_start(actor=request.user, org=self.org, flow=flow)
        return Response({"id": run.pk, "status": run.status}, status=status.HTTP_202_ACCEPTED)


class DataflowRunListView(ConnectListView):
    @extend_schema(operation_id="connect_dataflows_runs_list", responses=RunOutput(many=True))
    def get(self, request, pk):
        flow = self.dataflow(pk)
        return self.page_of(selectors.dataflow_runs(actor=request.user, org=self.org, dataflow=flow), run_payload)


class RunDetailView(ConnectAPIView):
    @extend_schema(operation_id="connect_runs_retrieve", responses=RunOutput)
    def get(self, request, pk):
        return Response(run_payload(self.run(pk)))
