"""Input and output serializers of the loyalty Admin API (/api/v1/loyalty/): the group program and user groups.

Member identities come from loyalty.selectors.member_identity, i.e. through shopper data's one masking function.
"""

from rest_framework import serializers

from accessadmin.api.fields import Input

from ..models import GroupLedgerEntry, GroupSlabEvent, PointsTo, UserGroup
from ..services import ORG_GROUP_SIZE_MAX, POINTS_MAX, SLAB_NAME_MAX_LENGTH, SLABS_MAX, WINDOW_DAYS_MAX


class SlabInput(Input):
    name = serializers.CharField(max_length=SLAB_NAME_MAX_LENGTH)
    threshold = serializers.IntegerField(min_value=0, max_value=POINTS_MAX)
    renewal_threshold = serializers.IntegerField(min_value=0, max_value=POINTS_MAX)


class ProgramInput(Input):
    enabled = serializers.BooleanField(required=False)
    max_group_size = serializers.IntegerField(required=False, min_value=1, max_value=ORG_GROUP_SIZE_MAX)
    points_to = serializers.ChoiceField(choices=PointsTo.values, required=False)
    tracking_window_days = serializers.IntegerField(required=False, min_value=1, max_value=WINDOW_DAYS_MAX)
    slabs = serializers.ListField(child=SlabInput(), required=False, min_length=1, max_length=SLABS_MAX,
                                  help_text="Ordered: the first threshold 0, thresholds ascending, "
                                            "renewal_threshold ≤ threshold, names unique.")


class SlabOutput(serializers.Serializer):
    name = serializers.CharField()
    threshold = serializers.IntegerField()
    renewal_threshold = serializers.IntegerField()


class ProgramOutput(serializers.Serializer):
    enabled = serializers.BooleanField()
    max_group_size = serializers.IntegerField()
    points_to = serializers.ChoiceField(choices=PointsTo.values)
    tracking_window_days = serializers.IntegerField()
    slabs = SlabOutput(many=True)


class IdentityOutput(serializers.Serializer):
    customer_id = serializers.IntegerField()
    name = serializers.CharField(help_text='"Deleted customer" once the personal data is deleted.')
    deleted = serializers.BooleanField()
    properties = serializers.DictField(help_text="firstName, lastName, email, mobile as the reader may see them "
                                                 "(masked or left out by the property rules).")


class GroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=UserGroup.Status.values)
    group_type = serializers.ChoiceField(choices=UserGroup.Type.values)
    max_group_size = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    points = serializers.IntegerField()
    lifetime_points = serializers.IntegerField()
    lifetime_purchases = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)
    slab = serializers.CharField()
    active_members = serializers.IntegerField()
    exited_members = serializers.IntegerField()
    primary_member = IdentityOutput(allow_null=True)


class LoyaltyOutput(serializers.Serializer):
    slab = serializers.CharField()
    next_slab = serializers.CharField(allow_null=True)
    points = serializers.IntegerField()
    lifetime_points = serializers.IntegerField()
    tracker = serializers.IntegerField()
    gap_to_upgrade = serializers.IntegerField(allow_null=True, help_text="null at the top slab.")
    gap_to_renew = serializers.IntegerField()
    slab_expires_at = serializers.DateTimeField(allow_null=True)
    tracking_window_days = serializers.IntegerField()


class MemberOutput(serializers.Serializer):
    member = IdentityOutput()
    primary = serializers.BooleanField()
    default_group = serializers.BooleanField()
    active = serializers.BooleanField()
    role = serializers.CharField(allow_blank=True)
    permissions = serializers.ListField(child=serializers.CharField())
    joined_at = serializers.DateTimeField()
    left_at = serializers.DateTimeField(allow_null=True)
    points_contributed = serializers.IntegerField()


class SlabEventOutput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=GroupSlabEvent.Reason.values)
    from_slab = serializers.CharField()
    to_slab = serializers.CharField()
    tracker = serializers.IntegerField()
    expires_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class GroupDetailOutput(GroupOutput):
    child_ids = serializers.ListField(child=serializers.IntegerField())
    loyalty = LoyaltyOutput()
    members = MemberOutput(many=True)
    slab_history = SlabEventOutput(many=True)


class LedgerEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member = IdentityOutput()
    kind = serializers.ChoiceField(choices=GroupLedgerEntry.Kind.values)
    points = serializers.IntegerField(help_text="Negative for redemptions.")
    balance_after = serializers.IntegerField()
    transaction_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


def program_payload(program) -> dict:
    return {"enabled": program.enabled, "max_group_size": program.max_group_size, "points_to": program.points_to,
            "tracking_window_days": program.tracking_window_days, "slabs": program.slabs}


def identity_payload(identity) -> dict:
    return {"customer_id": identity.customer_id, "name": identity.name, "deleted": identity.deleted,
            "properties": identity.values}


def group_payload(group, *, slabs, primary) -> dict:
    from ..selectors import slab_at

    return {"id": group.pk, "external_id": group.external_id, "name": group.name, "status": group.status,
            "group_type": group.group_type, "max_group_size": group.max_group_size, "parent_id": group.parent_id,
            "created_at": group.created_at, "points": group.balance, "lifetime_points": group.lifetime_points,
            "lifetime_purchases": str(group.lifetime_purchases), "slab": slab_at(slabs, group.slab_index).name,
            "active_members": group.active_members, "exited_members": group.exited_members,
            "primary_member": identity_payload(primary) if primary is not None else None}


def loyalty_payload(summary) -> dict:
    return {"slab": summary.slab.name, "next_slab": summary.next_slab.name if summary.next_slab else None,
            "points": summary.points, "lifetime_points": summary.lifetime_points, "tracker": summary.tracker,
            "gap_to_upgrade": summary.gap_to_upgrade, "gap_to_renew": summary.gap_to_renew,
            "slab_expires_at": summary.slab_expires_at, "tracking_window_days": summary.window_days}


def member_payload(row) -> dict:
    m = row.membership
    return {"member": identity_payload(row.identity), "primary": m.primary, "default_group": m.default_group,
            "active": m.active, "role": m.role, "permissions": m.permissions, "joined_at": m.joined_at,
            "left_at": m.left_at, "points_contributed": row.points_contributed}


def slab_event_payload(e) -> dict:
    return {"reason": e.reason, "from_slab": e.from_slab, "to_slab": e.to_slab, "tracker": e.tracker,
            "expires_at": e.expires_at, "created_at": e.created_at}


def ledger_payload(e, identity) -> dict:
    return {"id": e.pk, "member": identity_payload(identity), "kind": e.kind, "points": e.points,
            "balance_after": e.balance_after, "transaction_id": e.transaction_id, "created_at": e.created_at}
