"""Page input of rollout plans. Forms only parse; the services decide and write."""

from django import forms

from .services import DAYS_MAX, DAYS_MIN


class PlanForm(forms.Form):
    days = forms.IntegerField(min_value=DAYS_MIN, max_value=DAYS_MAX, initial=30,
                              label="Plan from the usage of the last … days")


class RenameForm(forms.Form):
    key = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=100, label="Name")
