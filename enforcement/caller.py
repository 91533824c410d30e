"""The caller of the till API, as resolved by authentication: a till or an API client."""

from dataclasses import dataclass, field

from accessadmin.audit import Actor, ActorKind

TILL = "till"
CLIENT = "client"


@dataclass(frozen=True, slots=True)
class Caller:
    kind: str                   # TILL or CLIENT
    pk: int                     # Till.pk or ApiClient.pk
    code: str                   # till code, or the client's client_id
    name: str                   # till code, or the client's name
    org_id: int
    org_code: str
    report_only: bool           # the org runs in report-only mode
    store_id: int | None
    store_code: str
    group_id: int | None
    group_name: str
    group_source: str           # "store", "org_default" or "client"
    group_active: bool
    grants_all: bool
    grants: frozenset = field(default_factory=frozenset, repr=False)
    catalogue_version: str = ""  # read with the caller; keys the compiled path patterns (paths.py)
    # Shared by the requests of one warm entry (auth.py): the caller's Org once a view has loaded it.
    org_cache: dict | None = field(default=None, repr=False, compare=False)

    # DRF and Django treat request.user as a user; a caller is an authenticated non-user principal.
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    org = None

    @property
    def username(self) -> str:
        """What the audit log shows as the actor."""
        return f"{self.kind}:{self.code}"

    def audit_actor(self) -> Actor:
        """Who the audit log records for the caller's writes: the till (its code) or the API client (its id)."""
        return Actor(ActorKind.TILL if self.kind == TILL else ActorKind.API_CLIENT, self.code)

    @property
    def till_id(self) -> int | None:
        return self.pk if self.kind == TILL else None

    @property
    def api_client_id(self) -> int | None:
        return self.pk if self.kind == CLIENT else None
