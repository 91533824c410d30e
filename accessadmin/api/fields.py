"""The base of every API input serializer: unknown keys and wrong JSON types are refused before a field is read.

Every input serializer of `/api/v1`, `/ccadmin/v1` and the till API derives from `Input`:

- a key that names no field is refused with 400 `unknown_field`, naming it; when the key is one of the
  serializer's fields in another casing (`firstName` where the surface spells `first_name`), the message
  names the right spelling. `/api/v1` and the till API spell fields in snake_case, `/ccadmin/v1` in camelCase.
- in a JSON body each value must already have the JSON type its field reads: a string for text (DRF's
  CharField would turn 12 into "12"), an integer for whole numbers (never true, 1.0, 1.9 or "12"), true or
  false for flags, a list for lists, an object for nested objects. null passes only where the field allows it,
  and whole numbers beyond `limits.BIGINT_MAX` fit no column and are refused.

Form bodies carry nothing but strings, so for them DRF's own conversion (which also refuses "1.9" for a
whole number) is the rule.
"""

from collections.abc import Mapping

from django.http import QueryDict
from rest_framework import serializers

from .. import limits
from ..errors import CoreErrorCode, InvalidInput

UNKNOWN_FIELD = CoreErrorCode.UNKNOWN_FIELD
FORM_CSRF_FIELD = "csrfmiddlewaretoken"  # a form body of a signed-in browser carries Django's CSRF token


def _folded(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def casing_hint(key, names) -> str | None:
    """Returns the name among `names` that `key` spells in another casing (first_name for firstName), if any."""
    if not isinstance(key, str):
        return None
    folded = _folded(key)
    return next((n for n in names if n != key and _folded(n) == folded), None)


def model_max_length(model, field: str) -> int:
    """Returns the max_length of `model`'s `field`: input limits are read from the column, never copied."""
    return model._meta.get_field(field).max_length


def _json_type_error(field, value) -> str | None:
    """Returns why `value` (parsed JSON) cannot be read by `field`, or None when its type fits."""
    if value is None:
        return None  # the field's own allow_null decides
    if isinstance(field, serializers.ListSerializer):
        return None if isinstance(value, list) else "Expected a list."
    if isinstance(field, serializers.Serializer | serializers.DictField):
        return None if isinstance(value, dict) else "Expected an object."
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Expected true or false."
    if isinstance(field, serializers.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            return "Expected a whole number."
        if abs(value) > limits.BIGINT_MAX:
            return f"Expected a whole number of at most {limits.BIGINT_MAX}."
        return None
    if isinstance(field, serializers.DecimalField | serializers.FloatField):
        ok = isinstance(value, int | float | str) and not isinstance(value, bool)
        return None if ok else "Expected a number."
    if isinstance(field, serializers.CharField | serializers.ChoiceField) and \
            not isinstance(field, serializers.MultipleChoiceField):
        return None if isinstance(value, str) else "Expected a string."
    if isinstance(field, serializers.ListField | serializers.MultipleChoiceField):
        if not isinstance(value, list):
            return "Expected a list."
        child = getattr(field, "child", None)
        for i, item in enumerate(value):
            problem = _json_type_error(child, item) if child is not None else None
            if problem is None and item is None and child is not None and not child.allow_null:
                problem = "Expected a value, not null."
            if problem:
                return f"Item {i + 1}: {problem[0].lower()}{problem[1:]}"
        return None
    return None  # JSONField and custom fields check their own input


class Input(serializers.Serializer):
    """Base of input serializers: refuses unknown keys (400 unknown_field) and JSON values of the wrong type.

    `echoed_fields` are read-only keys of the resource's own representation that clients send back
    unchanged (a PUT of what a GET returned); they are accepted and ignored.
    """

    echoed_fields: frozenset = frozenset()

    def _path(self) -> str:
        names, node = [], self
        while node is not None:
            if node.field_name:
                names.append(node.field_name)
            node = node.parent
        return ".".join(reversed(names))

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF refuses it: "Expected a dictionary"
        unknown = [k for k in data if k not in self.fields and k not in self.echoed_fields
                   and not (k == FORM_CSRF_FIELD and isinstance(data, QueryDict))]
        if unknown:
            self._refuse_unknown(unknown)
        if not isinstance(data, QueryDict):
            problems = {}
            for name, field in self.fields.items():
                if name in data and not field.read_only:
                    problem = _json_type_error(field, data[name])
                    if problem:
                        problems[name] = [problem]
            if problems:
                raise serializers.ValidationError(problems)
        if self.echoed_fields & set(data):
            data = {k: v for k, v in data.items() if k not in self.echoed_fields}
        return super().to_internal_value(data)

    def _refuse_unknown(self, unknown: list) -> None:
        prefix = self._path()
        fields, described = {}, []
        for key in unknown:
            hint = casing_hint(key, self.fields)
            name = f"{prefix}.{key}" if prefix else str(key)
            fields[name] = [f"Unknown field; this API spells it {hint}." if hint else "Unknown field."]
            described.append(f"{name} (did you mean {hint}?)" if hint else name)
        noun = "field" if len(unknown) == 1 else "fields"
        raise InvalidInput(f"Unknown {noun}: {', '.join(described)}.", code=UNKNOWN_FIELD, fields=fields)
