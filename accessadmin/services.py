"""Writes of the core: orgs, users, roles, access rights, API tokens.

Every function is keyword-only, checks its input (raising an AppError that
changes nothing) and records an audit event in the same transaction.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import audit
from .errors import Conflict, CoreErrorCode, Forbidden, InvalidInput
from .identity import forget
from .models import AccessRight, ApiToken, Org, Role, User
from .policies import can_edit_access_right, can_manage_identity, is_platform_staff, may_use_name
from .privileges import BUILTIN_ROLES, PRIVILEGE_DESCRIPTIONS, PRIVILEGE_NAMES, Privilege
from .validation import clean_name

NAME_MAX_LENGTH = Role._meta.get_field("name").max_length  # orgs, roles and access rights alike (200)
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _check_id(value: str, what: str) -> str:
    value = (value or "").strip()
    if not ID_RE.match(value):
        raise InvalidInput(
            f"{what} id must be 1–100 letters, digits, dots, dashes or underscores.",
            code=CoreErrorCode.INVALID_ID, fields={"id": [f"Invalid {what.lower()} id."]},
        )
    return value


def _check_name(value: str) -> str:
    return clean_name(value, max_length=NAME_MAX_LENGTH)


def check_namespace(*, actor, org: Org, name: str, field: str) -> None:
    """Raises InvalidInput (400 outside_namespace) unless `actor` may give `name` to a new till or user
    of `org` (policies.may_use_name). Callers check this before looking for a duplicate, so the answer
    outside the namespace is the same whether the name is taken or free: no enumeration of other orgs'
    names."""
    if not may_use_name(actor, org, name):
        raise InvalidInput(f"Names in this organization start with {org.code}-.", code=CoreErrorCode.OUTSIDE_NAMESPACE,
                           fields={field: [f"Must start with {org.code}-."]})


def _require_identity_admin(actor) -> None:
    if not can_manage_identity(actor):
        raise Forbidden("Only administrators manage users, roles and access rights.")


# --- orgs -----------------------------------------------------------------

def ensure_builtin_privileges() -> dict[str, AccessRight]:
    """Returns the built-in privileges by id, creating any that are missing.

    The data migration creates them; this also restores them where a database
    was emptied after migrating (a flushed test database, a restored dump).
    """
    existing = {ar.code: ar for ar in AccessRight.objects.filter(org__isnull=True)}
    for privilege in Privilege:
        if privilege.value not in existing:
            existing[privilege.value] = AccessRight.objects.create(
                org=None, code=privilege.value, name=PRIVILEGE_NAMES[privilege],
                description=PRIVILEGE_DESCRIPTIONS[privilege], type=AccessRight.Type.PRIVILEGE)
    return existing


@transaction.atomic
def org_create(*, actor, code: str, name: str) -> Org:
    """Returns a new org with one built-in role per privilege. Platform staff only."""
    if actor is not None and not is_platform_staff(actor):
        raise Forbidden("Only platform staff create organizations.")
    code = (code or "").strip().lower()
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,49}$", code):
        raise InvalidInput("Org code must be lowercase letters, digits and dashes.", code=CoreErrorCode.INVALID_CODE)
    if Org.objects.filter(code=code).exists():
        raise Conflict("An organization with this code exists.", code=CoreErrorCode.DUPLICATE_CODE)
    org = Org.objects.create(code=code, name=_check_name(name))
    privileges = ensure_builtin_privileges()
    for role_code, role_name, privilege in BUILTIN_ROLES:
        role = Role.objects.create(org=org, code=role_code, name=role_name,
                                   description=f"Holds the {role_name} privilege.")
        role.access_rights.add(privileges[privilege])
    audit.record(org=org, actor=actor, action="org.create", target=org, after={"code": code, "name": org.name})
    return org


# --- access rights --------------------------------------------------------

def _access_right_state(ar: AccessRight) -> dict:
    return {"id": ar.code, "name": ar.name, "description": ar.description, "type": ar.type}


@transaction.atomic
def access_right_create(*, actor, org: Org, code: str, name: str, description: str = "") -> AccessRight:
    """Returns a new generic access right of `org`; its id may not shadow a built-in one."""
    _require_identity_admin(actor)
    code = _check_id(code, "Access right")
    name = _check_name(name)
    if AccessRight.objects.filter(code=code, org__isnull=True).exists() or \
            AccessRight.objects.filter(code=code, org=org).exists():
        raise Conflict(f"An access right with id {code!r} exists.", code=CoreErrorCode.DUPLICATE_ID,
                       fields={"id": ["This id is taken."]})
    ar = AccessRight.objects.create(org=org, code=code, name=name, description=description or "",
                                    type=AccessRight.Type.GENERIC)
    audit.record(org=org, actor=actor, action="access_right.create", target=ar, after=_access_right_state(ar))
    return ar


@transaction.atomic
def access_right_update(*, actor, access_right: AccessRight, name: str | None = None,
                        description: str | None = None) -> AccessRight:
    """Returns the access right with a new name and/or description. Built-in ones are read-only."""
    if not can_edit_access_right(actor, access_right):
        raise Forbidden("Built-in privileges cannot be changed.", code=CoreErrorCode.BUILTIN_READONLY)
    ar = AccessRight.objects.select_for_update().get(pk=access_right.pk)
    before = _access_right_state(ar)
    if name is not None:
        ar.name = _check_name(name)
    if description is not None:
        ar.description = description
    ar.save()
    audit.record(org=ar.org, actor=actor, action="access_right.update", target=ar, before=before,
                 after=_access_right_state(ar))
    return ar


def _resolve_access_rights(org: Org, codes) -> list[AccessRight]:
    codes = list(dict.fromkeys(codes or []))
    found = {ar.code: ar for ar in AccessRight.objects.for_org(org).filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(f"Unknown access right: {', '.join(missing)}.", code=CoreErrorCode.UNKNOWN_ACCESS_RIGHT,
                           fields={"accessRights": [f"Unknown: {', '.join(missing)}"]})
    return [found[c] for c in codes]


# --- roles ----------------------------------------------------------------

def role_state(role: Role) -> dict:
    return {"id": role.code, "name": role.name, "description": role.description,
            "accessRights": sorted(ar.code for ar in role.access_rights.all())}


@transaction.atomic
def role_create(*, actor, org: Org, name: str, code: str | None = None, description: str = "",
                access_rights: list[str] | None = None) -> Role:
    """Returns a new role of `org` holding the named access rights (ids)."""
    _require_identity_admin(actor)
    name = _check_name(name)
    if code:
        code = _check_id(code, "Role")
    else:
        base = re.sub(r"[^A-Za-z0-9]+", "", name)[:60] or "role"
        code = base[0].lower() + base[1:] + "Role"
        n = 2
        while Role.objects.filter(org=org, code=code).exists():
            code = f"{base[0].lower() + base[1:]}Role{n}"
            n += 1
    if Role.objects.filter(org=org, code=code).exists():
        raise Conflict(f"A role with id {code!r} exists.", code=CoreErrorCode.DUPLICATE_ID,
                       fields={"id": ["This id is taken."]})
    if Role.objects.filter(org=org, name__iexact=name).exists():
        raise Conflict(f"A role named {name!r} exists.", code=CoreErrorCode.DUPLICATE_NAME,
                       fields={"name": ["This name is taken."]})
    rights = _resolve_access_rights(org, access_rights)
    role = Role.objects.create(org=org, code=code, name=name, description=description or "")
    role.access_rights.set(rights)
    audit.record(org=org, actor=actor, action="role.create", target=role, after=role_state(role))
    return role


@transaction.atomic
def role_update(*, actor, role: Role, name: str | None = None, description: str | None = None,
                access_rights: list[str] | None = None) -> Role:
    """Returns the role with the given fields changed; `access_rights` replaces the whole set."""
    _require_identity_admin(actor)
    role = Role.objects.select_for_update().get(pk=role.pk)
    before = role_state(role)
    if name is not None:
        name = _check_name(name)
        if Role.objects.filter(org=role.org_id, name__iexact=name).exclude(pk=role.pk).exists():
            raise Conflict(f"A role named {name!r} exists.", code=CoreErrorCode.DUPLICATE_NAME,
                           fields={"name": ["This name is taken."]})
        role.name = name
    if description is not None:
        role.description = description
    role.save()
    if access_rights is not None:
        role.access_rights.set(_resolve_access_rights(role.org, access_rights))
    after = role_state(role)
    audit.record(org=role.org, actor=actor, action="role.update", target=role, before=before, after=after)
    return role


# --- users ----------------------------------------------------------------

def user_state(user: User) -> dict:
    return {"username": user.username, "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "is_active": user.is_active,
            "roles": sorted(r.code for r in user.roles.all())}


def _resolve_roles(org: Org, codes) -> list[Role]:
    codes = list(dict.fromkeys(codes or []))
    found = {r.code: r for r in Role.objects.filter(org=org, code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(f"Unknown role: {', '.join(missing)}.", code=CoreErrorCode.UNKNOWN_ROLE,
                           fields={"roles": [f"Unknown: {', '.join(missing)}"]})
    return [found[c] for c in codes]


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise InvalidInput(" ".join(e.messages), code=CoreErrorCode.WEAK_PASSWORD,
                           fields={"password": e.messages}) from None


@transaction.atomic
def user_create(*, actor, org: Org, username: str, password: str, email: str = "", first_name: str = "",
                last_name: str = "", roles: list[str] | None = None, validate: bool = True) -> User:
    """Returns a new active user of `org` with the given roles (ids)."""
    if actor is not None:
        _require_identity_admin(actor)
    username = (username or "").strip()
    if not re.match(r"^[\w.@+-]{1,150}$", username):
        raise InvalidInput("Username must be 1–150 letters, digits or @.+-_ characters.",
                           code=CoreErrorCode.INVALID_USERNAME,
                           fields={"username": ["Invalid username."]})
    check_namespace(actor=actor, org=org, name=username, field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("This username is taken.", code=CoreErrorCode.DUPLICATE_USERNAME,
                       fields={"username": ["This username is taken."]})
    user = User(org=org, username=username, email=email or "", first_name=first_name or "",
                last_name=last_name or "")
    if validate:
        _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Conflict("This username is taken.", code=CoreErrorCode.DUPLICATE_USERNAME) from None
    user.roles.set(_resolve_roles(org, roles))
    audit.record(org=org, actor=actor, action="user.create", target=user, after=user_state(user))
    return user


@transaction.atomic
def user_update(*, actor, user: User, email: str | None = None, first_name: str | None = None,
                last_name: str | None = None, is_active: bool | None = None, roles: list[str] | None = None,
                password: str | None = None) -> User:
    """Returns the user with the given fields changed; `roles` replaces the whole set."""
    _require_identity_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user_state(user)
    if is_active is False and user.pk == actor.pk:
        raise InvalidInput("You cannot deactivate yourself.", code=CoreErrorCode.CANNOT_DEACTIVATE_SELF)
    for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name),
                         ("is_active", is_active)):
        if value is not None:
            setattr(user, field, value)
    if password:
        _check_password(password, user)
        user.set_password(password)
    new_roles = _resolve_roles(user.org, roles) if roles is not None else None
    loses_access = bool(password) or user_loses_access(
        was_active=before["is_active"], had_roles=bool(before["roles"]), is_active=user.is_active,
        has_roles=bool(new_roles) if new_roles is not None else bool(before["roles"]))
    if loses_access:
        _raise_credential_epoch(user)
    user.save()
    if new_roles is not None:
        user.roles.set(new_roles)
    if loses_access:
        ApiToken.objects.filter(user=user).delete()
    forget(user)
    after = user_state(user)
    audit.record(org=user.org, actor=actor, action="user.update", target=user, before=before,
                 after={**after, **({"password": "changed"} if password else {})})
    return user


def user_loses_access(*, was_active: bool, had_roles: bool, is_active: bool, has_roles: bool) -> bool:
    """Returns True when a change deactivates the user or takes away their last role."""
    return (was_active and not is_active) or (had_roles and not has_roles)


def _raise_credential_epoch(user: User) -> None:
    # Changes the user's credential stamp: every session and bearer token issued before fails its
    # next request, and none comes back if the user is reactivated or given a role again.
    user.credential_epoch += 1


@transaction.atomic
def user_end_sessions(*, user: User) -> User:
    """Returns the user after ending every session and bearer token they hold (from the next request on).

    For writes that bypass user_update (the Django admin); a new password needs no call, it changes
    the credential stamp by itself.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _raise_credential_epoch(user)
    user.save(update_fields=["credential_epoch"])
    ApiToken.objects.filter(user=user).delete()
    return user


# --- API tokens -----------------------------------------------------------

def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User) -> tuple[str, int]:
    """Returns a new bearer key for `user` (shown once; only its digest is kept) and its lifetime in seconds."""
    ttl = settings.API_TOKEN_TTL_SECONDS
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_digest=_digest(key), credential_stamp=user.credential_stamp(),
                            expires_at=timezone.now() + timedelta(seconds=ttl))
    ApiToken.objects.filter(user=user, expires_at__lt=timezone.now()).delete()
    return key, ttl


def token_user(key: str) -> User | None:
    """Returns the active user a live bearer key belongs to, or None.

    A key dies with a new password or a raised credential epoch (see User.credential_stamp).
    """
    token = (ApiToken.objects.select_related("user", "user__org")
             .filter(key_digest=_digest(key), expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active:
        return None
    if not constant_time_compare(token.credential_stamp, token.user.credential_stamp()):
        return None
    return token.user
