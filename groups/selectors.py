"""Reads of access groups, always from one org's point of view (its groups plus the built-in ones).

Stores are the stores app's; they are read here only through the reverse relations of the group and
the org (`group.stores`, `org.stores`), never by importing that app.
"""

from django.db.models import BooleanField, Case, Prefetch, Value, When
from django.db.models.functions import Lower
from django.http import Http404

from accessadmin.models import AuditEvent, Org
from accessadmin.tenancy import scope

from . import cells as cellsmod
from . import store_counts
from .builtins import POS
from .models import AccessGroup, ApiResource, DefaultAccessGroup, PermissionCell


def resource_list():
    return list(ApiResource.objects.order_by("position", "name"))


def default_group(*, org: Org) -> AccessGroup:
    """Returns the org's default group: the one it chose, else the built-in POS group.

    The same rule in SQL, for queries that resolve it in the database: default_group_id_sql()."""
    row = DefaultAccessGroup.objects.select_related("group").filter(org=org).first()
    if row is not None:
        return row.group
    return AccessGroup.objects.get(org__isnull=True, name=POS)


def default_group_id_sql(*, org_id: str) -> tuple[str, list]:
    """Returns (SQL expression, params) for the id of the default group of the org whose id is the SQL
    expression `org_id`: default_group() in SQL (the org's choice, else the built-in POS group)."""
    chosen = f"SELECT d.group_id FROM {DefaultAccessGroup._meta.db_table} d WHERE d.org_id = {org_id}"
    pos = f"SELECT p.id FROM {AccessGroup._meta.db_table} p WHERE p.org_id IS NULL AND p.name = %s"
    return f"COALESCE(({chosen}), ({pos}))", [POS]


def group_list(*, org: Org, default: AccessGroup | None = None):
    """Returns the groups `org` sees, with `store_count` (its own stores allocated to the group, kept by
    groups.store_counts) and `is_default`."""
    if org is None:
        return AccessGroup.objects.none()
    default = default or default_group(org=org)
    groups = store_counts.with_store_count(AccessGroup.objects.visible_to(org), org_id=org.pk)
    return (groups.select_related("created_by", "updated_by")
            .prefetch_related(Prefetch("cells", queryset=PermissionCell.objects.select_related("resource")))
            .annotate(is_default=Case(When(pk=default.pk, then=Value(True)), default=Value(False),
                                      output_field=BooleanField())))


def group_list_for_bulk(*, org: Org, ids: list[int]) -> list[AccessGroup]:
    """Returns the groups among `ids` that `org` sees (others' ids drop out), by name, each with
    `active_clients`: [{"id", "name", "client_id"}] of its active API clients (one query for all)."""
    clients = AccessGroup._meta.get_field("api_clients").related_model.objects  # the reverse relation's model
    groups = list(group_list(org=org).filter(pk__in=ids).order_by(Lower("name"), "pk")
                  .prefetch_related(Prefetch("api_clients", to_attr="active_client_rows",
                                             queryset=clients.filter(is_active=True).order_by("name", "pk"))))
    for group in groups:
        group.active_clients = [{"id": c.pk, "name": c.name, "client_id": c.client_id}
                                for c in group.active_client_rows]
    return groups


def group_get(*, org: Org, pk) -> AccessGroup:
    """Returns one group `org` may see (with store_count and is_default); 404 otherwise."""
    try:
        return group_list(org=org).get(pk=pk)
    except (AccessGroup.DoesNotExist, ValueError, TypeError):
        raise Http404("Not found.") from None


def group_names(*, ids) -> dict[int, str]:
    """Returns {id: name} of the groups with those ids (one query, whatever their number)."""
    ids = list(ids)
    return dict(AccessGroup.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def group_choices(*, org: Org):
    """Returns the groups `org` sees with only id, name and status, by name (case-insensitive): for choices."""
    return AccessGroup.objects.visible_to(org).only("pk", "name", "is_active", "org").order_by(Lower("name"), "pk")


def group_search(*, org: Org, text: str = "", active_only: bool = False, limit: int = 20) -> list[AccessGroup]:
    """Returns up to `limit` + 1 groups `org` sees whose name contains `text`, by name (case aside): the
    matches of a search-as-you-type field (one more than asked tells the caller there are more).

    Two queries whatever the org's size: the built-in groups (a handful), and the org's own walked in the
    order of the (org, lower(name)) index of the name constraint, stopping after `limit` + 1 matches."""
    def matching(groups):
        groups = groups.filter(is_active=True) if active_only else groups
        groups = groups.filter(name__icontains=text) if text else groups
        return list(groups.only("pk", "name", "is_active", "org_id").order_by(Lower("name"), "pk")[:limit + 1])

    found = matching(AccessGroup.objects.filter(org__isnull=True)) + matching(AccessGroup.objects.filter(org=org))
    return sorted(found, key=lambda g: (g.name.lower(), g.pk))[:limit + 1]


def active_groups(*, org: Org):
    return AccessGroup.objects.visible_to(org).filter(is_active=True).order_by("name")


def group_grants(group: AccessGroup, resources=None) -> frozenset:
    return cellsmod.of_group(group, resources if resources is not None else resource_list())


def group_api_clients(*, group: AccessGroup) -> list[dict]:
    """Returns [{"id", "name", "client_id"}] of the active API clients acting with `group`, by name (through
    the reverse relation: API clients are the stores app's)."""
    return list(group.api_clients.filter(is_active=True).order_by("name", "pk").values("id", "name", "client_id"))


def inheriting_store_count(*, org: Org) -> int:
    """Returns how many of the org's stores have no group and so follow the default (a kept count)."""
    return store_counts.ungrouped(org_id=org.pk)


def group_history(*, org: Org, group: AccessGroup):
    """Returns the org's events about `group` (a built-in group's history is per org)."""
    return scope(AuditEvent.objects.all(), org).filter(target_type="groups.accessgroup", target_id=str(group.pk))


def default_group_history(*, org: Org):
    return scope(AuditEvent.objects.all(), org).filter(action="default_group.set")


def group_count(*, org: Org, actor=None) -> int:
    """Returns how many groups the org sees, built-in ones included (a dashboard tile)."""
    return AccessGroup.objects.visible_to(org).count()
