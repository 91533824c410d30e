"""The project's request parsers (DRF's defaults): bodies within the limits of accessadmin.limits.

JSON deeper than JSON_MAX_DEPTH answers 400 `too_deep` (never a RecursionError), and a NUL character in
any text, JSON keys included, answers 400 `invalid_characters` before the view runs: PostgreSQL cannot
store NUL in text, and no field of the product means one. The API error middleware uses the same
check for paths, query strings and POSTed forms.
"""

from rest_framework import parsers

from ..errors import CoreErrorCode, InvalidInput
from ..limits import JSON_MAX_DEPTH

NUL = "\x00"


def nul_error(field: str | None = None) -> InvalidInput:
    fields = {field: ["Must not contain NUL characters."]} if field else None
    return InvalidInput("Text must not contain NUL characters.", code=CoreErrorCode.INVALID_CHARACTERS, fields=fields)


def too_deep_error() -> InvalidInput:
    return InvalidInput(f"JSON is nested deeper than {JSON_MAX_DEPTH} levels.", code=CoreErrorCode.TOO_DEEP)


def without_nul(querydict) -> bool:
    """Returns whether no key and no value of a QueryDict (query string, form) holds a NUL character."""
    return not any(NUL in key or any(NUL in value for value in values if isinstance(value, str))
                   for key, values in querydict.lists())


def check_json(data) -> None:
    """Raises too_deep when containers nest deeper than JSON_MAX_DEPTH, invalid_characters when a key or a
    string holds a NUL character (naming the top-level field it is in)."""
    pending = [(data, 1, None)]
    while pending:
        value, depth, field = pending.pop()
        if isinstance(value, dict):
            if depth > JSON_MAX_DEPTH:
                raise too_deep_error()
            for key, item in value.items():
                if NUL in key:
                    raise nul_error(field)
                pending.append((item, depth + 1, field or key))
        elif isinstance(value, list):
            if depth > JSON_MAX_DEPTH:
                raise too_deep_error()
            pending.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and NUL in value:
            raise nul_error(field)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The decoder recurses once per level, so a deep enough document ends it before check_json can.
            raise too_deep_error() from None
        check_json(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not without_nul(data):
            raise nul_error()
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        if not without_nul(result.data):
            raise nul_error()
        return result
