"""Page forms of the core. They only check shape; services decide and write."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .auth import authenticate_password
from .errors import AppError, CoreErrorCode, Throttled
from .models import AccessRight, Role


def apply_error(form: forms.Form, err: AppError) -> None:
    """Puts a service error on the form: on its fields when it names them, else on the form."""
    placed = False
    for field, messages in (err.fields or {}).items():
        target = {"id": "code", "accessRights": "access_rights"}.get(field, field)
        if target in form.fields:
            for m in messages:
                form.add_error(target, m)
            placed = True
    if not placed:
        form.add_error(None, err.message)


class LoginForm(AuthenticationForm):
    """The login page, throttled like the API login and with the same wording on failure."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = authenticate_password(self.request, username=username, password=password)
            except Throttled as e:
                raise forms.ValidationError(f"Too many failed attempts. Try again in {e.retry_after} seconds.",
                                            code=CoreErrorCode.THROTTLED) from None
            except AppError as e:
                raise forms.ValidationError(e.message, code=e.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class UserCreateForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 10 characters.")
    roles = forms.ModelMultipleChoiceField(queryset=Role.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple, to_field_name="code")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.filter(org=org).order_by("name")


class UserEditForm(forms.Form):
    email = forms.EmailField(required=False)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    is_active = forms.BooleanField(required=False, label="Active")
    password = forms.CharField(widget=forms.PasswordInput, required=False, label="New password",
                               help_text="Leave empty to keep the current password.")
    roles = forms.ModelMultipleChoiceField(queryset=Role.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple, to_field_name="code")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.filter(org=org).order_by("name")


class RoleForm(forms.Form):
    code = forms.CharField(label="Id", max_length=100, required=False,
                           help_text="Leave empty to derive it from the name. Cannot be changed later.")
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    access_rights = forms.ModelMultipleChoiceField(queryset=AccessRight.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple, to_field_name="code")

    def __init__(self, *args, org, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_rights"].queryset = AccessRight.objects.for_org(org).order_by("type", "code")
        if editing:
            del self.fields["code"]


class AccessRightForm(forms.Form):
    code = forms.CharField(label="Id", max_length=100)
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
