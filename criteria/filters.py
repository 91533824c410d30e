"""The security criteria list's filters."""

from django import forms

from accessadmin.lists import SearchForm

from .resources import RESOURCES


class CriterionFilterForm(SearchForm):
    resource = forms.ChoiceField(required=False, label="Resource",
                                 choices=[("", "All resources"), *((r.id, r.name) for r in RESOURCES.values())])
