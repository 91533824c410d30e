"""Property types: checking and normalising values, and the generic masking values.

Values are kept in their JSON form: text as str, numbers as int/float, dates as
"YYYY-MM-DD", timestamps as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC), checkboxes as
bool, enumerations as the value string (a list when multiSelect), arrays as
lists and references as whatever JSON the caller stores.
"""

import datetime as dt
import math

from django.utils.dateparse import parse_date, parse_datetime

TEXT_TYPES = ("shortText", "longText", "richText")
TYPES = (*TEXT_TYPES, "number", "date", "timestamp", "checkbox", "enumerated", "array", "reference")
# Other names clients use for the same types.
TYPE_ALIASES = {"boolean": "checkbox", "string": "shortText", "dateTime": "timestamp", "datetime": "timestamp"}
ARRAY_ITEM_TYPES = ("shortText", "number")

EPOCH_DATE = "1970-01-01"
EPOCH_TIMESTAMP = "1970-01-01T00:00:00.000Z"


class BadValue(ValueError):
    """A value that does not fit a property's type; the message says why."""


def normalise_type(name) -> str | None:
    """Returns the canonical type name, or None when `name` is no known type."""
    if not isinstance(name, str):
        return None
    name = TYPE_ALIASES.get(name, name)
    return name if name in TYPES else None


def enum_values(prop) -> list[str]:
    return [v["value"] for v in (prop.values or [])]


def _text(prop, value, lenient):
    if not isinstance(value, str):
        if lenient and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            raise BadValue("must be a string")
    if prop.length and len(value) > prop.length:
        raise BadValue(f"must be at most {prop.length} characters")
    return value


def _number(value, lenient):
    if isinstance(value, bool):
        raise BadValue("must be a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadValue("must be a finite number")
        return int(value) if value.is_integer() else value
    if lenient and isinstance(value, str) and value.strip():
        try:
            return _number(int(value.strip()), False)
        except ValueError:
            try:
                return _number(float(value.strip()), False)
            except ValueError:
                pass
    raise BadValue("must be a number")


def _date(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed.isoformat()
    raise BadValue("must be a date (YYYY-MM-DD)")


def _timestamp(value):
    parsed = None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            parsed = parse_datetime(text.replace("Z", "+00:00") if text.endswith("Z") else text)
            if parsed is None:
                day = parse_date(text)
                parsed = dt.datetime.combine(day, dt.time()) if day else None
        except ValueError:
            parsed = None
    if parsed is None:
        raise BadValue("must be a timestamp (ISO 8601)")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    parsed = parsed.astimezone(dt.UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z"


def _checkbox(value, lenient):
    if isinstance(value, bool):
        return value
    if lenient and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "on", "1", "yes"}:
            return True
        if lowered in {"false", "off", "0", "no", ""}:
            return False
    raise BadValue("must be true or false")


def _enumerated(prop, value):
    allowed = enum_values(prop)
    if prop.multi_select:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadValue("must be a list of enumerated values")
        bad = [v for v in value if v not in allowed]
        if bad:
            raise BadValue(f"must be among {', '.join(allowed)}")
        return list(value)
    if not isinstance(value, str) or value not in allowed:
        raise BadValue(f"must be one of {', '.join(allowed)}")
    return value


def _array(prop, value, lenient):
    if not isinstance(value, list):
        raise BadValue("must be a list")
    item = prop.item_type or "shortText"
    if item == "number":
        return [_number(v, lenient) for v in value]
    if not all(isinstance(v, str) for v in value):
        raise BadValue("must be a list of strings")
    return list(value)


def coerce(prop, value, *, lenient: bool = False):
    """Returns `value` normalised for `prop`'s type; raises BadValue when it does not fit.

    None stays None (whether that is allowed is the caller's question).
    `lenient` accepts the strings an HTML form sends ("12", "on").
    """
    if value is None:
        return None
    t = prop.type
    if t in TEXT_TYPES:
        return _text(prop, value, lenient)
    if t == "number":
        return _number(value, lenient)
    if t == "date":
        if lenient and value == "":
            return None
        return _date(value)
    if t == "timestamp":
        if lenient and value == "":
            return None
        return _timestamp(value)
    if t == "checkbox":
        return _checkbox(value, lenient)
    if t == "enumerated":
        if lenient and value == "":
            return None
        return _enumerated(prop, value)
    if t == "array":
        return _array(prop, value, lenient)
    return value  # reference: stored as given


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def generic_mask(prop):
    """Returns the placeholder of a required property without a default (the document's list)."""
    t = prop.type
    if t in TEXT_TYPES:
        return ""
    if t == "number":
        return 0
    if t == "date":
        return EPOCH_DATE
    if t == "timestamp":
        return EPOCH_TIMESTAMP
    if t == "enumerated":
        values = enum_values(prop)
        first = values[0] if values else None
        return [first] if prop.multi_select and first is not None else ([] if prop.multi_select else first)
    if t == "checkbox":
        return False  # the document names no placeholder for checkboxes; false is the type's zero
    if t == "array":
        return []
    return None


def masking_value(prop):
    """Returns what a reader refused with `ignore` sees instead of the value.

    securityMaskingValue when set; else null when the property is not required;
    else its default when set; else the type's generic placeholder.
    """
    if prop.security_masking_value is not None:
        return prop.security_masking_value
    if not prop.required:
        return None
    if prop.default is not None:
        return prop.default
    return generic_mask(prop)
