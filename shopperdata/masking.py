"""The one read function and the one write check of profile properties.

Every path that shows property values to someone (API, pages, explainer)
calls `present()`; every path that changes them calls `check_writes()`. The
decisions themselves come from policies.AccessPlan.
"""

from accessadmin.api.fields import casing_hint
from accessadmin.errors import Forbidden, InvalidInput

from .errors import Code
from .policies import ALLOWED, DENIED, AccessPlan
from .values import BadValue, coerce

_NOTHING = object()  # "the caller was shown nothing" (hidden property)


def present(values: dict, plan: AccessPlan) -> dict:
    """Returns the property values `plan`'s viewer may see, in property order.

    visible → the value (None when unset); masked → the masking value;
    hidden → the key is left out. Pages, the Admin API, the explainer, the
    write check (what the caller "was shown") and the export all call this.
    """
    get = values.get
    return {code: get(code) if visible else mask for code, visible, mask in plan.read_rules}


def _same(prop, submitted, shown) -> bool:
    if shown is _NOTHING:
        return False
    if submitted == shown and isinstance(submitted, bool) == isinstance(shown, bool):
        return True
    try:
        return coerce(prop, submitted, lenient=True) == coerce(prop, shown, lenient=True)
    except BadValue:
        return False


def check_writes(*, plan: AccessPlan, current: dict, submitted: dict, lenient: bool = False) -> tuple[dict, list]:
    """Returns (changes, ignored): the normalised values to store, and the ids whose change was dropped.

    For each submitted property:
    - equal to what the caller was shown (current value, or the mask) → no change, never an error
      (a form sends back everything it was filled with);
    - write allowed → checked against the type (InvalidInput on a bad value) and kept when it differs;
    - write refused with `ignore` → dropped silently (listed in `ignored`);
    - write refused with `deny` → Forbidden (403, property_write_denied) naming every such property.
    Raises before anything is written, so a refused request changes nothing.
    """
    changes, ignored, denied, bad = {}, [], [], {}
    shown = present(current, plan)  # what the caller was shown: the same function as every read path
    for code, raw in submitted.items():
        if code not in plan:
            hint = casing_hint(code, plan.properties)
            raise InvalidInput(f"Unknown property: {code}" + (f" (did you mean {hint}?)." if hint else "."),
                               code=Code.UNKNOWN_PROPERTY,
                               fields={code: [f"No such property; it is spelled {hint}." if hint
                                              else "No such property."]})
        prop = plan.properties[code]
        entry = plan[code]
        if _same(prop, raw, shown.get(code, _NOTHING)):
            continue
        if entry.write == ALLOWED:
            if prop.type == "reference" and raw is not None and not isinstance(raw, (dict, list, str)):
                bad[code] = ["must be an object, a list or an id"]
                continue
            try:
                value = coerce(prop, raw, lenient=lenient)
            except BadValue as e:
                bad[code] = [str(e)]
                continue
            if value != current.get(code):
                changes[code] = value
        elif entry.write == DENIED:
            denied.append(code)
        else:
            ignored.append(code)
    if denied:
        raise Forbidden(f"You may not change: {', '.join(denied)}.", code=Code.PROPERTY_WRITE_DENIED,
                        fields={c: ["You may not change this property."] for c in denied})
    if bad:
        first = next(iter(bad))
        raise InvalidInput(f"{first}: {bad[first][0]}.", code=Code.INVALID_PROPERTY_VALUE, fields=bad)
    return changes, ignored


