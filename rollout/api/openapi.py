"""Response bodies of the rollout API (/api/v1/rollout/) for the OpenAPI schema: what rollout.api returns."""

from rest_framework import serializers

from accessadmin.api.schema import page_of
from groups.api.openapi import Cell

from ..models import PlanAssignment, RolloutPlan
from ..services import DAYS_MAX, DAYS_MIN


class RolloutPlanCreate(serializers.Serializer):
    days = serializers.IntegerField(min_value=DAYS_MIN, max_value=DAYS_MAX,
                                    help_text="Plan from the usage of the last this many days.")


class RolloutGroupRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RolloutPlanSummary(serializers.Serializer):
    id = serializers.IntegerField()
    days = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RolloutPlan.Status.values)
    stale = serializers.BooleanField(help_text="A draft made before the newest allocation change: apply is refused.")
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_blank=True)
    store_total = serializers.IntegerField()
    stores_with_usage = serializers.IntegerField()
    stores_without_usage = serializers.IntegerField(help_text="They keep their group (or the default).")
    clients_with_usage = serializers.IntegerField()
    usage_rows = serializers.IntegerField()
    requests = serializers.IntegerField()
    unknown_subjects = serializers.IntegerField()
    would_deny_count = serializers.IntegerField()
    applied_at = serializers.DateTimeField(allow_null=True)
    applied_by = serializers.CharField(allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)
    undone_by = serializers.CharField(allow_null=True)


class RolloutMove(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlanAssignment.Kind.values)
    # "from" is a keyword: set through the class namespace. A store on the default is "<default> (default)".
    locals()["from"] = serializers.CharField(allow_null=True, help_text="The group they act with today.")
    count = serializers.IntegerField()
    changes = serializers.BooleanField()


class RolloutProposedGroup(serializers.Serializer):
    key = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["builtin", "existing", "custom"],
                                   help_text="builtin: a built-in group covers the cells; existing: the org's own "
                                             "group holds exactly them; custom: a new group made on apply.")
    group = RolloutGroupRef(allow_null=True, help_text="The group that exists, or the new one once applied.")
    permissions = Cell(many=True)
    store_count = serializers.IntegerField()
    client_count = serializers.IntegerField()
    moves = RolloutMove(many=True)


class RolloutDiff(serializers.Serializer):
    changing = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class RolloutWouldDenyRequest(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlanAssignment.Kind.values)
    subject = serializers.CharField()
    resource = serializers.CharField(allow_blank=True)
    api = serializers.CharField(allow_blank=True)
    method = serializers.CharField()
    count = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=["no_cell", "not_in_group"])


class RolloutWouldDeny(serializers.Serializer):
    count = serializers.IntegerField()
    requests = RolloutWouldDenyRequest(many=True)


class RolloutPlanDetail(RolloutPlanSummary):
    default_group_before = RolloutGroupRef(allow_null=True)
    groups = RolloutProposedGroup(many=True)
    diff = RolloutDiff()
    would_deny = RolloutWouldDeny()


PlanPage = page_of(RolloutPlanSummary, "RolloutPlanPage")


class RolloutProposedRef(serializers.Serializer):
    key = serializers.IntegerField()
    name = serializers.CharField()


class RolloutAssignment(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlanAssignment.Kind.values)
    code = serializers.CharField()
    group_before = RolloutGroupRef(allow_null=True, help_text="null: a store on the org's default group.")
    proposed = RolloutProposedRef()
    requests = serializers.IntegerField()
    changes = serializers.BooleanField()


AssignmentPage = page_of(RolloutAssignment, "RolloutAssignmentPage")
