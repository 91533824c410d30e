"""Page forms of this app. They check shape only; services decide and write."""

import re

from django import forms

from accessadmin.models import Role

from .models import SecurityCriterion
from .resources import RESOURCES, Resource
from .selectors import ASSET_MODELS


class AssetForm(forms.Form):
    code = forms.CharField(label="Id", max_length=100, help_text="Cannot be changed later.")
    display_name = forms.CharField(label="Display name", max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, editing=False, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        if read_only:
            for f in self.fields.values():
                f.disabled = True


class PriceGroupForm(AssetForm):
    currency = forms.CharField(max_length=3, initial="USD", help_text="ISO 4217 code, e.g. USD.")


def split_ids(text: str) -> list[str]:
    return [v for v in re.split(r"[\s,]+", text or "") if v]


class CriterionForm(forms.Form):
    code = forms.CharField(label="Id", max_length=100, required=False,
                           help_text="Leave empty to derive it from the name. Cannot be changed later.")
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    constraint_type = forms.ChoiceField(
        label="Constraint type", choices=SecurityCriterion.ConstraintType.choices, widget=forms.RadioSelect,
        help_text="grant: only the named items may be changed; deny: the named items may not; "
                  "grantNone: nothing may be changed unless another role grants it.")
    values = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    other_values = forms.CharField(label="Other ids", required=False,
                                   help_text="Ids of items that do not exist yet, separated by commas or spaces.")
    roles = forms.ModelMultipleChoiceField(queryset=Role.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple, to_field_name="code",
                                           label="Roles holding this criterion")

    def __init__(self, *args, org, resource: Resource, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        info = RESOURCES[resource]
        model = ASSET_MODELS[resource]
        self.fields["values"].label = info.config_display_name
        self.fields["values"].choices = [(a.code, f"{a.display_name} ({a.code})")
                                         for a in model.objects.filter(org=org).order_by("code")]
        self.fields["roles"].queryset = Role.objects.filter(org=org).order_by("name")
        if editing:
            del self.fields["code"]
            del self.fields["constraint_type"]

    def all_values(self) -> list[str]:
        return list(dict.fromkeys(self.cleaned_data["values"] + split_ids(self.cleaned_data["other_values"])))


class ExplainForm(forms.Form):
    user = forms.ChoiceField(label="User")
    action = forms.ChoiceField(choices=[("update", "update"), ("delete", "delete"), ("create", "create")])

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(u.username, u.username) for u in users]
