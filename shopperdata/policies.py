"""Every yes/no of shopper data: who may use the pages and endpoints, and per
property, whether a viewer reads it (visible / masked / hidden) and writes it
(allowed / ignored / denied), with the reason.

The property rules are the document's: with readRole and readAccessRight both
null anybody signed in reads; otherwise a user reads when it has the readRole,
or one of its roles holds the readAccessRight (likewise for write). There is no
implicit bypass: an Administrator is refused like anybody else unless one of
its roles grants the access. Only a system integration (actor None) is never
masked — the document's exception for exports, webhooks and imports.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from accessadmin.models import Role
from accessadmin.policies import has_privilege
from accessadmin.privileges import Privilege

from .models import SecurityLevel
from .values import masking_value

# --- pages and endpoints ----------------------------------------------------


def can_use_profiles(user) -> bool:
    """Search, view, create and edit shopper profiles: CS Agent or Administrator privilege."""
    return has_privilege(user, Privilege.CS_AGENT)


def can_view_shopper_type(user) -> bool:
    """Read the property definitions (a CSR needs them to read profiles)."""
    return has_privilege(user, Privilege.CS_AGENT)


def can_manage_shopper_type(user) -> bool:
    """Change property definitions and their access rules: administrators only."""
    return has_privilege(user, Privilege.ADMIN)


def can_export_profiles(user) -> bool:
    """The unmasked system export (the document's bulk-export exception): administrators only."""
    return has_privilege(user, Privilege.ADMIN)


# --- who is looking ---------------------------------------------------------

@dataclass(frozen=True)
class Viewer:
    """The roles of one actor and the access rights each role holds; `system` means no masking at all."""

    username: str
    system: bool = False
    rights_by_role: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.rights_by_role)


SYSTEM = Viewer(username="system", system=True)


def viewer_for(actor) -> Viewer:
    """Returns the Viewer of `actor` (one query); None gives the SYSTEM viewer.

    An inactive or anonymous user holds no role, so every restricted property is refused.
    """
    if actor is None:
        return SYSTEM
    rights: dict[str, set[str]] = {}
    if actor.is_authenticated and actor.is_active and actor.pk:
        for role, right in Role.objects.filter(users=actor).values_list("code", "access_rights__code"):
            rights.setdefault(role, set())
            if right:
                rights[role].add(right)
    return Viewer(username=actor.username, rights_by_role={r: frozenset(a) for r, a in rights.items()})


# --- one property ---------------------------------------------------------

VISIBLE, MASKED, HIDDEN = "visible", "masked", "hidden"
ALLOWED, IGNORED, DENIED = "allowed", "ignored", "denied"


def _grant(viewer: Viewer, role: str | None, right: str | None, verb: str) -> tuple[bool, str, dict | None]:
    """Returns (granted, why, which attribute decided) for one direction (read or write)."""
    attr_role, attr_right = f"{verb}Role", f"{verb}AccessRight"
    if viewer.system:
        return True, "System integration: property access control does not apply.", None
    # The reasons are read by customer service agents: plain words; the attribute names that decided are in
    # the third value (the API's readDecidedBy / writeDecidedBy), for machines and administrators.
    change = "see" if verb == "read" else "change"
    if not role and not right:
        return True, f"Anyone signed in may {change} this: no role or access right is required.", None
    if role and role in viewer.rights_by_role:
        return True, f"You may {change} this because you have the role {role}.", {"attribute": attr_role,
                                                                                  "role": role}
    if right:
        for holder in sorted(viewer.rights_by_role):
            if right in viewer.rights_by_role[holder]:
                return (True, f"You may {change} this because your role {holder} holds the access right {right}.",
                        {"attribute": attr_right, "accessRight": right, "role": holder})
    needs = " or ".join(x for x in (role and f"the role {role}", right and f"the access right {right}") if x)
    lacking = "you have neither" if role and right else "you do not have it"
    return False, f"Only people with {needs} may {change} this, and {lacking}.", {
        "attribute": attr_role if role and not right else (attr_right if right and not role else
                                                          f"{attr_role}/{attr_right}"),
        **({"role": role} if role else {}), **({"accessRight": right} if right else {})}


@dataclass(frozen=True)
class PropertyAccess:
    """What one viewer may do with one property, and why."""

    code: str
    read: str            # visible | masked | hidden
    write: str           # allowed | ignored | denied
    read_reason: str
    write_reason: str
    read_decided_by: dict | None
    write_decided_by: dict | None
    mask: object = None  # what a masked reader sees

    def as_dict(self) -> dict:
        return {"property": self.code, "read": self.read, "write": self.write,
                "readReason": self.read_reason, "writeReason": self.write_reason,
                "readDecidedBy": self.read_decided_by, "writeDecidedBy": self.write_decided_by,
                **({"maskingValue": self.mask} if self.read == MASKED else {})}


def _placeholder(mask) -> str:
    """Returns how a masking value reads in a sentence: "nothing" for none or empty text, else quoted."""
    if mask is None or mask == "":
        return "nothing"
    if isinstance(mask, bool):
        return "“Yes”" if mask else "“No”"
    return f"“{mask}”"


def property_access(viewer: Viewer, prop) -> PropertyAccess:
    """Returns the viewer's read and write outcome for `prop`."""
    can_read, read_why, read_by = _grant(viewer, prop.read_role, prop.read_access_right, "read")
    can_write, write_why, write_by = _grant(viewer, prop.write_role, prop.write_access_right, "write")
    mask = None
    if can_read:
        read = VISIBLE
    elif prop.read_security_level == SecurityLevel.DENY:
        read = HIDDEN
        read_why += " So it is hidden from you."
    else:
        read = MASKED
        mask = masking_value(prop)
        read_why += f" So you see {_placeholder(mask)} in its place."
    if can_write:
        write = ALLOWED
    elif prop.write_security_level == SecurityLevel.DENY:
        write = DENIED
        write_why += " If you change it, your change is refused with an error."
    else:
        write = IGNORED
        write_why += " If you change it, your change is not saved (and no error is shown)."
    return PropertyAccess(prop.code, read, write, read_why, write_why, read_by, write_by, mask)


# --- a whole shopper type ---------------------------------------------------

class AccessPlan:
    """A viewer's PropertyAccess for every property of a shopper type, in property order.

    `read_rules` is the precomputed (id, visible?, mask) sequence of the
    properties the viewer is shown at all, which masking.present() walks for
    every profile: a list of N profiles costs N short loops and no further
    decisions.
    """

    def __init__(self, viewer: Viewer, properties: Iterable):
        self.viewer = viewer
        self.properties = {p.code: p for p in properties}
        self.entries = {code: property_access(viewer, p) for code, p in self.properties.items()}
        self.read_rules = tuple((code, e.read == VISIBLE, e.mask) for code, e in self.entries.items()
                                if e.read != HIDDEN)

    def __getitem__(self, code) -> PropertyAccess:
        return self.entries[code]

    def __contains__(self, code) -> bool:
        return code in self.entries

    def readable(self, code) -> bool:
        """True when the viewer sees the real value of `code` (used to limit search to what it may read)."""
        entry = self.entries.get(code)
        return entry is not None and entry.read == VISIBLE

    def explain(self) -> list[dict]:
        return [e.as_dict() for e in self.entries.values()]


def access_plan(*, actor, properties: Iterable) -> AccessPlan:
    """Returns the AccessPlan of `actor` (None: system) over `properties`."""
    return AccessPlan(viewer_for(actor), properties)


# --- configuration checks -------------------------------------------------------

def roles_granted(prop, verb: str, roles: Mapping[str, frozenset[str]]) -> set[str] | None:
    """Returns the role ids that `verb` ("read"/"write") `prop`; None means every signed-in user."""
    role, right = ((prop.read_role, prop.read_access_right) if verb == "read"
                   else (prop.write_role, prop.write_access_right))
    if not role and not right:
        return None
    return {code for code, rights in roles.items() if code == role or (right and right in rights)}


def write_without_read(prop, roles: Mapping[str, frozenset[str]]) -> list[str]:
    """Returns the org's role ids that could write `prop` but not read it (sorted); empty when none.

    `roles` maps every role id of the org to the access rights it holds.
    """
    readers = roles_granted(prop, "read", roles)
    writers = roles_granted(prop, "write", roles)
    if readers is None:
        return []
    writers = set(roles) if writers is None else writers
    return sorted(writers - readers)
