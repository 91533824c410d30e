"""The usage log's filters: how many days back, the outcome and one store."""

from django import forms
from django.core.validators import RegexValidator

OUTCOMES = [("", "Any outcome"), ("allowed", "Allowed"), ("denied", "Denied"), ("would_deny", "Would deny")]


class UsageFilterForm(forms.Form):
    days = forms.IntegerField(required=False, min_value=1, max_value=365, label="Days",
                              widget=forms.NumberInput(attrs={"placeholder": "30 days"}))
    outcome = forms.ChoiceField(required=False, choices=OUTCOMES, label="Outcome")
    store = forms.CharField(required=False, max_length=100, strip=True, label="Store",
                            validators=[RegexValidator(r"^[^/]*$", "A store code has no slash.")],
                            widget=forms.TextInput(attrs={"placeholder": "Store code"}))
