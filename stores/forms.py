from django import forms


class StoreForm(forms.Form):
    code = forms.CharField(max_length=50, help_text="Unique in your organization; cannot be changed later.")
    name = forms.CharField(max_length=200)
    city = forms.CharField(max_length=100, required=False)
    access_group = forms.ModelChoiceField(queryset=None, required=False, empty_label="(use the default group)",
                                          label="Access group")

    def __init__(self, *args, groups, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_group"].queryset = groups
        if editing:
            del self.fields["code"]


class ManagerForm(forms.Form):
    user = forms.CharField(max_length=150, label="Username")
