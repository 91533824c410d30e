"""Page input of stores, tills, API clients and allocation. Forms only parse; the services decide and write."""

from django import forms

from accessadmin.widgets import SearchModelChoiceField
from groups import selectors as group_selectors

from .policies import stores_visible


class StoreForm(forms.Form):
    code = forms.CharField(max_length=50, help_text="Unique in your organization; cannot be changed later.")
    name = forms.CharField(max_length=200)
    city = forms.CharField(max_length=100, required=False)
    # Searched as you type (an org may have 10,000 groups); left empty, the store uses the default group.
    access_group = SearchModelChoiceField(queryset=None, required=False, label="Access group",
                                          url_name="groups:choices", url_query="active=1",
                                          placeholder="Type part of a group's name; empty: the default group")

    def __init__(self, *args, groups, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_group"].queryset = groups
        if editing:
            del self.fields["code"]


class ManagerForm(forms.Form):
    user = forms.CharField(max_length=150, label="Username")


class StoreCodesForm(forms.Form):
    stores = forms.MultipleChoiceField(required=True, error_messages={"required": "Select at least one store."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any submitted code is a candidate; the service refuses codes that are not the actor's stores.
        self.fields["stores"].choices = [(c, c) for c in self.data.getlist("stores")] if self.data else []


class TillCreateForm(forms.Form):
    # Searched as you type (an org may have 100,000 stores); the value is the store's code.
    store = SearchModelChoiceField(queryset=None, url_name="stores:choices", to_field_name="code", name_field="code",
                                   placeholder="Type part of a store's code or name")
    code = forms.CharField(max_length=100, required=False,
                           help_text="Leave empty for the next free code, e.g. <store>-t3. Codes are the Basic "
                                     "auth user name and unique across organizations.")

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].queryset = stores_visible(user, org).order_by("code")


class ApiClientForm(forms.Form):
    name = forms.CharField(max_length=100)
    access_group = SearchModelChoiceField(queryset=None, url_name="groups:choices", url_query="active=1",
                                          placeholder="Type part of a group's name",
                                          help_text="What the client may do: the cells of this group.")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_group"].queryset = group_selectors.active_groups(org=org)


class AllocateTargetForm(forms.Form):
    """The group the store list's bulk allocation sends the ticked stores to: an active group of the org,
    searched as the user types (an org may have 10,000)."""

    group = SearchModelChoiceField(queryset=None, url_name="groups:choices", url_query="active=1",
                                   label="Allocate selected stores to", placeholder="Type part of a group's name")

    def __init__(self, *args, groups, **kwargs):
        kwargs.setdefault("auto_id", "bulk_%s")  # the filter bar above has its own group field (id_group)
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
