"""Page forms of shopper data. They build fields from the viewer's AccessPlan and pass strings on;
services decide and check (with lenient parsing of form strings)."""

from django import forms

from accessadmin.errors import AppError
from accessadmin.models import AccessRight, Role

from .attributes import ACCESS_ATTRIBUTES, editable_attributes
from .masking import present
from .policies import ALLOWED, AccessPlan
from .values import TYPES, BadValue, coerce, enum_values

BOOL_CHOICES = [("true", "Yes"), ("false", "No")]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _level(value) -> str:
    """Returns the form's choice for a stored security level: "deny", or "" for ignore (the default)."""
    return "deny" if value == "deny" else ""


def apply_error(form: forms.Form, err: AppError) -> None:
    """Puts a service error on the fields it names ("lastName" or "lastName.readRole"), else on the form."""
    placed = False
    for key, messages in (err.fields or {}).items():
        name = key.split(".", 1)[1] if "." in key else key
        if name in form.fields:
            for m in messages:
                form.add_error(name, m)
            placed = True
    if not placed:
        form.add_error(None, err.message)


class ProfileForm(forms.Form):
    """One field per property the viewer is shown (hidden and reference properties have none).

    A field the viewer may not write is read-only and carries what it was shown
    (the value or the mask), so submitting the form sends it back unchanged —
    the case the document's write rule exempts from errors.
    """

    def __init__(self, *args, plan: AccessPlan, values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        shown_values = present(values, plan)
        for code, prop in plan.properties.items():
            entry = plan[code]
            if code not in shown_values or prop.type == "reference":
                continue
            shown = shown_values[code]
            writable = entry.write == ALLOWED
            help_text = "" if writable else f"Read-only for you. {entry.write_reason}"
            if writable and prop.type == "checkbox":
                field = forms.ChoiceField(choices=BOOL_CHOICES, required=False)
            elif writable and prop.type == "enumerated" and prop.multi_select:
                field = forms.MultipleChoiceField(choices=[(v["value"], v["label"]) for v in prop.values],
                                                  required=False, widget=forms.CheckboxSelectMultiple)
            elif writable and prop.type == "enumerated":
                field = forms.ChoiceField(choices=[("", "—")] + [(v["value"], v["label"]) for v in prop.values],
                                          required=False)
            elif writable and prop.type == "date":
                field = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
            elif prop.type == "longText" and writable:
                field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
            else:
                attrs = {} if writable else {"readonly": True, "aria-readonly": "true"}
                field = forms.CharField(required=False, widget=forms.TextInput(attrs=attrs))
                if prop.type == "array":
                    help_text = (help_text + " Separate items with commas.").strip()
            field.label = prop.label
            field.help_text = help_text
            if isinstance(shown, list) and prop.multi_select and writable:
                field.initial = shown
            elif isinstance(shown, bool) and not writable:
                field.initial = "Yes" if shown else "No"  # read-only text for people; parsed back leniently
            else:
                field.initial = _as_text(shown)
            self.fields[code] = field

    def values(self) -> dict:
        """Returns the submitted values by property id: "" becomes null, arrays are split on commas."""
        out = {}
        for code in self.fields:
            prop = self.plan.properties[code]
            value = self.cleaned_data.get(code)
            if prop.type == "array" and isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            elif prop.type == "enumerated" and prop.multi_select and isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            elif value == "":
                value = None
            out[code] = value
        return out


class PropertyForm(forms.Form):
    """The attributes of one property (field names are the API's attribute names)."""

    id = forms.RegexField(regex=r"^[A-Za-z][A-Za-z0-9_]{0,99}$", label="Id", max_length=100,
                          help_text="Letters, digits and _, starting with a letter. Cannot be changed later.")
    type = forms.ChoiceField(choices=[(t, t) for t in TYPES])
    itemType = forms.CharField(label="Item type", required=False,
                               help_text="Arrays: shortText or number. References: the type pointed to.")
    values = forms.CharField(label="Enumerated values", required=False, help_text="Comma-separated.")
    label = forms.CharField(max_length=200)
    required = forms.BooleanField(required=False)
    default = forms.CharField(required=False, help_text="Leave empty for none.")
    readRole = forms.ChoiceField(label="Read role", required=False)
    readAccessRight = forms.ChoiceField(label="Read access right", required=False)
    writeRole = forms.ChoiceField(label="Write role", required=False)
    writeAccessRight = forms.ChoiceField(label="Write access right", required=False)
    readSecurityLevel = forms.ChoiceField(label="When someone may not see it", required=False)
    writeSecurityLevel = forms.ChoiceField(label="When someone may not change it", required=False)
    securityMaskingValue = forms.CharField(label="Masking value", required=False,
                                           help_text="Shown instead of the value; must fit the type. "
                                                     "Empty: the default masking rule.")
    shopperReadable = forms.BooleanField(label="Shopper readable", required=False)
    shopperWriteable = forms.BooleanField(label="Shopper writeable", required=False)
    internalOnly = forms.BooleanField(label="Internal only", required=False)
    searchable = forms.BooleanField(required=False)
    pii = forms.BooleanField(label="Personal data (PII)", required=False,
                             help_text="Erased when the customer's personal data is deleted.")

    def __init__(self, *args, org, prop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prop = prop
        roles = [("", "— anyone —")] + [(r.code, f"{r.name} ({r.code})")
                                         for r in Role.objects.filter(org=org).order_by("name")]
        rights = [("", "— anyone —")] + [(a.code, f"{a.code} · {a.name}")
                                          for a in AccessRight.objects.for_org(org).order_by("type", "code")]
        self.fields["readRole"].choices = self.fields["writeRole"].choices = roles
        self.fields["readAccessRight"].choices = self.fields["writeAccessRight"].choices = rights
        custom = prop is None or not prop.builtin
        # One option per behaviour: "" is `ignore`, the default (stored as null, read back as ignore).
        read_levels = [("", "They see a placeholder (the masking value) — default")]
        write_levels = [("", "Their change is not saved, without an error — default")]
        if custom:
            read_levels.append(("deny", "The property is hidden from them"))
            write_levels.append(("deny", "Their change is refused with an error"))
        self.fields["readSecurityLevel"].choices = read_levels
        self.fields["writeSecurityLevel"].choices = write_levels
        if prop is not None:
            for name in ("id", "type", "itemType"):
                del self.fields[name]
            editable = set(editable_attributes(prop))
            for name in list(self.fields):
                if name not in editable and name != "values":
                    del self.fields[name]
            if "values" not in editable:
                del self.fields["values"]
            if prop.type == "reference":
                for name in ACCESS_ATTRIBUTES:
                    self.fields.pop(name, None)

    @classmethod
    def initial_for(cls, prop) -> dict:
        return {
            "label": prop.label, "required": prop.required, "default": _as_text(prop.default),
            "readRole": prop.read_role or "", "writeRole": prop.write_role or "",
            "readAccessRight": prop.read_access_right or "", "writeAccessRight": prop.write_access_right or "",
            "readSecurityLevel": _level(prop.read_security_level),
            "writeSecurityLevel": _level(prop.write_security_level),
            "securityMaskingValue": _as_text(prop.security_masking_value),
            "shopperReadable": prop.shopper_readable, "shopperWriteable": prop.shopper_writeable,
            "internalOnly": prop.internal_only, "searchable": prop.searchable, "pii": prop.pii,
            "values": ", ".join(enum_values(prop)),
        }

    def attributes(self) -> dict:
        """Returns the submitted attributes for services.shopper_type_update (typed values where the
        form string parses for the property's type; otherwise the string, for the service to reject)."""
        data = dict(self.cleaned_data)
        data.pop("id", None)
        if self.prop is None:
            if data.get("type") != "enumerated":
                data.pop("values", None)
            if not data.get("itemType"):
                data.pop("itemType", None)
        if "values" in data:
            data["values"] = [v.strip() for v in (data["values"] or "").split(",") if v.strip()]
        probe = self._probe()
        for name in ("default", "securityMaskingValue"):
            if name in data:
                raw = data[name]
                if raw in ("", None):
                    data[name] = None
                elif probe is not None:
                    try:
                        data[name] = coerce(probe, [v.strip() for v in raw.split(",")] if probe.type == "array"
                                            else raw, lenient=True)
                    except BadValue:
                        data[name] = raw
        for name in ("readRole", "writeRole", "readAccessRight", "writeAccessRight", "readSecurityLevel",
                     "writeSecurityLevel", "itemType"):
            if name in data and data[name] == "":
                data[name] = None
        return data

    def _probe(self):
        """A stand-in property with the submitted type and values, to parse default and mask strings."""
        from .models import PropertyDefinition

        if self.prop is not None:
            probe = PropertyDefinition(type=self.prop.type, item_type=self.prop.item_type, values=self.prop.values,
                                       multi_select=self.prop.multi_select, length=self.prop.length)
            if "values" in self.cleaned_data and self.cleaned_data.get("values"):
                probe.values = [{"value": v.strip(), "label": v.strip()}
                                for v in self.cleaned_data["values"].split(",") if v.strip()]
            return probe
        type_ = self.cleaned_data.get("type")
        if not type_:
            return None
        values = [{"value": v.strip(), "label": v.strip()}
                  for v in (self.cleaned_data.get("values") or "").split(",") if v.strip()]
        return PropertyDefinition(type=type_, item_type=self.cleaned_data.get("itemType") or None, values=values)
