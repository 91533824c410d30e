"""Page input of tills, API clients, enforcement settings and usage suggestions. Forms only parse;
the services decide and write."""

from django import forms

from accessadmin.models import Org
from groups.selectors import active_groups
from stores.policies import stores_visible


class TillCreateForm(forms.Form):
    store = forms.ModelChoiceField(queryset=None, to_field_name="code", empty_label=None)
    code = forms.CharField(max_length=100, required=False,
                           help_text="Leave empty for the next free code, e.g. <store>-t3. Codes are the Basic "
                                     "auth user name and unique across organizations.")

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores_visible(user, org).order_by("code")


class ApiClientForm(forms.Form):
    name = forms.CharField(max_length=100)
    access_group = forms.ModelChoiceField(queryset=None, empty_label=None,
                                          help_text="What the client may do: the cells of this group.")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_group"].queryset = active_groups(org=org)


class EnforcementForm(forms.Form):
    basic_auth_enabled = forms.BooleanField(required=False, label="Tills may authenticate with HTTP Basic")
    enforcement_mode = forms.ChoiceField(
        choices=Org.EnforcementMode.choices, widget=forms.RadioSelect,
        help_text="Report only: requests a group does not allow still pass, and are logged as “would deny”.")


class SuggestGroupForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name of the new group")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    allocate = forms.BooleanField(required=False, label="Allocate the store to the new group")
