"""Filters of the store list page (the API keeps its own FilterSet in stores/api)."""

from django import forms

from accessadmin.lists import SearchForm
from accessadmin.widgets import SearchModelChoiceField


class StoreFilterForm(forms.Form):
    """Search and access group of the store list; `group` is a group id or "none" (stores on the default)."""

    q = forms.CharField(required=False, label="Search", max_length=200, strip=True,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search code, name or city"}))
    group = SearchModelChoiceField(queryset=None, required=False, label="Access group", url_name="groups:choices",
                                   placeholder="Any access group: type to search", submit_on_choose=True)

    def __init__(self, data, *, groups, default):
        """`groups`: a queryset of the groups the org sees (searched as the user types, never listed)."""
        super().__init__(data)
        field = self.fields["group"]
        field.queryset = groups
        field.extras = {"none": f"No group (default: {default.name})"}
        field.widget.extras = list(field.extras.items())

    def group_param(self) -> str:
        """Returns the chosen group as store_list() takes it: its id, "none" or "" (any)."""
        value = self.cleaned_data.get("group") if hasattr(self, "cleaned_data") else None
        if value is None or value == "":
            return ""
        return "none" if value == "none" else str(value.pk)


class TillFilterForm(SearchForm):
    """Search, and the store whose tills are shown (set by the store links; a chip removes it)."""

    store = forms.CharField(required=False, label="Store", max_length=100, strip=True, widget=forms.HiddenInput)
