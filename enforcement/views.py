"""Pages of the org's enforcement settings, the usage log and the least-privilege suggestion."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accessadmin import registry
from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.pages import page_view, paginate, query_without_page
from groups import cells as cellsmod
from groups import selectors as group_selectors
from stores import selectors as store_selectors
from stores.till_oauth import BASIC_RECENT_DAYS, auth_method_counts

from . import policies, selectors, services
from .forms import EnforcementForm, SuggestGroupForm

OUTCOMES = [("", "Any outcome"), ("allowed", "Allowed"), ("denied", "Denied"), ("would_deny", "Would deny")]


def _days(request, default=30) -> int:
    try:
        return min(max(int(request.GET.get("days", default)), 1), 365)
    except ValueError:
        return default


@page_view(policies.can_change_enforcement)
def enforcement_settings(request):
    org = request.org
    form = EnforcementForm(request.POST or None, initial={"basic_auth_enabled": org.basic_auth_enabled,
                                                          "basic_auth_for_new_tills": org.basic_auth_for_new_tills,
                                                          "enforcement_mode": org.enforcement_mode})
    if request.method == "POST" and form.is_valid():
        if org.basic_auth_enabled and not form.cleaned_data["basic_auth_enabled"] and not request.POST.get("confirm"):
            # Switching Basic auth off breaks every till that still uses it: say how many, and ask first.
            return render(request, "enforcement/basic_auth_off_confirm.html", {
                "org": org, "form": form, "counts": auth_method_counts(org=org), "days": BASIC_RECENT_DAYS})
        try:
            services.org_enforcement_update(actor=request.user, org=org,
                                            basic_auth_enabled=form.cleaned_data["basic_auth_enabled"],
                                            enforcement_mode=form.cleaned_data["enforcement_mode"],
                                            basic_auth_for_new_tills=form.cleaned_data["basic_auth_for_new_tills"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, "Enforcement settings saved. They apply from the next request.")
            return redirect("stores:enforcement")
    # Other apps add their parts (rollout: the path from report-only to enforce; tills by auth method).
    return render(request, "enforcement/enforcement_form.html", {
        "form": form, "org": org, "sections": registry.render_sections("enforcement.settings", request, org)})


@page_view(policies.can_view_usage)
def usage_list(request):
    days = _days(request)
    outcome = request.GET.get("outcome", "")
    if outcome not in dict(OUTCOMES):
        outcome = ""
    store_code = request.GET.get("store", "").strip()
    rows = selectors.usage_summary(org=request.org, days=days, outcome=outcome, store_code=store_code)
    page = paginate(request, rows, per_page=50)
    stores = store_selectors.store_list(actor=request.user, org=request.org).values_list("code", flat=True)
    return render(request, "enforcement/usage_list.html", {
        "page": page, "days": days, "outcome": outcome, "store_code": store_code, "outcomes": OUTCOMES,
        "stores": stores, "query": query_without_page(request)})


@page_view(policies.can_view_usage)
def usage_suggest(request, code):
    store = store_selectors.store_get(actor=request.user, org=request.org, code=code)
    days = _days(request)
    grants = selectors.suggested_grants(org=request.org, store=store, days=days)
    resources = group_selectors.resource_list()
    form = SuggestGroupForm(request.POST or None, initial={"name": f"{store.code} least privilege"})
    if request.method == "POST" and form.is_valid():
        if not policies.can_suggest_groups(request.user):
            form.add_error(None, "You may not create access groups.")
        else:
            try:
                group, _ = services.group_from_usage(actor=request.user, org=request.org, store=store,
                                                     name=form.cleaned_data["name"], days=days,
                                                     description=form.cleaned_data["description"],
                                                     allocate=form.cleaned_data["allocate"])
            except AppError as e:
                apply_error(form, e)
            else:
                allocated = " and the store allocated to it" if form.cleaned_data["allocate"] else ""
                messages.success(request, f"Access group {group.name} created from {store.code}'s usage{allocated}.")
                return redirect("groups:detail", pk=group.pk)
    return render(request, "enforcement/usage_suggest.html", {
        "store": store, "days": days, "form": form, "cells": cellsmod.payload(grants, resources),
        "effective": store_selectors.effective_group(store).group})
