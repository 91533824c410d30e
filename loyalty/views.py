"""Pages of loyalty: parse, call a selector or service, render or redirect."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accessadmin.errors import AppError
from accessadmin.pages import page_view

from . import policies, selectors, services
from .forms import ProgramForm, SlabFormSet


@page_view(policies.can_view_program)
def program_edit(request):
    """The group loyalty program: administrators change it, CS agents read it."""
    current = selectors.program_get(org=request.org)
    can_change = policies.can_manage_program(request.user)
    posted = request.method == "POST"
    form = ProgramForm(request.POST if posted else None, initial={
        "enabled": current.enabled, "max_group_size": current.max_group_size, "points_to": current.points_to,
        "tracking_window_days": current.tracking_window_days})
    slabs = SlabFormSet(request.POST if posted else None, initial=current.slabs, prefix="slabs")
    context = {"form": form, "slabs": slabs, "can_change": can_change}
    if posted and not can_change:
        messages.error(request, "Only administrators change the group loyalty program.")
        return render(request, "loyalty/program_form.html", context, status=403)
    if posted and form.is_valid() and slabs.is_valid():
        changes = {**form.cleaned_data, "slabs": [s for s in (f.slab() for f in slabs.forms) if s is not None]}
        try:
            services.program_update(actor=request.user, org=request.org, changes=changes)
        except AppError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "Group loyalty program saved.")
            return redirect("loyalty:program")
    return render(request, "loyalty/program_form.html", context, status=400 if posted else 200)
