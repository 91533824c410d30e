"""Page forms of access groups. Cells come from checkboxes named cell:<resource>:<api>:<permission>."""

from django import forms

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
    access_group = forms.ModelChoiceField(queryset=None, empty_label=None, label="Default group")

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_group"].queryset = groups
