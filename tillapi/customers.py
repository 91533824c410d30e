"""The till API's customers are the shopper profiles of the shopperdata app.

The till API acts as a system integration (actor None), which shopperdata's services and selectors
accept; this module maps the till API's customer fields to shopper properties.
"""

from django.http import Http404

from accessadmin.errors import AppError, InvalidInput, NotFound
from accessadmin.models import Org
from shopperdata import selectors as profiles
from shopperdata import services as profile_services

from .errors import TillApiErrorCode

# till API field → shopper property id
FIELDS = {"email": "email", "mobile": "mobile", "first_name": "firstName", "last_name": "lastName"}
_TILL_FIELD = {prop: field for field, prop in FIELDS.items()}
# till API field → the most characters its profile column holds
MAX_LENGTHS = {field: length for prop, length in profiles.column_max_lengths().items()
               if (field := _TILL_FIELD.get(prop))}


def status_of(profile) -> str:
    """Returns ACTIVE, DELETION_PENDING (a PII deletion request is open) or DELETED (personal data erased)."""
    if profile.deleted_at is not None:
        return "DELETED"
    return "DELETION_PENDING" if profile.deletion_pending else "ACTIVE"


def payload(profile) -> dict:
    return {"id": profile.pk, "email": profile.email, "mobile": profile.mobile, "first_name": profile.first_name,
            "last_name": profile.last_name, "status": status_of(profile), "created_at": profile.created_at}


def search(*, org: Org, mobile: str = "", email: str = "", limit: int = 50) -> list:
    """Returns the org's customers with this mobile or email (all of them, newest last, when neither)."""
    if mobile or email:
        qs = profiles.profile_list(org=org, mobile=mobile, email=email)
    else:
        qs = profiles.profile_list(org=org)
    return list(qs[:limit])


def get(*, org: Org, customer_id) -> object:
    """Returns the org's customer; NotFound for a missing one or another org's."""
    try:
        return profiles.profile_get(org=org, pk=customer_id)
    except Http404:
        raise NotFound("No such customer.", code=TillApiErrorCode.CUSTOMER_NOT_FOUND) from None


def exists(*, org: Org, customer_id) -> bool:
    try:
        get(org=org, customer_id=customer_id)
    except NotFound:
        return False
    return True


def _values(data: dict) -> dict:
    values = {prop: data[field] for field, prop in FIELDS.items() if field in data}
    if not values:
        raise InvalidInput("Give at least one of email, mobile, first_name, last_name.",
                           code=TillApiErrorCode.NO_FIELDS)
    return values


def _in_till_names(err: AppError) -> AppError:
    """Returns `err` with its fields named as the till API names them (first_name, not firstName)."""
    err.fields = {_TILL_FIELD.get(key, key): messages for key, messages in err.fields.items()}
    return err


def register(*, org: Org, data: dict):
    """Returns the new customer (a shopper profile) made from `data` (validated CustomerInput)."""
    if not (data.get("mobile") or data.get("email")):
        raise InvalidInput("A customer needs a mobile number or an email address.",
                           code=TillApiErrorCode.IDENTIFIER_REQUIRED,
                           fields={"mobile": ["mobile or email is required."]})
    try:
        return profile_services.profile_create(actor=None, org=org, values=_values(data)).profile
    except AppError as err:
        raise _in_till_names(err) from None


def update(*, org: Org, customer_id, data: dict):
    """Returns the customer with the given fields of `data` (validated CustomerInput) changed."""
    profile = get(org=org, customer_id=customer_id)
    try:
        return profile_services.profile_update(actor=None, profile=profile, values=_values(data)).profile
    except AppError as err:
        raise _in_till_names(err) from None
