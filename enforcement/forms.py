"""Page input of the org's enforcement settings and usage suggestions. Forms only parse; the services
decide and write."""

from django import forms

from accessadmin.models import Org


class EnforcementForm(forms.Form):
    basic_auth_enabled = forms.BooleanField(required=False, label="Tills may authenticate with HTTP Basic")
    basic_auth_for_new_tills = forms.BooleanField(
        required=False, label="New tills get a Basic secret",
        help_text="Off: new tills get OAuth2 client credentials only (existing tills keep theirs).")
    enforcement_mode = forms.ChoiceField(
        choices=Org.EnforcementMode.choices, widget=forms.RadioSelect,
        help_text="Report only: requests a group does not allow still pass, and are logged as “would deny”.")


class SuggestGroupForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name of the new group")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    allocate = forms.BooleanField(required=False, label="Allocate the store to the new group")
