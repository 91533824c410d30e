"""The one rule for names (of roles, access rights, access groups, stores, API clients, event definitions,
security criteria): text, stripped, not empty, not longer than the column holds."""

from .errors import CoreErrorCode, ErrorCode, InvalidInput


def clean_name(value, *, max_length: int, field: str = "name", code: ErrorCode | None = None) -> str:
    """Returns `value` stripped of surrounding whitespace.

    Raises InvalidInput naming `field` when it is not text (name_not_text), empty (name_required) or longer
    than `max_length` (name_too_long); an API whose contract has one code for every bad input (the
    commerce admin API's 22064) passes it as `code`.
    """
    label = field[:1].upper() + field[1:]
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label} must be text.", code=code or CoreErrorCode.NAME_NOT_TEXT,
                           fields={field: ["Must be text."]})
    value = value.strip()
    if not value:
        raise InvalidInput(f"{label} is required.", code=code or CoreErrorCode.NAME_REQUIRED,
                           fields={field: ["This field is required."]})
    if len(value) > max_length:
        raise InvalidInput(f"{label} is longer than {max_length} characters.",
                           code=code or CoreErrorCode.NAME_TOO_LONG,
                           fields={field: [f"At most {max_length} characters."]})
    return value
