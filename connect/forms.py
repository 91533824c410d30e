"""Page forms of Connect+. They check shape only; connect.services_admin decides and writes.

Secrets are write-only here too: password inputs never render a value, and an empty secret field on
an edit form keeps what is stored.
"""

from django import forms

from accessadmin.errors import AppError

from . import flow_templates as ft
from .models import SftpConnection

SECRET_WIDGET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})


def apply_error(form: forms.Form, err: AppError) -> None:
    """Puts a service error on the form's fields it names ("source.pattern" is field source__pattern),
    else on the form."""
    placed = False
    for name, messages in (err.fields or {}).items():
        field = name.replace(".", "__")
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, err.message)


class ConnectionForm(forms.Form):
    name = forms.CharField(max_length=200)
    host = forms.CharField(max_length=255, help_text="A host name or address.")
    port = forms.IntegerField(min_value=1, max_value=65535, initial=22)
    host_key = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
                               help_text="The server's public key (ssh-ed25519 AAAA…) or a known_hosts line. "
                                         "Fetch it, then compare its fingerprint with the one the server's "
                                         "operator gives you.")
    username = forms.CharField(max_length=200)
    password = forms.CharField(required=False, max_length=1000, widget=SECRET_WIDGET, strip=False)
    private_key = forms.CharField(required=False, max_length=30000, strip=False,
                                  widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false",
                                                               "autocomplete": "off"}),
                                  help_text="OpenSSH or PEM. Instead of, or as well as, a password.")
    passphrase = forms.CharField(required=False, max_length=1000, widget=SECRET_WIDGET, strip=False,
                                 help_text="Only when the private key has one.")
    base_path = forms.CharField(required=False, max_length=1000, help_text="The directory paths start from.")

    def __init__(self, *args, connection: SftpConnection | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connection = connection
        if connection is not None:
            self.fields["password"].help_text = ("Stored; leave empty to keep it." if connection.has_password
                                                 else "None stored.")
            self.fields["private_key"].help_text = ("Stored; leave empty to keep it." if connection.has_private_key
                                                    else "None stored. OpenSSH or PEM.")
            self.fields["passphrase"].help_text = "Leave empty to keep the stored one."
            self.fields["remove_password"] = forms.BooleanField(required=False, label="Remove the stored password")
            self.fields["remove_private_key"] = forms.BooleanField(required=False,
                                                                   label="Remove the stored private key")

    def changes(self) -> dict:
        """Returns the fields for connection_create/connection_update: on an edit, empty secrets are left
        out (kept) unless a "remove" box is ticked."""
        data = {k: self.cleaned_data[k] for k in ("name", "host", "port", "username", "host_key", "base_path")}
        for secret in ("password", "private_key", "passphrase"):
            value = self.cleaned_data[secret]
            if value or self.connection is None:
                data[secret] = value
        if self.connection is not None:
            if self.cleaned_data.get("remove_password"):
                data["password"] = ""
            if self.cleaned_data.get("remove_private_key"):
                data["private_key"] = ""
        return data


class KeyForm(forms.Form):
    name = forms.CharField(max_length=200)
    armored = forms.CharField(required=False, max_length=200_000, strip=False, label="Armored key",
                              widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
                              help_text="Paste a public key, or a private key to decrypt with "
                                        "(-----BEGIN PGP … KEY BLOCK-----).")
    file = forms.FileField(required=False, label="Or upload the key file (.asc)")
    passphrase = forms.CharField(required=False, max_length=1000, widget=SECRET_WIDGET, strip=False,
                                 help_text="Only for a private key protected by one.")

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > 200_000:
                raise forms.ValidationError("The key file is larger than a key can be.")
            try:
                data["armored"] = upload.read().decode()
            except UnicodeDecodeError:
                self.add_error("file", "Upload the ASCII-armored key (.asc), not a binary one.")
        elif not data.get("armored"):
            self.add_error("armored", "Paste the key or upload its file.")
        return data


# --- dataflows: a form built from the template's field schema -----------------------------------------------

def _field_name(section: ft.Section, field: ft.Field) -> str:
    return f"{section.name}__{field.name}" if section.name else field.name


def _enabled_name(section: ft.Section) -> str:
    return f"{section.name}__enabled"


class DataflowForm(forms.Form):
    """The common fields of every dataflow, then one fieldset per section of `template`."""

    name = forms.CharField(max_length=200)
    schedule = forms.CharField(required=False, max_length=100, label="Schedule (cron, UTC)",
                               help_text="Five fields: minute hour day month weekday, e.g. 30 2 * * 1-5. "
                                         "Leave empty to run only on demand.")
    active = forms.BooleanField(required=False, initial=True, label="Active (runs on its schedule)")

    def __init__(self, *args, template: ft.FlowTemplate, connections, keys, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.sections = []
        for section in template.sections:
            names = []
            if section.nullable:
                name = _enabled_name(section)
                self.fields[name] = forms.BooleanField(required=False, label=f"{section.label} the files",
                                                       help_text=section.help)
                names.append(name)
            for field in section.fields:
                name = _field_name(section, field)
                self.fields[name] = self._form_field(field, connections, keys,
                                                     required=field.required and not section.nullable)
                names.append(name)
            self.sections.append({"section": section, "names": names})

    @staticmethod
    def _form_field(field: ft.Field, connections, keys, *, required: bool) -> forms.Field:
        common = {"label": field.label, "help_text": field.help, "required": required}
        if field.type == ft.CONNECTION:
            return forms.ModelChoiceField(queryset=connections, **common)
        if field.type == ft.PGP_KEY:
            usable = keys.filter(can_decrypt=True) if field.key_use == "decrypt" else keys.filter(can_encrypt=True)
            return forms.ModelChoiceField(queryset=usable, **common)
        if field.type == ft.BOOLEAN:
            return forms.BooleanField(initial=field.default, **{**common, "required": False})
        if field.type == ft.CHOICE:
            return forms.ChoiceField(choices=field.choices, initial=field.default, **common)
        return forms.CharField(max_length=1000, initial=field.default, strip=field.type != ft.REGEX,
                               **{**common, "required": required})

    def bound_sections(self):
        """Returns [(section, [bound fields])] for the template to draw one fieldset per section."""
        return [(s["section"], [self[name] for name in s["names"]]) for s in self.sections]

    def clean(self):
        data = super().clean()
        for entry in self.sections:
            section = entry["section"]
            if section.nullable and data.get(_enabled_name(section)):
                for field in section.fields:
                    name = _field_name(section, field)
                    if field.required and not data.get(name) and name not in self.errors:
                        self.add_error(name, f"Required to {section.label.lower()}.")
        return data

    def to_data(self) -> dict:
        """Returns the cleaned input in the shape of the API's DataflowInput (ids for references)."""
        data = {"name": self.cleaned_data["name"], "template": self.template.id,
                "schedule": self.cleaned_data["schedule"] or None, "active": self.cleaned_data["active"]}
        for entry in self.sections:
            section = entry["section"]
            values = {}
            for field in section.fields:
                value = self.cleaned_data.get(_field_name(section, field))
                if field.type in (ft.CONNECTION, ft.PGP_KEY):
                    value = value.pk if value is not None else None
                elif value is None:
                    value = field.default
                values[field.name] = value
            if not section.name:
                data.update(values)
            elif section.nullable and not self.cleaned_data.get(_enabled_name(section)):
                data[section.name] = None
            else:
                data[section.name] = values
        return data

    @staticmethod
    def initial_from(state: dict, template: ft.FlowTemplate) -> dict:
        """Returns form initial values from services_admin.dataflow_state() of a dataflow."""
        initial = {"name": state["name"], "schedule": state["schedule"] or "", "active": state["active"]}
        for section in template.sections:
            values = state if not section.name else state.get(section.name)
            if section.nullable:
                initial[_enabled_name(section)] = values is not None
            for field in section.fields:
                if values is not None and field.name in values:
                    initial[_field_name(section, field)] = values[field.name]
        return initial

