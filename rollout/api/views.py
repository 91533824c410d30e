"""REST API (/api/v1/rollout/plans/) of rollout plans: make, list, review, rename proposed groups, apply, undo."""

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
from accessadmin.errors import InvalidInput
from groups import selectors as group_selectors

from .. import policies, selectors, services
from ..errors import RolloutErrorCode
from ..models import PlanAssignment
from . import openapi as doc
from .serializers import (
    PlanCreateInput,
    ProposedGroupRenameInput,
    assignment_payload,
    plan_payload,
    plan_summary,
    proposal_payload,
)

CanPlanRollout = allow(policies.can_plan_rollout, "You may not plan the rollout of access groups.")


class RolloutAPIView(OrgScopedMixin, APIView):
    permission_classes = [IsAuthenticated, CanPlanRollout]

    def plan(self, pk):
        return selectors.plan_get(org=self.org, pk=pk)

    def detail(self, plan) -> dict:
        mark = selectors.allocation_mark(org=self.org)
        default = group_selectors.default_group(org=self.org)
        return plan_payload(plan, stale=plan.status == "draft" and mark > plan.basis_event_id,
                            proposals=selectors.proposed_groups(plan=plan),
                            resources=group_selectors.resource_list(),
                            diff=selectors.plan_diff(plan=plan, default_name=default.name))


class PlanListView(RolloutAPIView, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="rollout_plans_list", responses=doc.PlanPage, parameters=[*PAGE_NUMBER])
    def get(self, request):
        mark = selectors.allocation_mark(org=self.org)
        page = self.paginate_queryset(selectors.plan_list(org=self.org))
        return self.get_paginated_response(
            [plan_summary(p, stale=p.status == "draft" and mark > p.basis_event_id) for p in page])

    @extend_schema(operation_id="rollout_plans_create", request=doc.RolloutPlanCreate,
                   responses={201: doc.RolloutPlanDetail},
                   description="Makes a plan from the usage of the last `days` days (1–90): for every store and "
                               "API client with usage, the least set of cells it used and its proposed group. "
                               "Nothing changes until the plan is applied.")
    def post(self, request):
        data = validated(PlanCreateInput, request.data)
        plan = services.plan_create(actor=request.user, org=self.org, days=data["days"])
        return Response(self.detail(plan), status=status.HTTP_201_CREATED)


class PlanDetailView(RolloutAPIView):
    @extend_schema(operation_id="rollout_plans_retrieve", responses=doc.RolloutPlanDetail)
    def get(self, request, pk):
        return Response(self.detail(self.plan(pk)))


class PlanApplyView(RolloutAPIView):
    @extend_schema(operation_id="rollout_plans_apply", request=None, responses=doc.RolloutPlanDetail,
                   description="Creates the plan's custom groups and moves its stores and API clients to their "
                               "proposed groups, in one audited transaction. 409 plan_stale when the allocation "
                               "changed after the plan was made; 409 plan_not_draft when it was applied before.")
    def post(self, request, pk):
        plan = services.plan_apply(actor=request.user, org=self.org, plan=self.plan(pk))
        return Response(self.detail(plan))


class PlanUndoView(RolloutAPIView):
    @extend_schema(operation_id="rollout_plans_undo", request=None, responses=doc.RolloutPlanDetail,
                   description="Restores the allocation and the default group as they were before the plan was "
                               "applied; the groups it created are deactivated, not deleted. 409 plan_stale when "
                               "the allocation changed after the plan was applied.")
    def post(self, request, pk):
        plan = services.plan_undo(actor=request.user, org=self.org, plan=self.plan(pk))
        return Response(self.detail(plan))


class ProposedGroupView(RolloutAPIView):
    @extend_schema(operation_id="rollout_plans_group_rename", request=ProposedGroupRenameInput,
                   responses=doc.RolloutProposedGroup,
                   description="Renames a proposed custom group before the plan is applied.")
    def patch(self, request, pk, key):
        plan = self.plan(pk)
        data = validated(ProposedGroupRenameInput, request.data)
        proposal = services.plan_group_rename(actor=request.user, org=self.org, plan=plan, key=key, name=data["name"])
        return Response(proposal_payload(proposal, group_selectors.resource_list()))


KIND = OpenApiParameter("kind", str, enum=PlanAssignment.Kind.values)
GROUP_KEY = OpenApiParameter("group", {"type": "integer", "minimum": 1, "maximum": 2147483647},
                             description="Only the stores and clients of this proposed group (its key).")


class PlanAssignmentsView(RolloutAPIView, GenericAPIView):
    pagination_class = PageNumberPagination
    filter_backends = []

    @extend_schema(operation_id="rollout_plans_assignments", responses=doc.AssignmentPage,
                   parameters=[*PAGE_NUMBER, GROUP_KEY, KIND])
    def get(self, request, pk):
        plan = self.plan(pk)
        key = request.query_params.get("group", "")
        kind = request.query_params.get("kind", "")
        if key and not (key.isascii() and key.isdigit() and len(key) < 11):
            raise InvalidInput("group must be a proposed group's key.", code=RolloutErrorCode.INVALID_FILTER)
        if kind and kind not in PlanAssignment.Kind.values:
            raise InvalidInput("kind must be store or client.", code=RolloutErrorCode.INVALID_FILTER)
        rows = selectors.plan_assignments(plan=plan, key=int(key) if key else None, kind=kind)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([assignment_payload(r) for r in page])
