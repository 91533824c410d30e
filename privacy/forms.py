"""Page forms of the privacy app; they pass input on to the services."""

from django import forms

from .models import COMMENTS_MAX_LENGTH, WAITING_PERIOD_MAX_DAYS, Status


class SettingsForm(forms.Form):
    deletion_enabled = forms.BooleanField(label="PII deletion enabled", required=False)
    waiting_period_days = forms.IntegerField(label="Waiting period (days)", min_value=0,
                                             max_value=WAITING_PERIOD_MAX_DAYS,
                                             help_text="Days between approval and erasure; 0 erases the same day.")
    approval_required = forms.BooleanField(label="Approval required", required=False,
                                           help_text="A second person approves each request (maker-checker).")


class RequestForm(forms.Form):
    comments = forms.CharField(label="Comments", required=False, max_length=COMMENTS_MAX_LENGTH,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="Why and how the customer asked (kept with the request; no personal data).")
    confirm = forms.BooleanField(label="I have checked that this is the customer who asked", required=True)


class RejectForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=COMMENTS_MAX_LENGTH, widget=forms.TextInput())


class BulkForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns identifierType,identifierValue,comments; "
                                                       "at most 100,000 rows.")


class RequestFilterForm(forms.Form):
    """The requests list's filters (checked again by filters.request_filters, shared with the API)."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any")] + list(Status.choices))
    created_from = forms.DateField(label="Raised from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label="Raised to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    customer = forms.IntegerField(label="Customer id", required=False, min_value=1)
