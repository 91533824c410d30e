"""Pages of the privacy app: parse, call a selector or service, render or redirect."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accessadmin.errors import AppError
from accessadmin.pages import page_view

from . import policies, selectors, services
from .forms import SettingsForm


@page_view(policies.can_view_settings)
def settings_edit(request):
    current = selectors.settings_get(org=request.org)
    can_change = policies.can_manage_settings(request.user)
    initial = {"deletion_enabled": current.deletion_enabled, "waiting_period_days": current.waiting_period_days,
               "approval_required": current.approval_required}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and can_change and form.is_valid():
        try:
            services.settings_update(actor=request.user, org=request.org, changes=form.cleaned_data)
        except AppError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "Privacy settings saved.")
            return redirect("privacy:settings")
    elif request.method == "POST" and not can_change:
        messages.error(request, "Only administrators change the privacy settings.")
        return render(request, "privacy/settings_form.html", {"form": form, "can_change": can_change}, status=403)
    return render(request, "privacy/settings_form.html", {"form": form, "can_change": can_change})
