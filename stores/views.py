"""Store pages: list (search, filter by group), create, detail/edit with allocation and managers."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.models import User
from accessadmin.pages import page_view, paginate, query_without_page
from groups import selectors as group_selectors

from . import selectors, services
from .forms import ManagerForm, StoreForm
from .policies import can_create_store, can_delegate_stores, can_view_stores


@page_view(can_view_stores)
def store_list(request):
    search = request.GET.get("q", "").strip()
    group = request.GET.get("group", "")
    page = paginate(request, selectors.store_list(actor=request.user, org=request.org, search=search, group=group))
    return render(request, "stores/store_list.html", {
        "page": page, "q": search, "group": group, "query": query_without_page(request),
        "groups": group_selectors.group_list(org=request.org).order_by("name"),
        "default": group_selectors.default_group(org=request.org),
        "can_create": can_create_store(request.user),
    })


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
