"""Filters of the store list page (the API keeps its own FilterSet in stores/api)."""

from django import forms

from accessadmin.lists import SearchForm


class StoreFilterForm(forms.Form):
    """Search and access group of the store list; `group` is a group id or "none" (stores on the default)."""

    q = forms.CharField(required=False, label="Search", max_length=200, strip=True,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search code, name or city"}))
    group = forms.ChoiceField(required=False, label="Access group")

    def __init__(self, data, *, groups, default):
        super().__init__(data)
        self.fields["group"].choices = [
            ("", "Any access group"), ("none", f"No group (default: {default.name})"),
            *((str(g.pk), g.name + ("" if g.is_active else " (inactive)")) for g in groups)]


class TillFilterForm(SearchForm):
    """Search, and the store whose tills are shown (set by the store links; a chip removes it)."""

    store = forms.CharField(required=False, label="Store", max_length=100, strip=True, widget=forms.HiddenInput)
