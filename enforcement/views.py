"""Pages of the org's enforcement settings, the usage log and the least-privilege suggestion."""

from operator import itemgetter

from django.contrib import messages
from django.db.models.functions import Lower
from django.shortcuts import redirect, render

from accessadmin import registry
from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.lists import Column, ListSpec
from accessadmin.pages import page_view
from groups import cells as cellsmod
from groups import selectors as group_selectors
from stores import selectors as store_selectors
from stores.till_oauth import BASIC_RECENT_DAYS, auth_method_counts

from . import policies, selectors, services
from .filters import UsageFilterForm
from .forms import EnforcementForm, SuggestGroupForm


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


USAGE_LIST = ListSpec(
    columns=(
        Column("caller", "Caller", sort=Lower("caller"), csv=itemgetter("caller")),
        Column("caller_kind", "Kind", csv=itemgetter("caller_kind"), shown=False),
        Column("store", "Store", sort=Lower("store_code"), csv=itemgetter("store_code")),
        Column("group", "Group", sort=Lower("access_group"), csv=itemgetter("access_group")),
        Column("method", "Method", sort="method", csv=itemgetter("method")),
        Column("resource", "Resource", sort="resource", csv=itemgetter("resource")),
        Column("api", "Part", sort="api", csv=itemgetter("api")),
        Column("outcome", "Outcome", sort="outcome", csv=lambda r: r["outcome"].replace("_", " ")),
        Column("total", "Count", sort="total", csv=itemgetter("total")),
        Column("last_seen", "Last seen", sort="last_seen", csv=itemgetter("last_seen")),
    ),
    default_sort="caller", filename="usage",
    tiebreak=("caller", "store_code", "resource", "api", "method", "outcome", "access_group", "caller_kind"))


@page_view(policies.can_view_usage)
def usage_list(request):
    filters = UsageFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    days, store_code = data.get("days") or 30, data.get("store") or ""
    rows = selectors.usage_summary(org=request.org, days=days, outcome=data.get("outcome") or "",
                                   store_code=store_code)
    listing = USAGE_LIST.read(request, rows, filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "enforcement/usage_list.html", {
        "list": listing, "page": listing.page, "query": listing.query, "days": days, "store_code": store_code})


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

