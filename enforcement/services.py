"""Writes of enforcement: the org's enforcement settings, and a custom group made from usage.

The org's switches are columns the enforcement query reads on every request, so a change takes effect
on the next request in every process.
"""

from django.db import transaction
from django.template.defaultfilters import pluralize

from accessadmin import audit
from accessadmin.errors import Conflict, CoreErrorCode, Forbidden, InvalidInput
from accessadmin.models import Org
from groups import services as group_services
from groups.models import AccessGroup
from stores import services as store_services
from stores.models import Store

from . import selectors
from .errors import EnforcementErrorCode
from .policies import can_change_enforcement, can_suggest_groups


def _require(check, actor, message: str) -> None:
    if actor is not None and not check(actor):
        raise Forbidden(message, code=CoreErrorCode.PERMISSION_DENIED)


@transaction.atomic
def org_enforcement_update(*, actor, org: Org, basic_auth_enabled: bool | None = None,
                           enforcement_mode: str | None = None, basic_auth_for_new_tills: bool | None = None) -> Org:
    """Returns the org with Basic auth switched, its enforcement mode changed and/or whether new tills get a
    Basic secret (`basic_auth_for_new_tills`; off: OAuth2 credentials only)."""
    _require(can_change_enforcement, actor, "You may not change enforcement settings.")
    org = Org.objects.select_for_update().get(pk=org.pk)
    before = {"basic_auth_enabled": org.basic_auth_enabled, "enforcement_mode": org.enforcement_mode,
              "basic_auth_for_new_tills": org.basic_auth_for_new_tills}
    if basic_auth_enabled is not None:
        if not isinstance(basic_auth_enabled, bool):
            raise InvalidInput("basic_auth_enabled must be true or false.",
                               code=EnforcementErrorCode.INVALID_BASIC_AUTH_ENABLED)
        org.basic_auth_enabled = basic_auth_enabled
    if enforcement_mode is not None:
        if enforcement_mode not in Org.EnforcementMode.values:
            raise InvalidInput(f"enforcement_mode must be one of {', '.join(Org.EnforcementMode.values)}.",
                               code=EnforcementErrorCode.INVALID_ENFORCEMENT_MODE,
                               fields={"enforcement_mode": [", ".join(Org.EnforcementMode.values)]})
        org.enforcement_mode = enforcement_mode
    if basic_auth_for_new_tills is not None:
        if not isinstance(basic_auth_for_new_tills, bool):
            raise InvalidInput("basic_auth_for_new_tills must be true or false.",
                               code=EnforcementErrorCode.INVALID_BASIC_AUTH_FOR_NEW_TILLS)
        org.basic_auth_for_new_tills = basic_auth_for_new_tills
    after = {"basic_auth_enabled": org.basic_auth_enabled, "enforcement_mode": org.enforcement_mode,
             "basic_auth_for_new_tills": org.basic_auth_for_new_tills}
    if after != before:
        org.save(update_fields=["basic_auth_enabled", "enforcement_mode", "basic_auth_for_new_tills"])
        audit.record(org=org, actor=actor, action="org.enforcement", target=org, before=before, after=after)
    return org


@transaction.atomic
def group_from_usage(*, actor, org: Org, store: Store, name: str, days: int = 30, description: str = "",
                     allocate: bool = False) -> tuple[AccessGroup, frozenset]:
    """Returns a new custom group holding exactly the cells the store's tills used in the last `days` days
    (and allocates the store to it when `allocate`). Refused when they used nothing."""
    _require(can_suggest_groups, actor, "You may not manage access groups.")
    grants = selectors.suggested_grants(org=org, store=store, days=days)
    if not grants:
        raise Conflict(f"The tills of {store.code} made no requests in the last {days} day{pluralize(days)}.",
                       code=EnforcementErrorCode.NO_USAGE)
    description = description or (f"Least privilege for {store.code}: what its tills used in {days} "
                                  f"day{pluralize(days)}.")
    group, _warnings = group_services.group_create(actor=actor, org=org, name=name, description=description,
                                                   grants=grants)
    if allocate:
        store_services.stores_allocate(actor=actor, org=org, group=group, store_codes=[store.code])
    return group, grants
