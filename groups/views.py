"""Pages of access groups: list, create, detail, edit with preview, default group.

A group's page shows sections that other apps register for "groups.group_detail" (the stores app's
allocated stores and allocation forms) without this app knowing them.
"""

from operator import attrgetter

from django.contrib import messages
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accessadmin import registry
from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.lists import Column, ListSpec, bulk_confirm_or_act, selected_ids
from accessadmin.pages import page_view
from accessadmin.widgets import CHOICES_LIMIT, choices_query, choices_response

from . import audit, selectors, services
from . import cells as cellsmod
from .filters import AccessGroupFilter
from .forms import DeactivateForm, DefaultGroupForm, GroupForm
from .policies import can_manage_groups, check_can_deactivate

APIS = [("data", "Data APIs"), ("config", "Config APIs")]


GROUP_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("status", "Status", sort="is_active", csv=lambda g: "active" if g.is_active else "inactive"),
        Column("kind", "Kind", csv=lambda g: "built-in" if g.is_builtin else "custom", shown=False),
        Column("description", "Description", csv=attrgetter("description")),
        Column("created", "Created on", sort="created_at", csv=attrgetter("created_at")),
        Column("created_by", "Created by", sort=Lower("created_by__username"), csv=lambda g: _by(g, g.created_by)),
        Column("updated", "Last updated on", sort="updated_at", csv=attrgetter("updated_at")),
        Column("updated_by", "Last updated by", sort=Lower("updated_by__username"),
               csv=lambda g: _by(g, g.updated_by)),
        Column("stores", "Stores", sort="store_count", csv=attrgetter("store_count")),
    ),
    default_sort="name", filename="access-groups")


def _by(group, user) -> str:
    return "platform" if group.is_builtin else (user.username if user else "system")


@page_view(can_manage_groups)
def group_list(request):
    filterset = AccessGroupFilter(request.GET, queryset=selectors.group_list(org=request.org))
    listing = GROUP_LIST.read(request, filterset.qs, filters=filterset.form)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "groups/group_list.html", {
        "list": listing, "page": listing.page, "query": listing.query,
    })


@require_POST
@page_view(can_manage_groups)
def group_bulk(request):
    """Deactivates the selected groups after a confirmation that lists which will change and, for the others,
    why not (built-in, the default, stores or API clients on it). Ids of other orgs' groups are ignored."""
    org = request.org
    groups = list(selectors.group_list_for_bulk(org=org, ids=selected_ids(request)))
    items, refused = [], []
    for group in groups:
        if not group.is_active:
            refused.append({"name": group.name, "reason": "already inactive."})
            continue
        try:
            check_can_deactivate(group, store_count=group.store_count, is_default=group.is_default,
                                 api_clients=group.active_clients)
        except AppError as e:
            refused.append({"name": group.name, "reason": e.message})
        else:
            items.append({"pk": group.pk, "name": group.name, "obj": group,
                          "detail": group.description[:80] if group.description else ""})
    return bulk_confirm_or_act(
        request, title="Deactivate access groups", action="deactivate", items=items, refused=refused,
        intro="Only custom groups with no stores and no active API clients, and not the default, can be "
              "deactivated. Nothing else changes.",
        act=lambda group: services.group_deactivate(actor=request.user, org=org, group=group),
        done="{n} access group(s) deactivated: {names}.", back_url=reverse("groups:list"),
        submit_label=f"Deactivate {len(items)} access group{'s' if len(items) != 1 else ''}")


def _form_context(form, resources, grants, **extra):
    return {"form": form, "matrix": cellsmod.matrix(grants, resources), "apis_list": APIS,
            "warnings": services.cell_warnings(grants), **extra}


@page_view(can_manage_groups)
def group_create(request):
    resources = selectors.resource_list()
    form = GroupForm(request.POST or None, resources=resources)
    grants = form.grants() if request.method == "POST" else frozenset()
    if request.method == "POST" and form.is_valid():
        try:
            group, warnings = services.group_create(actor=request.user, org=request.org,
                                                    name=form.cleaned_data["name"],
                                                    description=form.cleaned_data["description"], grants=grants)
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Access group {group.name} created.")
            for w in warnings:
                messages.warning(request, w)
            return redirect("groups:detail", pk=group.pk)
    return render(request, "groups/group_form.html", _form_context(form, resources, grants, title="New access group"))


@page_view(can_manage_groups)
def group_detail(request, pk):
    org = request.org
    group = selectors.group_get(org=org, pk=pk)
    resources = selectors.resource_list()
    with audit.resources_read(resources):  # the history's permission rows name them without a query
        return render(request, "groups/group_detail.html", {
            "group": group,
            "apis_list": APIS,
            "matrix": cellsmod.matrix(selectors.group_grants(group, resources), resources),
            "sections": registry.render_sections("groups.group_detail", request, group),
            "history": selectors.group_history(org=org, group=group)[:50],
        })


@page_view(can_manage_groups)
def group_edit(request, pk):
    org = request.org
    group = selectors.group_get(org=org, pk=pk)
    if group.is_builtin:
        messages.error(request, f"{group.name} is a built-in group and cannot be changed.")
        return redirect("groups:detail", pk=group.pk)
    resources = selectors.resource_list()
    current = selectors.group_grants(group, resources)
    form = GroupForm(request.POST or None, resources=resources,
                     initial={"name": group.name, "description": group.description})
    grants = form.grants() if request.method == "POST" else current
    action = request.POST.get("action")
    if request.method == "POST" and action == "edit":
        # "Back to editing" from the preview: the form again, filled with what the user had changed.
        form.is_valid()
    elif request.method == "POST" and form.is_valid():
        if action != "save":
            # Show what would change before anything is written.
            return render(request, "groups/group_preview.html", {
                "group": group, "form": form, "diff": cellsmod.diff(current, grants),
                "warnings": services.cell_warnings(grants), "posted": sorted("cell:" + ":".join(g) for g in grants),
                "renamed": form.cleaned_data["name"] != group.name,
            })
        try:
            services.group_update(actor=request.user, org=org, group=group, name=form.cleaned_data["name"],
                                  description=form.cleaned_data["description"], grants=grants)
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Access group {form.cleaned_data['name']} saved.")
            return redirect("groups:detail", pk=group.pk)
    return render(request, "groups/group_form.html",
                  _form_context(form, resources, grants, title=f"Edit {group.name}", group=group))


def _act(request, pk, fn, done: str):
    group = selectors.group_get(org=request.org, pk=pk)
    try:
        fn(actor=request.user, org=request.org, group=group)
    except AppError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done.format(name=group.name))
    return redirect("groups:detail", pk=group.pk)


@page_view(can_manage_groups)
def group_deactivate(request, pk):
    """GET: what deactivating the group affects, and (for a group with stores) where they should go.
    POST: move them there and deactivate, in one step."""
    org = request.org
    group = selectors.group_get(org=org, pk=pk)
    if group.is_builtin or not group.is_active:
        return redirect("groups:detail", pk=group.pk)
    targets = selectors.active_groups(org=org).exclude(pk=group.pk)
    form = DeactivateForm(request.POST if request.method == "POST" else None, groups=targets,
                          store_count=group.store_count)
    if request.method == "POST" and form.is_valid():
        move_to = form.cleaned_data.get("move_to")
        try:
            services.group_deactivate(actor=request.user, org=org, group=group, move_to=move_to)
        except AppError as e:
            apply_error(form, e)
        else:
            n = group.store_count if move_to else 0
            moved = f" {n} store{'s' if n != 1 else ''} moved to {move_to.name}." if n else ""
            messages.success(request, f"{group.name} is now inactive.{moved}")
            return redirect("groups:detail", pk=group.pk)
    default = selectors.default_group(org=org)
    try:  # what would refuse the deactivation whatever the user chooses here (stores can move)
        check_can_deactivate(group, store_count=0, is_default=group.pk == default.pk,
                             api_clients=selectors.group_api_clients(group=group))
        blocked = None
    except AppError as e:
        blocked = e
    return render(request, "groups/group_confirm_deactivate.html", {
        "group": group, "form": form, "default": default, "blocked": blocked,
    })


@require_POST
@page_view(can_manage_groups)
def group_activate(request, pk):
    return _act(request, pk, services.group_activate, "{name} is active again.")


@page_view(can_manage_groups)
def default_group(request):
    org = request.org
    current = selectors.default_group(org=org)
    form = DefaultGroupForm(request.POST or None, groups=selectors.active_groups(org=org),
                            initial={"access_group": current.pk})
    context = {"current": selectors.group_get(org=org, pk=current.pk), "form": form,
               "inheriting": selectors.inheriting_store_count(org=org),
               "history": selectors.default_group_history(org=org)[:20]}
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["access_group"]
        if request.POST.get("action") != "confirm":
            context["preview"] = chosen
        else:
            try:
                services.default_group_set(actor=request.user, org=org, group=chosen)
            except AppError as e:
                apply_error(form, e)
            else:
                messages.success(request, f"{chosen.name} is now the default group.")
                return redirect("groups:default")
    return render(request, "groups/default_group.html", context)


@page_view()
def group_choices(request):
    """The matches of a group search-as-you-type field (the store list's filter, the default-group, store,
    allocation and API client forms): the org's groups and the built-in ones whose name contains the text
    typed. Any user of the org may ask (the store pages show these names too); `active=1` leaves out the
    inactive groups, which cannot receive stores."""
    found = selectors.group_search(org=request.org, text=choices_query(request),
                                   active_only=request.GET.get("active") == "1", limit=CHOICES_LIMIT)
    rows = [{"value": str(g.pk), "label": g.name,
             "detail": " · ".join(([] if g.org_id else ["built-in"]) + ([] if g.is_active else ["inactive"]))}
            for g in found[:CHOICES_LIMIT]]
    return choices_response(request, rows, more=len(found) > CHOICES_LIMIT)
