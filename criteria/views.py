"""Pages: catalogs, price groups (with per-row edit rights), security criteria, the explainer."""

from dataclasses import dataclass
from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.shortcuts import redirect, render

from accessadmin.errors import AppError, Forbidden
from accessadmin.forms import apply_error
from accessadmin.lists import Column, ListSpec, search_form
from accessadmin.pages import page_view
from accessadmin.selectors import audit_list

from . import policies, selectors, services
from .filters import CriterionFilterForm
from .forms import AssetForm, CriterionForm, ExplainForm, PriceGroupForm
from .resources import RESOURCES, Action, Resource


@dataclass(frozen=True)
class Kind:
    """What the asset pages need to know about catalogs or price groups."""

    resource: Resource
    singular: str
    plural: str
    url: str  # url name prefix
    form: type
    audit_type: str


KINDS = {
    Resource.CATALOG: Kind(Resource.CATALOG, "catalog", "Catalogs", "criteria:catalog", AssetForm,
                           "criteria.catalog"),
    Resource.PRICE_GROUP: Kind(Resource.PRICE_GROUP, "price group", "Price groups", "criteria:price-group",
                               PriceGroupForm, "criteria.pricegroup"),
}


def _fields(kind: Kind, data: dict) -> dict:
    fields = {"display_name": data["display_name"], "description": data["description"], "active": data["active"]}
    if kind.resource == Resource.PRICE_GROUP:
        fields["currency"] = data["currency"]
    return fields


def _initial(asset) -> dict:
    initial = {"display_name": asset.display_name, "description": asset.description, "active": asset.active}
    if hasattr(asset, "currency"):
        initial["currency"] = asset.currency
    return initial


# --- catalogs and price groups -------------------------------------------------

def _asset_spec(kind, resource, decide) -> ListSpec:
    """Returns the catalog or price group list's columns; `decide(asset)` says whether the viewer may change it."""
    currency = (Column("currency", "Currency", sort="currency", csv=attrgetter("currency")),) \
        if resource == Resource.PRICE_GROUP else ()
    return ListSpec(columns=(
        Column("code", "Id", sort=Lower("code"), csv=attrgetter("code")),
        Column("name", "Display name", sort=Lower("display_name"), csv=attrgetter("display_name")),
        Column("description", "Description", csv=attrgetter("description"), shown=False),
        *currency,
        Column("status", "Status", sort="active", csv=lambda a: "active" if a.active else "inactive"),
        Column("allowed", "You may change it", csv=lambda a: decide(a).allowed),
    ), default_sort="code", filename=kind.plural.lower().replace(" ", "-"))


@page_view(policies.can_view_assets)
def asset_list(request, resource):
    kind = KINDS[resource]
    filters = search_form(request)

    def decide(asset):
        # The viewer's criteria are loaded once (first decide) and every row is decided in memory.
        return policies.decide(request.user, resource, asset.code, Action.UPDATE)
    listing = _asset_spec(kind, resource, decide).read(
        request, selectors.asset_list(org=request.org, resource=resource, search=filters.cleaned_data["q"]),
        filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    rows = [(a, decide(a)) for a in listing.page]
    return render(request, "criteria/asset_list.html",
                  {"kind": kind, "list": listing, "page": listing.page, "rows": rows, "query": listing.query,
                   "can_manage_criteria": policies.can_manage_criteria(request.user)})


@page_view(policies.can_view_assets)
def asset_create(request, resource):
    kind = KINDS[resource]
    form = kind.form(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asset = services.asset_create(actor=request.user, org=request.org, resource=resource, code=data["code"],
                                          **_fields(kind, data))
        except Forbidden as e:
            form.add_error(None, e.message)
            status = 403
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"{kind.singular.capitalize()} {asset.code} created.")
            return redirect(f"{kind.url}-list")
    return render(request, "criteria/asset_form.html",
                  {"kind": kind, "form": form, "title": f"New {kind.singular}"}, status=status)


@page_view(policies.can_view_assets)
def asset_edit(request, resource, code):
    kind = KINDS[resource]
    asset = selectors.asset_get(org=request.org, resource=resource, code=code)
    decision = policies.decide(request.user, resource, asset.code, Action.UPDATE)
    form = kind.form(request.POST or None, editing=True, read_only=not decision.allowed, initial=_initial(asset))
    status = 200
    # A read-only form still validates (disabled fields keep their values), so a refused POST reaches
    # the service and gets its 403 there: the pages enforce through the same decision as the API.
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_update(actor=request.user, asset=asset, **_fields(kind, form.cleaned_data))
        except Forbidden as e:
            form.add_error(None, e.message)
            status = 403
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"{kind.singular.capitalize()} {asset.code} saved.")
            return redirect(f"{kind.url}-list")
    history = audit_list(org=request.org, target_type=kind.audit_type, target_id=asset.code)[:20]
    return render(request, "criteria/asset_form.html",
                  {"kind": kind, "form": form, "object": asset, "decision": decision, "history": history,
                   "title": f"{'Edit' if decision.allowed else 'View'} {kind.singular} {asset.code}"},
                  status=status)


@page_view(policies.can_view_assets)
def asset_delete(request, resource, code):
    kind = KINDS[resource]
    asset = selectors.asset_get(org=request.org, resource=resource, code=code)
    decision = policies.decide(request.user, resource, asset.code, Action.DELETE)
    status, error = 200, None
    if request.method == "POST":
        try:
            services.asset_delete(actor=request.user, asset=asset)
        except AppError as e:
            status, error = e.status, e.message
        else:
            messages.success(request, f"{kind.singular.capitalize()} {code} deleted.")
            return redirect(f"{kind.url}-list")
    return render(request, "criteria/asset_confirm_delete.html",
                  {"kind": kind, "object": asset, "decision": decision, "error": error}, status=status)


@page_view(policies.can_view_assets)
def asset_explain(request, resource, code):
    kind = KINDS[resource]
    asset = selectors.asset_get(org=request.org, resource=resource, code=code)
    username = request.GET.get("user")
    # Platform staff belong to no org: asking about themselves must not look them up in it.
    subject = (selectors.org_user_get(org=request.org, username=username)
               if username and username != request.user.username else request.user)
    if not policies.can_explain_for(request.user, subject):
        raise PermissionDenied
    action = request.GET.get("action")
    action = Action(action) if action in {a.value for a in Action} else Action.UPDATE
    users = selectors.org_users(org=request.org) if policies.can_manage_criteria(request.user) else [request.user]
    form = ExplainForm(initial={"user": subject.username, "action": action.value}, users=users)
    decision, entries = policies.explain(subject, resource, asset.code, action)
    return render(request, "criteria/asset_explain.html",
                  {"kind": kind, "object": asset, "form": form, "subject": subject, "decision": decision,
                   "entries": entries, "resource_info": RESOURCES[resource]})


# --- security criteria ---------------------------------------------------------

CRITERION_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("code", "Id", sort=Lower("code"), csv=attrgetter("code")),
        Column("description", "Description", csv=attrgetter("description"), shown=False),
        Column("resource", "Resource", sort="resource", csv=lambda c: c.get_resource_display()),
        Column("type", "Type", sort="constraint_type", csv=attrgetter("constraint_type")),
        Column("values", "Values", csv=lambda c: [v for k in c.constraints.all() for v in k.values]),
        Column("roles", "Roles", csv=lambda c: [r.code for r in c.roles.all()]),
    ),
    default_sort="code", filename="security-criteria")


@page_view(policies.can_manage_criteria)
def criterion_list(request):
    filters = CriterionFilterForm(request.GET)
    filters.is_valid()
    data = filters.cleaned_data
    listing = CRITERION_LIST.read(request, selectors.criterion_list(
        org=request.org, search=data.get("q") or "", resource=data.get("resource") or ""), filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "criteria/criterion_list.html",
                  {"list": listing, "page": listing.page, "query": listing.query})


def _resource_param(request) -> Resource:
    try:
        return Resource(request.GET.get("resource") or Resource.CATALOG.value)
    except ValueError:
        return Resource.CATALOG


@page_view(policies.can_manage_criteria)
def criterion_create(request):
    resource = _resource_param(request)
    form = CriterionForm(request.POST or None, org=request.org, resource=resource)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            criterion = services.criterion_create(
                actor=request.user, org=request.org, code=data["code"] or None, name=data["name"],
                description=data["description"], resource=resource.value, constraint_type=data["constraint_type"],
                constraints=[{"values": form.all_values()}], roles=[r.code for r in data["roles"]])
        except AppError as e:
            _apply_criterion_error(form, e)
        else:
            messages.success(request, f"Security criterion {criterion.code} created.")
            return redirect("criteria:criterion-list")
    return render(request, "criteria/criterion_form.html",
                  {"form": form, "resource_info": RESOURCES[resource],
                   "title": f"New security criterion on {RESOURCES[resource].config_display_name.lower()}"})


def _apply_criterion_error(form, err: AppError) -> None:
    fields = {{"constraints": "values", "securityCriteriaResource": "values", "constraintType": "constraint_type",
               "id": "code"}.get(k, k): v for k, v in (err.fields or {}).items()}
    err.fields = {k: v for k, v in fields.items() if k in form.fields}
    apply_error(form, err)


@page_view(policies.can_manage_criteria)
def criterion_edit(request, code):
    criterion = selectors.criterion_get(org=request.org, code=code)
    resource = Resource(criterion.resource)
    values = [v for c in criterion.constraints.all() for v in c.values]
    known = set(selectors.asset_ids(org=request.org, resource=resource))
    initial = {"name": criterion.name, "description": criterion.description,
               "values": [v for v in values if v in known],
               "other_values": ", ".join(v for v in values if v not in known),
               "roles": [r.code for r in criterion.roles.all()]}
    form = CriterionForm(request.POST or None, org=request.org, resource=resource, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        constraints = list(criterion.constraints.all())
        # The page edits one list of ids; it keeps the first constraint's id and folds any others into it.
        new = [{"id": constraints[0].public_id if constraints else None, "values": form.all_values()}]
        try:
            services.criterion_update(actor=request.user, criterion=criterion, name=data["name"],
                                      description=data["description"], constraints=new,
                                      roles=[r.code for r in data["roles"]])
        except AppError as e:
            _apply_criterion_error(form, e)
        else:
            messages.success(request, f"Security criterion {criterion.code} saved.")
            return redirect("criteria:criterion-list")
    history = audit_list(org=request.org, target_type="criteria.securitycriterion", target_id=criterion.code)[:20]
    return render(request, "criteria/criterion_form.html",
                  {"form": form, "object": criterion, "resource_info": RESOURCES[resource], "history": history,
                   "unknown_values": [v for v in values if v not in known],
                   "title": f"Edit security criterion {criterion.code}"})


@page_view(policies.can_manage_criteria)
def criterion_delete(request, code):
    criterion = selectors.criterion_get(org=request.org, code=code)
    status, error = 200, None
    if request.method == "POST":
        try:
            services.criterion_delete(actor=request.user, criterion=criterion)
        except AppError as e:
            status, error = e.status, e.message
        else:
            messages.success(request, f"Security criterion {code} deleted.")
            return redirect("criteria:criterion-list")
    return render(request, "criteria/criterion_confirm_delete.html",
                  {"object": criterion, "error": error}, status=status)

