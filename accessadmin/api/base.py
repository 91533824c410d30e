from functools import cached_property

from ..errors import CoreErrorCode, InvalidInput
from ..tenancy import current_org


class OrgScopedMixin:
    """Gives an API view `self.org`, the org the caller acts in.

    Staff without an org of their own name one with the `X-Org` header.
    """

    @cached_property
    def org(self):
        org = current_org(self.request)
        if org is None:
            raise InvalidInput("Choose an organization with the X-Org header.", code=CoreErrorCode.ORG_REQUIRED)
        return org


def parse_bool(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def validated(serializer_class, data, *, partial: bool = False) -> dict:
    """Returns the input checked by `serializer_class`; a ValidationError becomes a 400 with field errors."""
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
