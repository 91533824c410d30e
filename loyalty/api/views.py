"""Admin API of group loyalty (/api/v1/loyalty/): the program (administrators change it; CS agents read it) and
read-only user groups for member care (list and search, detail, ledger), with member identities masked for the
reader. With the program off, the group reads answer 400 group_loyalty_disabled. Another org's group is 404."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accessadmin.api.base import OrgScopedMixin, validated
from accessadmin.api.pagination import PageNumberPagination
from accessadmin.api.permissions import allow
from accessadmin.errors import CoreErrorCode, InvalidInput
from shopperdata import selectors as shopper_selectors

from .. import filters, policies, selectors, services
from .serializers import (
    GroupDetailOutput,
    GroupOutput,
    LedgerEntryOutput,
    ProgramInput,
    ProgramOutput,
    group_payload,
    ledger_payload,
    loyalty_payload,
    member_payload,
    program_payload,
    slab_event_payload,
)

CanViewProgram = allow(policies.can_view_program, "You may not see the group loyalty program.")
CanViewGroups = allow(policies.can_view_groups, "Member care (CS Agent) sees user groups.")
SLAB_HISTORY_SHOWN = 50

GROUP_FILTERS = [OpenApiParameter("q", str, description="Part of the name or external id, the id, or an "
                                                        "identifier of the primary member."),
                 OpenApiParameter("status", {"type": "string", "enum": ["ACTIVE", "INACTIVE"]}),
                 OpenApiParameter("group_type", {"type": "string", "enum": ["FAMILY", "COMPANY"]})]
LEDGER_FILTERS = [OpenApiParameter("customer_id", {"type": "integer", "minimum": 1}, description="One member's."),
                  OpenApiParameter("date_from", {"type": "string", "format": "date"}),
                  OpenApiParameter("date_to", {"type": "string", "format": "date"}, description="Included.")]


class ProgramView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewProgram]

    @extend_schema(operation_id="loyalty_group_program_retrieve", responses=ProgramOutput)
    def get(self, request):
        return Response(program_payload(selectors.program_get(org=self.org)))

    @extend_schema(operation_id="loyalty_group_program_partial_update", request=ProgramInput,
                   responses=ProgramOutput, description="Administrators only. Slabs are replaced as a whole.")
    def patch(self, request):
        if not isinstance(request.data, dict):
            raise InvalidInput("The body must be a JSON object.", code=CoreErrorCode.INVALID_BODY)
        data = validated(ProgramInput, request.data, partial=True)
        if "slabs" in data:
            data["slabs"] = [dict(slab) for slab in data["slabs"]]
        return Response(program_payload(services.program_update(actor=request.user, org=self.org, changes=data)))


class GroupReadMixin(OrgScopedMixin):
    permission_classes = [IsAuthenticated, CanViewGroups]

    def plan(self):
        """The reader's shopper-data AccessPlan: member identities are masked by it."""
        return shopper_selectors.plan_for(actor=self.request.user, org=self.org)


class GroupListView(GroupReadMixin, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="loyalty_groups_list", responses=GroupOutput(many=True), parameters=GROUP_FILTERS)
    def get(self, request):
        program = selectors.require_enabled(org=self.org)
        plan = self.plan()
        page = self.paginate_queryset(selectors.group_list(org=self.org, plan=plan,
                                                           **filters.group_filters(request.query_params)))
        who = selectors.identities(org=self.org, customer_ids=[g.primary_customer_id for g in page], plan=plan)
        slabs = selectors.slabs_of(program)
        return self.get_paginated_response([
            group_payload(g, slabs=slabs, primary=who.get(g.primary_customer_id)) for g in page])


class GroupDetailView(GroupReadMixin, APIView):
    @extend_schema(operation_id="loyalty_groups_retrieve", responses=GroupDetailOutput,
                   description="The group, its loyalty (slab, tracker, gaps), its members with their contributions "
                               f"and the latest {SLAB_HISTORY_SHOWN} slab changes.")
    def get(self, request, pk):
        program = selectors.require_enabled(org=self.org)
        group = selectors.group_detail_get(org=self.org, group_id=pk)
        points = selectors.group_points(group=group, program=program)  # contributions and tracker: one pass
        rows = selectors.member_rows(org=self.org, plan=self.plan(), points=points,
                                     memberships=selectors.membership_list(group=group, with_contribution=False))
        primary = next((r.identity for r in rows if r.membership.primary), None)
        body = group_payload(group, slabs=selectors.slabs_of(program), primary=primary)
        body.update({
            "child_ids": selectors.child_ids(group=group),
            "loyalty": loyalty_payload(selectors.loyalty_summary(group=group, program=program,
                                                                 tracked=points.tracker)),
            "members": [member_payload(r) for r in rows],
            "slab_history": [slab_event_payload(e)
                             for e in selectors.slab_history(group=group)[:SLAB_HISTORY_SHOWN]],
        })
        return Response(body)


class GroupLedgerView(GroupReadMixin, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="loyalty_groups_ledger", responses=LedgerEntryOutput(many=True),
                   parameters=LEDGER_FILTERS, description="The group's ledger, newest first: every credit and "
                                                          "debit with the member it came from.")
    def get(self, request, pk):
        selectors.require_enabled(org=self.org)
        group = selectors.group_get(org=self.org, group_id=pk)
        page = self.paginate_queryset(selectors.group_ledger(group=group,
                                                             **filters.ledger_filters(request.query_params)))
        who = selectors.identities(org=self.org, customer_ids=[e.customer_id for e in page], plan=self.plan())
        return self.get_paginated_response([ledger_payload(e, who[e.customer_id]) for e in page])
