"""The audit log's filter form: person, action, kind of object and a date range, all in people's words."""

import datetime

from django import forms
from django.utils import timezone

from . import registry


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(queryset=None, required=False, label="Person", empty_label="Anyone")
    action = forms.ChoiceField(required=False, label="Action")
    type = forms.ChoiceField(required=False, label="Object")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, people, actions: list[str]):
        super().__init__(data)
        self.fields["actor"].queryset = people
        self.fields["actor"].label_from_instance = lambda user: user.username
        labelled = sorted(((a, registry.audit_action_label(a)) for a in actions), key=lambda c: c[1].lower())
        self.fields["action"].choices = [("", "Any action"), *labelled]
        self.fields["type"].choices = [("", "Any object"),
                                       *((t.target_type, t.label) for t in registry.audit_types())]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """Returns (since, until) in the current time zone; `until` is the midnight after the end date."""
        def midnight(day):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return (midnight(start) if start else None,
                midnight(end + datetime.timedelta(days=1)) if end else None)
