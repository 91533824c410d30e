"""/v2/userGroup2 — user groups in the source platform's User Group v2 shapes (catalogue resource "User Groups",
data part), and the group's trackers under /v2/customers/userEntityTrackers.

Every rule is loyalty's (services and selectors); this module maps the source platform's field names. With
group loyalty off, every operation answers 400 group_loyalty_disabled. Another org's group answers 404 like a
missing one. Errors carry their stable string code at the top of the till API's error body (`code`), beside the
number in `errors`. Member identities are not masked: tills are system callers, not customer-service agents.
"""

from functools import cached_property

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accessadmin import limits
from accessadmin.api.fields import Input
from accessadmin.api.pagination import paging_number
from accessadmin.api.schema import errors
from accessadmin.errors import AppError, CoreErrorCode, InvalidInput
from loyalty import selectors as loyalty
from loyalty import services as loyalty_services
from loyalty.errors import GroupErrorCode
from loyalty.models import GROUP_TEXT_MAX_LENGTH, GroupMembership, UserGroup
from shopperdata import selectors as shopper_selectors

from .views import DATA, OrgTillApiView

MEMBERS_PAGE_DEFAULT, MEMBERS_PAGE_MAX = 50, 500
JOIN_ROWS_MAX = 100
IDENTIFIER_NAMES = ("mobile", "email", "externalId", "id")
TRACKER_PERIOD_DAYS = 30


# --- input ----------------------------------------------------------------------------------------------------

def _group_text(**kwargs):
    return serializers.CharField(max_length=GROUP_TEXT_MAX_LENGTH, **kwargs)


class GroupCreateInput(Input):
    externalId = _group_text()  # noqa: N815
    groupName = _group_text(required=False, allow_blank=True, default="")  # noqa: N815
    maxGroupSize = serializers.IntegerField(min_value=1, max_value=loyalty_services.ORG_GROUP_SIZE_MAX)  # noqa: N815
    groupType = serializers.ChoiceField(choices=UserGroup.Type.values, required=False,  # noqa: N815
                                        default=UserGroup.Type.FAMILY)
    parentGroupId = serializers.IntegerField(required=False, allow_null=True, default=None,  # noqa: N815
                                             min_value=1, max_value=limits.BIGINT_MAX,
                                             help_text="A COMPANY's parent company.")
    extendedFields = serializers.DictField(required=False, default=dict)  # noqa: N815


class GroupUpdateInput(Input):
    id = serializers.IntegerField(min_value=1, max_value=limits.BIGINT_MAX)
    externalId = _group_text()  # noqa: N815
    groupName = _group_text(required=False, allow_blank=True, default="")  # noqa: N815
    maxGroupSize = serializers.IntegerField(min_value=1, max_value=loyalty_services.ORG_GROUP_SIZE_MAX)  # noqa: N815


class JoinMemberInput(Input):
    userId = serializers.IntegerField(min_value=1, max_value=limits.BIGINT_MAX)  # noqa: N815
    primaryMember = serializers.BooleanField(required=False, default=False)  # noqa: N815
    permissions = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list,
                                        max_length=len(GroupMembership.PERMISSIONS) * 2,
                                        help_text="Any of " + ", ".join(GroupMembership.PERMISSIONS) + ".")
    defaultGroup = serializers.BooleanField(required=False, default=False)  # noqa: N815
    active = serializers.BooleanField(required=False, default=True)
    role = _group_text(required=False, allow_blank=True, default="")


# --- output ---------------------------------------------------------------------------------------------------


class TillGroupCreated(serializers.Serializer):
    entity = serializers.IntegerField(help_text="The new group's id.")
    warnings = serializers.ListField(child=serializers.DictField())


class TillFleetGroupUser(serializers.Serializer):
    userId = serializers.IntegerField()  # noqa: N815
    groupId = serializers.IntegerField()  # noqa: N815
    primaryMember = serializers.BooleanField()  # noqa: N815
    defaultGroup = serializers.BooleanField()  # noqa: N815
    active = serializers.BooleanField()


class TillGroupLoyalty(serializers.Serializer):
    currentSlab = serializers.CharField()  # noqa: N815
    points = serializers.IntegerField(help_text="The group wallet's balance.")
    lifetimePoints = serializers.IntegerField()  # noqa: N815
    tracker = serializers.IntegerField(help_text="Points earned in the tracking window.")
    nextSlab = serializers.CharField(allow_null=True)  # noqa: N815
    gapToUpgrade = serializers.IntegerField(required=False, help_text="With gapToUpgradeFor; absent at the top.")  # noqa: N815
    gapToRenew = serializers.IntegerField(required=False, help_text="With gapToRenewFor.")  # noqa: N815
    slabExpiresOn = serializers.DateTimeField(allow_null=True, help_text="null: the first slab never expires.")  # noqa: N815


class TillGroup(serializers.Serializer):
    id = serializers.IntegerField()
    externalId = serializers.CharField()  # noqa: N815
    groupName = serializers.CharField(allow_blank=True)  # noqa: N815
    groupStatus = serializers.ChoiceField(choices=UserGroup.Status.values)  # noqa: N815
    groupType = serializers.ChoiceField(choices=UserGroup.Type.values)  # noqa: N815
    maxGroupSize = serializers.IntegerField()  # noqa: N815
    createdOn = serializers.DateTimeField()  # noqa: N815
    lifeTimePurchases = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)  # noqa: N815
    fleetGroupUsers = TillFleetGroupUser(many=True, help_text="Current members.")  # noqa: N815
    loyalty = TillGroupLoyalty()
    parentGroupId = serializers.IntegerField(required=False, allow_null=True, help_text="With companyDetails.")  # noqa: N815
    childGroupIds = serializers.ListField(child=serializers.IntegerField(), required=False,  # noqa: N815
                                         help_text="With companyDetails.")


class TillJoinError(serializers.Serializer):
    status = serializers.BooleanField()
    code = serializers.IntegerField(help_text="1637 primary exists, 1638 group full, 1641 unknown permission, "
                                              "1642 primary elsewhere, 1643 default group elsewhere.")
    message = serializers.CharField()


class TillJoinEntity(serializers.Serializer):
    userId = serializers.IntegerField()  # noqa: N815
    groupId = serializers.IntegerField()  # noqa: N815


class TillMembership(serializers.Serializer):
    userId = serializers.IntegerField()  # noqa: N815
    groupId = serializers.IntegerField()  # noqa: N815
    primaryMember = serializers.BooleanField()  # noqa: N815
    defaultGroup = serializers.BooleanField()  # noqa: N815
    active = serializers.BooleanField()
    role = serializers.CharField(allow_blank=True)
    permissions = serializers.ListField(child=serializers.CharField())
    joinedOn = serializers.DateTimeField()  # noqa: N815


class TillJoinRow(serializers.Serializer):
    entityId = TillJoinEntity()  # noqa: N815
    result = TillMembership(allow_null=True, help_text="null when the row failed (see errors).")
    errors = TillJoinError(many=True)
    warnings = serializers.ListField(child=serializers.DictField())


class TillJoined(serializers.Serializer):
    response = TillJoinRow(many=True)
    totalCount = serializers.IntegerField()  # noqa: N815
    failureCount = serializers.IntegerField()  # noqa: N815


class TillLeft(serializers.Serializer):
    warnings = serializers.ListField(child=serializers.DictField())
    errors = serializers.ListField(child=serializers.DictField())
    success = serializers.BooleanField()


class TillIdentifier(serializers.Serializer):
    type = serializers.ChoiceField(choices=["mobile", "email", "externalId"])
    value = serializers.CharField()


class TillGroupMember(serializers.Serializer):
    userId = serializers.IntegerField()  # noqa: N815
    firstName = serializers.CharField(allow_null=True)  # noqa: N815
    lastName = serializers.CharField(allow_null=True)  # noqa: N815
    identifiers = TillIdentifier(many=True, help_text="Empty for a customer whose personal data was deleted.")
    role = serializers.CharField(allow_blank=True)
    joinedOn = serializers.DateTimeField()  # noqa: N815
    permissions = serializers.ListField(child=serializers.CharField())
    pointsContributed = serializers.IntegerField()  # noqa: N815
    primaryMember = serializers.BooleanField()  # noqa: N815
    inActive = serializers.BooleanField(help_text="The member left the group or was joined inactive.")  # noqa: N815


class TillTrackerPeriod(serializers.Serializer):
    startDate = serializers.DateTimeField()  # noqa: N815
    endDate = serializers.DateTimeField()  # noqa: N815
    value = serializers.IntegerField(help_text="Points earned in the period.")
    cumulativeValue = serializers.IntegerField(help_text="Points earned from the window's start to the period's end.")  # noqa: N815


class TillTrackers(serializers.Serializer):
    type = serializers.ChoiceField(choices=["USERGROUP2"])
    entityId = serializers.IntegerField()  # noqa: N815
    trackingWindowDays = serializers.IntegerField()  # noqa: N815
    tracker = serializers.IntegerField(help_text="Points earned in the whole tracking window.")
    periods = TillTrackerPeriod(many=True)


# --- parameters -----------------------------------------------------------------------------------------------

_WHOLE = {"type": "integer", "minimum": 1, "maximum": limits.BIGINT_MAX}
BY_GROUP = [OpenApiParameter("id", _WHOLE, description="The group's id."),
            OpenApiParameter("externalId", {"type": "string", "maxLength": GROUP_TEXT_MAX_LENGTH},
                             description="The group's external id (when id is not given).")]
BY_PRIMARY = OpenApiParameter("primaryUserId", _WHOLE, description="The group whose primary member this is.")
FLAGS = [OpenApiParameter(name, bool, description=text) for name, text in (
    ("gapToUpgradeFor", "Include loyalty.gapToUpgrade."), ("gapToRenewFor", "Include loyalty.gapToRenew."),
    ("companyDetails", "Include parentGroupId and childGroupIds."))]
PAGING = [OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": limits.PAGING_MAX_NUMBER}),
          OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": limits.PAGING_MAX_NUMBER},
                           description=f"At most {MEMBERS_PAGE_MAX} (default {MEMBERS_PAGE_DEFAULT}).")]
GROUP_ID = OpenApiParameter("group_id", _WHOLE, OpenApiParameter.PATH, description="The group's id.")
LEAVE = [OpenApiParameter("identifierName", {"type": "string", "enum": list(IDENTIFIER_NAMES)}, required=True),
         OpenApiParameter("identifierValue", {"type": "string", "minLength": 1, "maxLength": 254}, required=True)]
TRACKERS = [OpenApiParameter("type", {"type": "string", "enum": ["USERGROUP2"]}, required=True),
            OpenApiParameter("identifierType", {"type": "string", "enum": ["id", "externalId"]}, required=True),
            OpenApiParameter("identifierValue", {"type": "string", "minLength": 1, "maxLength": 50}, required=True)]


def _operation(op: str, summary: str, *, request=None, response=None, parameters=(), extra_errors=()):
    return extend_schema(operation_id=op, summary=summary, description=f"{summary}.", request=request,
                         responses={200: OpenApiResponse(response, description=summary)},
                         parameters=list(parameters), tags=["till API"],
                         extensions=errors(*extra_errors) if extra_errors else None)


# --- payloads -------------------------------------------------------------------------------------------------


def _flag(params, name: str) -> bool:
    value = params.get(name)
    return value is not None and value.strip().lower() not in ("", "false", "0", "no", "off")


def _group_payload(group: UserGroup, program, *, gap_to_upgrade=False, gap_to_renew=False,
                   company=False) -> dict:
    summary = loyalty.loyalty_summary(group=group, program=program)
    members = loyalty.membership_list(group=group, include_exited=False)
    body = {
        "id": group.pk, "externalId": group.external_id, "groupName": group.name, "groupStatus": group.status,
        "groupType": group.group_type, "maxGroupSize": group.max_group_size, "createdOn": group.created_at,
        "lifeTimePurchases": str(group.lifetime_purchases),
        "fleetGroupUsers": [{"userId": m.customer_id, "groupId": group.pk, "primaryMember": m.primary,
                             "defaultGroup": m.default_group, "active": m.active} for m in members],
        "loyalty": {"currentSlab": summary.slab.name, "points": summary.points,
                    "lifetimePoints": summary.lifetime_points, "tracker": summary.tracker,
                    "nextSlab": summary.next_slab.name if summary.next_slab else None,
                    "slabExpiresOn": summary.slab_expires_at},
    }
    if gap_to_upgrade and summary.gap_to_upgrade is not None:
        body["loyalty"]["gapToUpgrade"] = summary.gap_to_upgrade
    if gap_to_renew:
        body["loyalty"]["gapToRenew"] = summary.gap_to_renew
    if company:
        body["parentGroupId"] = group.parent_id
        body["childGroupIds"] = loyalty.child_ids(group=group)
    return body


def _membership_payload(m: GroupMembership) -> dict:
    return {"userId": m.customer_id, "groupId": m.group_id, "primaryMember": m.primary,
            "defaultGroup": m.default_group, "active": m.active, "role": m.role, "permissions": m.permissions,
            "joinedOn": m.joined_at}


def _member_payload(row: loyalty.MemberRow) -> dict:
    m, who = row.membership, row.identity
    return {"userId": m.customer_id, "firstName": who.values.get("firstName"),
            "lastName": who.values.get("lastName"), "identifiers": who.identifiers, "role": m.role,
            "joinedOn": m.joined_at, "permissions": m.permissions, "pointsContributed": row.points_contributed,
            "primaryMember": m.primary, "inActive": m.left_at is not None or not m.active}


# --- views ----------------------------------------------------------------------------------------------------


class GroupApiView(OrgTillApiView):
    """Base of the user group views: their catalogue resource, the program check and the named error code."""

    resource, api = "user_group", DATA

    @cached_property
    def program(self):
        return loyalty.require_enabled(org=self.org)

    def handle_exception(self, exc):
        if isinstance(exc, AppError) and "code" not in exc.extra:
            exc.extra = {**exc.extra, "code": str(exc.code)}
        return super().handle_exception(exc)

    def group_from_query(self, *, primary: bool = False) -> UserGroup:
        params = self.request.query_params
        external_id = params.get("externalId")
        if external_id is not None and len(external_id) > GROUP_TEXT_MAX_LENGTH:
            raise InvalidInput("externalId is too long.", code=GroupErrorCode.INVALID_EXTERNAL_ID,
                               fields={"externalId": [f"At most {GROUP_TEXT_MAX_LENGTH} characters."]})
        return loyalty.group_get_by(org=self.org, group_id=params.get("id"), external_id=external_id,
                                    primary_customer_id=params.get("primaryUserId") if primary else None)


class UserGroupView(GroupApiView):
    @_operation("till_user_group_get", "A user group with its members and loyalty",
                response=TillGroup, parameters=[*BY_GROUP, BY_PRIMARY, *FLAGS], extra_errors=(404,))
    def get(self, request):
        program = self.program
        group = self.group_from_query(primary=True)
        params = request.query_params
        return Response(_group_payload(group, program, gap_to_upgrade=_flag(params, "gapToUpgradeFor"),
                                       gap_to_renew=_flag(params, "gapToRenewFor"),
                                       company=_flag(params, "companyDetails")))

    @_operation("till_user_group_create", "Create a user group (FAMILY or COMPANY)",
                request=GroupCreateInput, response=TillGroupCreated)
    def post(self, request):
        self.program  # noqa: B018  (400 group_loyalty_disabled before the body is read)
        data = self.body(GroupCreateInput)
        group = loyalty_services.group_create(
            org=self.org, external_id=data["externalId"], name=data["groupName"], max_group_size=data["maxGroupSize"],
            group_type=data["groupType"], parent_group_id=data["parentGroupId"],
            extended_fields=data["extendedFields"])
        return Response({"entity": group.pk, "warnings": []})

    @_operation("till_user_group_update", "Change a user group's externalId, name and size",
                request=GroupUpdateInput, response=TillGroup)
    def put(self, request):
        program = self.program
        data = self.body(GroupUpdateInput)
        group = loyalty_services.group_update(org=self.org, group_id=data["id"], external_id=data["externalId"],
                                              name=data["groupName"], max_group_size=data["maxGroupSize"])
        return Response(_group_payload(group, program))


class UserGroupJoinView(GroupApiView):
    @_operation("till_user_group_join", "Add members to a user group (or change current members); each row "
                                        "succeeds or fails alone", request=JoinMemberInput(many=True),
                response=TillJoined, parameters=BY_GROUP)
    def post(self, request):
        self.program  # noqa: B018
        group = self.group_from_query()
        items = request.data
        if not isinstance(items, list) or not 1 <= len(items) <= JOIN_ROWS_MAX:
            raise InvalidInput(f"Send a list of 1 to {JOIN_ROWS_MAX} members.", code=CoreErrorCode.INVALID_BODY,
                               fields={"body": [f"A list of 1 to {JOIN_ROWS_MAX} objects."]})
        members = [self._row(i, item) for i, item in enumerate(items)]
        rows = loyalty_services.group_join(org=self.org, group_id=group.pk, members=members)
        response = []
        for row in rows:
            failed = row.code is not None
            response.append({
                "entityId": {"userId": row.customer_id, "groupId": group.pk},
                "result": None if failed else _membership_payload(row.membership),
                "errors": [{"status": False, "code": int(row.code), "message": row.message}] if failed else [],
                "warnings": []})
        return Response({"response": response, "totalCount": len(rows),
                         "failureCount": sum(row.code is not None for row in rows)})

    @staticmethod
    def _row(i: int, item) -> dict:
        if not isinstance(item, dict):
            raise InvalidInput(f"Item {i + 1} must be a JSON object.", code=CoreErrorCode.INVALID_BODY,
                               fields={f"[{i}]": ["A JSON object."]})
        serializer = JoinMemberInput(data=item)
        try:
            valid = serializer.is_valid()
        except AppError as err:  # an unknown key
            err.fields = {f"[{i}].{name}": messages for name, messages in err.fields.items()}
            raise
        if not valid:
            fields = {f"[{i}].{name}": [str(m) for m in messages] for name, messages in serializer.errors.items()}
            raise InvalidInput(f"Item {i + 1} is not valid: {', '.join(fields)}.", code=CoreErrorCode.INVALID,
                               fields=fields)
        data = serializer.validated_data
        return {"customer_id": data["userId"], "primary": data["primaryMember"],
                "default_group": data["defaultGroup"], "active": data["active"], "role": data["role"],
                "permissions": data["permissions"]}


class UserGroupLeaveView(GroupApiView):
    @_operation("till_user_group_leave", "A member leaves the group (the primary member leaving makes it "
                                         "INACTIVE)", response=TillLeft, parameters=[GROUP_ID, *LEAVE])
    def delete(self, request, group_id):
        self.program  # noqa: B018
        group = loyalty.group_get(org=self.org, group_id=group_id)
        name = request.query_params.get("identifierName")
        value = request.query_params.get("identifierValue")
        if name not in IDENTIFIER_NAMES:
            raise InvalidInput("identifierName must be mobile, email, externalId or id.",
                               code=GroupErrorCode.INVALID_IDENTIFIER,
                               fields={"identifierName": ["One of " + ", ".join(IDENTIFIER_NAMES) + "."]})
        customer = shopper_selectors.profile_identify(org=self.org, identifier_type=name, value=value)
        if customer is None:
            raise InvalidInput("No customer of the organization has this identifier.",
                               code=GroupErrorCode.UNKNOWN_CUSTOMER,
                               fields={"identifierValue": ["No such customer."]})
        loyalty_services.group_leave(org=self.org, group_id=group.pk, customer_id=customer.pk)
        return Response({"warnings": [], "errors": [], "success": True})


class UserGroupMembersView(GroupApiView):
    @_operation("till_user_group_members", "The group's members (current and exited) with their contribution, "
                                           "a page at a time (X-Total-Count: how many in all)",
                response=TillGroupMember(many=True), parameters=[*BY_GROUP, *PAGING], extra_errors=(404,))
    def get(self, request):
        self.program  # noqa: B018
        group = self.group_from_query()
        offset = paging_number(request, "offset", minimum=0) or 0
        limit = min(paging_number(request, "limit", minimum=1) or MEMBERS_PAGE_DEFAULT, MEMBERS_PAGE_MAX)
        memberships = loyalty.membership_list(group=group)
        total = memberships.count()
        rows = loyalty.member_rows(org=self.org, memberships=memberships[offset:offset + limit], plan=None)
        response = Response([_member_payload(row) for row in rows])
        response["X-Total-Count"] = str(total)
        return response


class UserEntityTrackersView(GroupApiView):
    @_operation("till_user_entity_trackers", "A user group's tracker: points earned per period of the "
                                             "tracking window", response=TillTrackers, parameters=TRACKERS,
                extra_errors=(404,))
    def get(self, request):
        program = self.program
        params = request.query_params
        if params.get("type") != "USERGROUP2" or params.get("identifierType") not in ("id", "externalId"):
            raise InvalidInput("type must be USERGROUP2 and identifierType id or externalId.",
                               code=GroupErrorCode.INVALID_TRACKER_TYPE,
                               fields={"type": ["USERGROUP2."], "identifierType": ["id or externalId."]})
        value = params.get("identifierValue") or None
        try:
            if params["identifierType"] == "id":
                group = loyalty.group_get_by(org=self.org, group_id=value)
            else:
                group = loyalty.group_get_by(org=self.org, external_id=value)
        except AppError as err:
            if err.status == 400:
                err.fields = {"identifierValue": [message for messages in err.fields.values() for message in messages]}
            raise
        now = timezone.now()
        series = loyalty.tracker_series(group=group, program=program, now=now, period_days=TRACKER_PERIOD_DAYS)
        return Response({"type": "USERGROUP2", "entityId": group.pk,
                         "trackingWindowDays": program.tracking_window_days,
                         "tracker": series[-1]["tracker"] if series else 0,
                         "periods": [{"startDate": p["start"], "endDate": p["end"], "value": p["points"],
                                      "cumulativeValue": p["tracker"]} for p in series]})
