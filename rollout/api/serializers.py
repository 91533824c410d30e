"""Rollout API: input serializers check shape (the services check values); payload functions build answers."""

from rest_framework import serializers

from accessadmin.api.fields import Input
from groups import cells as cellsmod

from .. import planning
from ..models import ProposedGroup


class PlanCreateInput(Input):
    days = serializers.IntegerField()  # 1–90, checked by services.clean_days (400 invalid_plan_days)


class ProposedGroupRenameInput(Input):
    name = serializers.CharField(max_length=ProposedGroup._meta.get_field("name").max_length)


def _group_ref(group) -> dict | None:
    return None if group is None else {"id": group.pk, "name": group.name}


def plan_summary(plan, *, stale: bool) -> dict:
    return {
        "id": plan.pk, "days": plan.days, "status": plan.status, "stale": stale,
        "created_at": plan.created_at, "created_by": plan.created_by_repr,
        "store_total": plan.store_total, "stores_with_usage": plan.stores_with_usage,
        "stores_without_usage": max(plan.store_total - plan.stores_with_usage, 0),
        "clients_with_usage": plan.clients_with_usage, "usage_rows": plan.usage_rows, "requests": plan.requests,
        "unknown_subjects": plan.unknown_subjects, "would_deny_count": plan.would_deny_count,
        "applied_at": plan.applied_at, "applied_by": plan.applied_by_repr or None,
        "undone_at": plan.undone_at, "undone_by": plan.undone_by_repr or None,
    }


def proposal_payload(proposal, resources, moves=()) -> dict:
    return {
        "key": proposal.key, "name": proposal.name, "kind": proposal.kind,
        "group": _group_ref(proposal.existing or proposal.created_group),
        "permissions": cellsmod.payload(planning.from_strings(proposal.grants), resources),
        "store_count": proposal.store_count, "client_count": proposal.client_count,
        "moves": [{"kind": m["kind"], "from": m["from_name"], "count": m["count"], "changes": m["changes"]}
                  for m in moves],
    }


def plan_payload(plan, *, stale: bool, proposals, resources, diff) -> dict:
    return {
        **plan_summary(plan, stale=stale),
        "default_group_before": _group_ref(plan.default_group_before),
        "groups": [proposal_payload(p, resources, diff["groups"].get(p.key, ())) for p in proposals],
        "diff": {"changing": diff["changing"], "unchanged": diff["unchanged"]},
        "would_deny": {"count": plan.would_deny_count, "requests": plan.would_deny},
    }


def assignment_payload(row) -> dict:
    target = row.proposed.target_id()
    return {"kind": row.kind, "code": row.code, "group_before": _group_ref(row.before_group),
            "proposed": {"key": row.proposed.key, "name": row.proposed.name}, "requests": row.requests,
            "changes": target is None or row.before_group_id != target}
