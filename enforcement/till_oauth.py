"""A till that calls with an OAuth2 bearer token (client credentials bound to it, stores/till_oauth.py).

The token acts as the till: one query reads the token, the till, its store, the org and the store's
effective group (the stores app's rule, as for Basic auth), so deactivating the till, moving its store or
changing the group shows on the next request. Usage is counted under the till (the Caller is a till).
`oauth_last_used_at` is kept to the minute, like `last_used_at`.
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken

from accessadmin.models import Org
from groups.models import AccessGroup
from stores import selectors as store_selectors
from stores.models import Store, Till

from . import selectors
from .caller import TILL, Caller
from .errors import Unauthenticated
from .models import EnforcementState

LAST_USED_RESOLUTION = timedelta(seconds=60)


def _sql() -> tuple[str, list]:
    effective, params = store_selectors.effective_group_id_sql(store="s", org_id="o.id")
    sql = f"""
        SELECT a.expires, t.id, t.code, t.is_active, t.oauth_last_used_at,
               s.id, s.code, s.access_group_id, o.id, o.code, o.enforcement_mode,
               g.id, g.name, g.is_active, g.grants_all, g.updated_at,
               (SELECT v.catalogue_version FROM {EnforcementState._meta.db_table} v WHERE v.id = 1)
        FROM {AccessToken._meta.db_table} a
        JOIN {Till._meta.db_table} t ON t.oauth_application_id = a.application_id
        JOIN {Store._meta.db_table} s ON s.id = t.store_id
        JOIN {Org._meta.db_table} o ON o.id = t.org_id
        LEFT JOIN {AccessGroup._meta.db_table} g ON g.id = {effective}
        WHERE a.token_checksum = %s
    """
    return " ".join(sql.split()), params


_SQL: tuple[str, list] | None = None


def till_token_row(token_checksum: str) -> tuple | None:
    """Returns the row of the till a token checksum belongs to (see _sql for the columns), or None."""
    global _SQL
    if _SQL is None:
        _SQL = _sql()
    sql, params = _SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, token_checksum])
        return cursor.fetchone()


def authenticate_till_token(token_checksum: str) -> Caller:
    """Returns the till a live access token of its OAuth2 credentials proves; raises Unauthenticated."""
    row = till_token_row(token_checksum)
    if row is None:
        raise Unauthenticated("Invalid or expired access token.")
    expires, outcome = token_outcome(row)
    if expires <= timezone.now().timestamp():
        raise Unauthenticated("Invalid or expired access token.")
    if not isinstance(outcome, Caller):
        raise Unauthenticated(outcome)
    _touch(outcome.pk, row[4])
    return outcome


def token_outcome(row) -> tuple[float, Caller | str]:
    """Returns (the token's expiry as a timestamp, the till's Caller or why it may not call) for a row of
    till_token_row. The warm path (auth.py) keeps both per process."""
    (expires, till_id, till_code, till_active, last_used, store_id, store_code, store_group_id, org_id, org_code,
     mode, group_id, group_name, group_active, grants_all, group_version, catalogue_version) = row
    expires = selectors.as_datetime(expires)
    if not till_active:
        return (expires.timestamp() if expires else 0.0), "This till is deactivated."
    return (expires.timestamp() if expires else 0.0), Caller(
        kind=TILL, pk=till_id, code=till_code, name=till_code, org_id=org_id, org_code=org_code,
        report_only=mode == Org.EnforcementMode.REPORT_ONLY, store_id=store_id, store_code=store_code,
        group_id=group_id, group_name=group_name or "", group_source="store" if store_group_id else "org_default",
        group_active=bool(group_active), grants_all=bool(grants_all),
        grants=selectors.group_grants(group_id, group_version) if group_id and not grants_all else frozenset(),
        catalogue_version=catalogue_version or "", org_cache={},
    )


def touch(till_id: int) -> None:
    """The till was last seen now, with OAuth2 (the warm path calls it at most once a minute per process)."""
    now = timezone.now()
    Till.objects.filter(pk=till_id).update(last_used_at=now, oauth_last_used_at=now)


def _touch(till_id: int, last_used) -> None:
    """At most one write per till per minute: the till was last seen now, with OAuth2."""
    now = timezone.now()
    last = selectors.as_datetime(last_used)
    if last is None or now - last > LAST_USED_RESOLUTION:
        Till.objects.filter(pk=till_id).update(last_used_at=now, oauth_last_used_at=now)
