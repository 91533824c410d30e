"""Page forms of the privacy app; they pass input on to the services."""

from django import forms

from .models import WAITING_PERIOD_MAX_DAYS


class SettingsForm(forms.Form):
    deletion_enabled = forms.BooleanField(label="PII deletion enabled", required=False)
    waiting_period_days = forms.IntegerField(label="Waiting period (days)", min_value=0,
                                             max_value=WAITING_PERIOD_MAX_DAYS,
                                             help_text="Days between approval and erasure; 0 erases the same day.")
    approval_required = forms.BooleanField(label="Approval required", required=False,
                                           help_text="A second person approves each request (maker-checker).")
