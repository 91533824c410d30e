"""Pages of stores (list, create, detail/edit with allocation and managers), of allocation from a group's
page, of tills and of API clients.

Secrets are rendered once, in the response to the POST that made them (never stored in the session,
never shown again), with caching turned off.
"""

from operator import attrgetter

from django.contrib import messages
from django.db.models.functions import Lower
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from accessadmin.caching import no_store
from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.lists import Column, ListSpec, bulk_confirm_or_act, search_form, selected_ids
from accessadmin.models import User
from accessadmin.pages import page_view, paginate
from accessadmin.widgets import CHOICES_LIMIT, choices_query, choices_response
from groups import selectors as group_selectors
from groups.policies import can_manage_groups

from . import selectors, services, till_oauth
from .filters import StoreFilterForm, TillFilterForm
from .forms import AllocateTargetForm, ApiClientForm, ManagerForm, StoreCodesForm, StoreForm, TillCreateForm
from .policies import (
    can_create_store,
    can_delegate_stores,
    can_manage_api_clients,
    can_manage_tills,
    can_view_stores,
)

STORE_LIST = ListSpec(
    columns=(
        Column("code", "Code", sort=Lower("code"), csv=attrgetter("code")),
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("city", "City", sort=Lower("city"), csv=attrgetter("city")),
        Column("group", "Access group", sort=Lower("access_group__name"),
               csv=lambda s: s.access_group.name if s.access_group else ""),
    ),
    default_sort="code", filename="stores")


@page_view(can_view_stores)
def store_list(request):
    org = request.org
    default = group_selectors.default_group(org=org)
    # The group filter and the bulk target are searched as the user types: never a list of every group.
    filters = StoreFilterForm(request.GET, groups=group_selectors.group_choices(org=org), default=default)
    filters.is_valid()
    search, group = filters.cleaned_data.get("q", ""), filters.group_param()
    stores = selectors.store_list(actor=request.user, org=org, search=search, group=group)
    if request.GET.get("format") != "csv":
        # A page fetches its rows' groups afterwards (one query): a deep page (OFFSET 75,000) then walks the
        # (org, lower(code)) index alone instead of joining every skipped row to its group.
        stores = stores.select_related(None).prefetch_related("access_group")
    listing = STORE_LIST.read(request, stores, filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "stores/store_list.html", {
        "list": listing, "page": listing.page, "query": listing.query, "default": default,
        "target_form": AllocateTargetForm(groups=group_selectors.active_groups(org=org)),
        "can_create": can_create_store(request.user),
    })


@require_POST
@page_view(can_view_stores)
def store_bulk(request):
    """Allocates the selected stores to one group: first where they come from (by current group) and what
    stays, then, with `confirm`, through stores_allocate (audited; a manager's limits apply there). Ids of
    stores the user may not see are ignored."""
    org = request.org
    stores = list(selectors.store_list(actor=request.user, org=org).filter(pk__in=selected_ids(request)))
    target = AllocateTargetForm(request.POST, groups=group_selectors.active_groups(org=org))
    group = target.cleaned_data["group"] if target.is_valid() else None
    if not stores or group is None:
        messages.error(request, "Select at least one store and the access group to allocate them to.")
        return redirect("stores:list")
    codes = [s.code for s in stores]
    if request.POST.get("confirm"):
        try:
            n = services.stores_allocate(actor=request.user, org=org, group=group, store_codes=codes)
        except AppError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"{n} store{'s' if n != 1 else ''} allocated to {group.name}.")
        return redirect("stores:list")
    preview = selectors.allocation_preview(actor=request.user, org=org, group=group, codes=codes)
    return render(request, "stores/store_bulk_allocate.html", {"group": group, "stores": stores, **preview})



@page_view(can_create_store)
def store_create(request):
    form = StoreForm(request.POST or None, groups=group_selectors.active_groups(org=request.org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            store = services.store_create(actor=request.user, org=request.org, code=data["code"], name=data["name"],
                                          city=data["city"], access_group=data["access_group"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Store {store.code} created.")
            return redirect("stores:detail", code=store.code)
    return render(request, "stores/store_form.html", {"form": form, "title": "New store"})


@page_view(can_view_stores)
def store_detail(request, code):
    org = request.org
    store = selectors.store_get(actor=request.user, org=org, code=code)
    groups = group_selectors.active_groups(org=org)
    if store.access_group_id and not store.access_group.is_active:
        groups = group_selectors.group_list(org=org).filter(pk=store.access_group_id) | groups
    form = StoreForm(request.POST or None, groups=groups, editing=True,
                     initial={"name": store.name, "city": store.city, "access_group": store.access_group_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.store_update(actor=request.user, org=org, store=store, name=data["name"], city=data["city"],
                                  access_group=data["access_group"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Store {store.code} saved.")
            return redirect("stores:detail", code=store.code)
    can_delegate = can_delegate_stores(request.user)
    return render(request, "stores/store_detail.html", {
        "store": store, "form": form,
        "default": group_selectors.default_group(org=org),
        "can_delegate": can_delegate,
        "managers": selectors.store_managers(store) if can_delegate else [],
        "manager_form": ManagerForm(),
        "org_users": User.objects.filter(org=org, is_active=True).order_by("username") if can_delegate else [],
    })


def _managers(request, code, fn, done):
    store = selectors.store_get(actor=request.user, org=request.org, code=code)
    form = ManagerForm(request.POST)
    if form.is_valid():
        try:
            user = fn(actor=request.user, org=request.org, store=store, username=form.cleaned_data["user"])
        except AppError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, done.format(user=user.username, store=store.code))
    else:
        messages.error(request, "Enter a username.")
    return redirect("stores:detail", code=store.code)


@require_POST
@page_view(can_delegate_stores)
def store_grant(request, code):
    return _managers(request, code, services.store_grant_manager, "{user} now manages {store}.")


@require_POST
@page_view(can_delegate_stores)
def store_revoke(request, code):
    return _managers(request, code, services.store_revoke_manager, "{user} no longer manages {store}.")


# --- allocation from an access group's page -----------------------------------------------------------------

def group_stores_section(request, group) -> str:
    """Returns the stores part of a group's page (groups.views.group_detail): the allocated stores and,
    for an active group, the stores the user may allocate to it."""
    org = request.org
    search = request.GET.get("q", "").strip()
    candidates = selectors.store_list(actor=request.user, org=org, search=search).exclude(access_group=group)
    return render_to_string("stores/_group_stores.html", {
        "group": group,
        "allocated": paginate(request, selectors.group_stores(org=org, group=group), per_page=50),
        "candidates": candidates[:50] if group.is_active else [],
        "candidate_count": candidates.count() if group.is_active else 0,
        "q": search,
    }, request=request)


def _allocation(request, pk, fn, verb: str):
    group = group_selectors.group_get(org=request.org, pk=pk)
    form = StoreCodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select at least one store.")
        return redirect("groups:detail", pk=group.pk)
    try:
        n = fn(actor=request.user, org=request.org, group=group, store_codes=form.cleaned_data["stores"])
    except AppError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"{n} store{'s' if n != 1 else ''} {verb} {group.name}.")
    return redirect("groups:detail", pk=group.pk)


@require_POST
@page_view(can_manage_groups)
def group_allocate(request, pk):
    """Without `confirm`: where the chosen stores come from (grouped by their current group), nothing saved.
    With `confirm`: allocate them."""
    if request.POST.get("confirm"):
        return _allocation(request, pk, services.stores_allocate, "allocated to")
    group = group_selectors.group_get(org=request.org, pk=pk)
    form = StoreCodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select at least one store.")
        return redirect("groups:detail", pk=group.pk)
    preview = selectors.allocation_preview(actor=request.user, org=request.org, group=group,
                                           codes=form.cleaned_data["stores"])
    return render(request, "stores/allocation_confirm.html", {
        "group": group, "codes": form.cleaned_data["stores"], **preview})


@require_POST
@page_view(can_manage_groups)
def group_unallocate(request, pk):
    return _allocation(request, pk, services.stores_unallocate, "unallocated from")


def _once(request, template, context):
    return no_store(render(request, template, context))


# --- tills -------------------------------------------------------------------------------------------------

TILL_LIST = ListSpec(
    columns=(
        Column("code", "Till", sort=Lower("code"), csv=attrgetter("code")),
        Column("store", "Store", sort=Lower("store__code"), csv=lambda t: t.store.code),
        Column("group", "Access group", sort=Lower("store__access_group__name"),
               csv=lambda t: t.store.access_group.name if t.store.access_group else ""),
        Column("status", "Status", sort="is_active", csv=lambda t: "active" if t.is_active else "inactive"),
        Column("auth", "Auth (last seen)"),
        Column("used", "Last used", sort="last_used_at", csv=attrgetter("last_used_at")),
        Column("rotated", "Secret rotated", sort="secret_rotated_at", csv=attrgetter("secret_rotated_at")),
    ),
    default_sort="code", filename="tills")


@page_view(can_manage_tills)
def till_list(request):
    filters = TillFilterForm(request.GET)
    filters.is_valid()
    search, store_code = filters.cleaned_data.get("q", ""), filters.cleaned_data.get("store", "")
    store = selectors.store_get(actor=request.user, org=request.org, code=store_code) if store_code else None
    listing = TILL_LIST.read(request, selectors.till_list(org=request.org, store=store, search=search),
                             filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "stores/till_list.html", {
        "list": listing, "page": listing.page, "query": listing.query, "store": store,
        "default": group_selectors.default_group(org=request.org)})


@require_POST
@page_view(can_manage_tills)
def till_bulk(request):
    """Deactivates the selected tills after a confirmation naming them (their next request gets 401)."""
    org = request.org
    tills = selectors.till_list(org=org).filter(pk__in=selected_ids(request))
    items = [{"pk": t.pk, "name": t.code, "detail": f"store {t.store.code}", "obj": t} for t in tills if t.is_active]
    refused = [{"name": t.code, "reason": "already inactive."} for t in tills if not t.is_active]
    return bulk_confirm_or_act(
        request, title="Deactivate tills", action="deactivate", items=items, refused=refused,
        intro="A deactivated till is refused (401) from its next request; it can be activated again later.",
        act=lambda till: services.till_set_active(actor=request.user, org=org, till=till, active=False),
        done="{n} till(s) deactivated: {names}.", back_url=reverse("stores:tills"),
        submit_label=f"Deactivate {len(items)} till{'s' if len(items) != 1 else ''}")


@page_view(can_manage_tills)
def till_create(request):
    form = TillCreateForm(request.POST or None, user=request.user, org=request.org,
                          initial={"store": request.GET.get("store")})
    if request.method == "POST" and form.is_valid():
        try:
            till, secret, oauth = till_oauth.till_create_with_credentials(
                actor=request.user, org=request.org, store=form.cleaned_data["store"], code=form.cleaned_data["code"])
        except AppError as e:
            apply_error(form, e)
        else:
            if oauth is not None:  # the org gives new tills OAuth2 credentials only
                return _once(request, "stores/till_oauth_secret.html",
                             {"till": till, "credentials": oauth, "created": True})
            return _once(request, "stores/till_secret.html", {"till": till, "secret": secret, "created": True})
    return render(request, "stores/till_form.html", {"form": form})


@page_view(can_manage_tills)
def till_detail(request, code):
    till = selectors.till_get(org=request.org, code=code)
    explained = selectors.effective_permissions(org=request.org, till=till)
    history = (selectors.till_history(org=request.org, till=till))[:20]
    return render(request, "stores/till_detail.html", {"till": till, "explained": explained, "history": history})


def _confirm(request, *, danger: bool = True, **context):
    """Returns the page that asks before an irreversible or integration-breaking action (GET of its URL);
    the action itself is the POST to the same URL."""
    return render(request, "stores/confirm_action.html", {**context, "danger": danger})


@page_view(can_manage_tills)
def till_rotate(request, code):
    till = selectors.till_get(org=request.org, code=code)
    if request.method != "POST":
        return _confirm(request, title=f"Rotate the secret of till {till.code}?", effects=[
            f"The current secret of till {till.code} (store {till.store.code}) stops working at once: the till "
            "gets 401 until it is configured with the new secret.",
            "The new secret is shown once, on the next page; copy it before you leave.",
        ], button="Rotate secret", cancel_url=reverse("stores:till", args=[till.code]))
    till, secret = services.till_rotate_secret(actor=request.user, org=request.org, till=till)
    return _once(request, "stores/till_secret.html", {"till": till, "secret": secret, "created": False})


@page_view(can_manage_tills)
def till_set_active(request, code, active):
    till = selectors.till_get(org=request.org, code=code)
    if request.method != "POST":
        if active:
            effects = [f"Till {till.code} may call the till API again with its current credentials, with the "
                       "access group of its store."]
        else:
            effects = [f"Every request of till {till.code} (store {till.store.code}) gets 401 from its next "
                       "request on, with its Basic secret and with OAuth2 tokens alike.",
                       "You can activate it again later; its secret does not change."]
        return _confirm(request, title=f"{'Activate' if active else 'Deactivate'} till {till.code}?",
                        effects=effects, button="Activate" if active else "Deactivate", danger=not active,
                        cancel_url=reverse("stores:till", args=[till.code]))
    services.till_set_active(actor=request.user, org=request.org, till=till, active=active)
    messages.success(request, f"Till {till.code} {'activated' if active else 'deactivated'}.")
    return redirect("stores:till", code=till.code)


# --- API clients -------------------------------------------------------------------------------------------

API_CLIENT_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("client_id", "Client id", sort="client_id", csv=attrgetter("client_id")),
        Column("group", "Access group", sort=Lower("access_group__name"), csv=lambda c: c.access_group.name),
        Column("created", "Created", sort="created_at", csv=attrgetter("created_at")),
        Column("created_by", "Created by", csv=lambda c: c.created_by.username if c.created_by else "",
               shown=False),
        Column("status", "Status", sort="is_active", csv=lambda c: "active" if c.is_active else "revoked"),
        Column("revoked", "Revoked on", csv=attrgetter("revoked_at"), shown=False),
    ),
    default_sort="name", filename="api-clients")


@page_view(can_manage_api_clients)
def api_client_list(request):
    filters = search_form(request)
    listing = API_CLIENT_LIST.read(request, selectors.api_client_list(org=request.org,
                                                                      search=filters.cleaned_data["q"]),
                                   filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "stores/apiclient_list.html", {"list": listing, "page": listing.page,
                                                          "query": listing.query})


@require_POST
@page_view(can_manage_api_clients)
def api_client_bulk(request):
    """Revokes the selected API clients after a confirmation naming them (their tokens stop at once)."""
    org = request.org
    clients = selectors.api_client_list(org=org).filter(pk__in=selected_ids(request))
    items = [{"pk": c.pk, "name": c.name, "detail": f"{c.client_id}, group {c.access_group.name}", "obj": c}
             for c in clients if c.is_active]
    refused = [{"name": c.name, "reason": "already revoked."} for c in clients if not c.is_active]
    return bulk_confirm_or_act(
        request, title="Revoke API clients", action="revoke", items=items, refused=refused,
        intro="A revoked client's tokens stop working at once and it cannot get new ones; this cannot be undone "
              "(create a new client instead).",
        act=lambda client: services.api_client_revoke(actor=request.user, org=org, client=client),
        done="{n} API client(s) revoked: {names}.", back_url=reverse("stores:api-clients"),
        submit_label=f"Revoke {len(items)} API client{'s' if len(items) != 1 else ''}")


@page_view(can_manage_api_clients)
def api_client_create(request):
    form = ApiClientForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = services.api_client_create(actor=request.user, org=request.org,
                                                        name=form.cleaned_data["name"],
                                                        access_group=form.cleaned_data["access_group"])
        except AppError as e:
            apply_error(form, e)
        else:
            return _once(request, "stores/apiclient_secret.html", {"client": client, "secret": secret})
    return render(request, "stores/apiclient_form.html", {"form": form})


@page_view(can_manage_api_clients)
def api_client_revoke(request, pk):
    client = selectors.api_client_get(org=request.org, pk=pk)
    if request.method != "POST":
        if not client.is_active:
            return redirect("stores:api-clients")
        tokens = selectors.api_client_token_count(client=client)
        return _confirm(request, title=f"Revoke the API client {client.name}?", effects=[
            f"Its client secret and its {tokens} valid access token{'s' if tokens != 1 else ''} stop working at once: "
            f"the integration using client id {client.client_id} gets 401 from its next request on.",
            "A revoked client cannot be restored; to reconnect, create a new API client.",
        ], button="Revoke", cancel_url=reverse("stores:api-clients"))
    services.api_client_revoke(actor=request.user, org=request.org, client=client)
    messages.success(request, f"API client {client.name} revoked; its tokens no longer work.")
    return redirect("stores:api-clients")


@page_view(can_view_stores)
def store_choices(request):
    """The matches of a store search-as-you-type field: the stores the user may see (a manager, only those
    delegated) whose code or name contains the text typed; the value is the store's code."""
    found = selectors.store_search(actor=request.user, org=request.org, text=choices_query(request),
                                   limit=CHOICES_LIMIT)
    rows = [{"value": s["code"], "label": s["code"], "detail": f"{s['name']} · {s['group'] or 'default group'}"}
            for s in found[:CHOICES_LIMIT]]
    return choices_response(request, rows, more=len(found) > CHOICES_LIMIT)
