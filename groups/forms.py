"""Page forms of access groups. Cells come from checkboxes named cell:<resource>:<api>:<permission>."""

from django import forms

from accessadmin.widgets import SearchModelChoiceField

from . import cells as cellsmod


class GroupForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.resources = resources

    def grants(self) -> frozenset:
        return cellsmod.from_form(self.data.keys(), (r.key for r in self.resources))


class DefaultGroupForm(forms.Form):
    # Searched as you type: an org may have 10,000 groups, so the page never lists them.
    access_group = SearchModelChoiceField(queryset=None, url_name="groups:choices", url_query="active=1",
                                          label="Default group", placeholder="Type part of a group's name")

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_group"].queryset = groups


class DeactivateForm(forms.Form):
    """The confirmation of a deactivation; a group with stores names where they go (required then)."""

    move_to = SearchModelChoiceField(queryset=None, required=False, label="Move its stores to",
                                     url_name="groups:choices", url_query="active=1",
                                     placeholder="Type part of a group's name")

    def __init__(self, *args, groups, store_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].queryset = groups
        self.fields["move_to"].required = store_count > 0
        if not store_count:
            del self.fields["move_to"]
