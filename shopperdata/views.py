"""Pages of shopper data: profiles for CSRs (search, view, edit, create), property access rules
for administrators, and the administrators' unmasked export."""

from operator import attrgetter, itemgetter

from django.contrib import messages
from django.db.models.functions import Lower
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accessadmin import registry
from accessadmin.errors import AppError
from accessadmin.lists import Column, ListSpec, search_form
from accessadmin.pages import page_view

from . import policies, selectors, services
from .attributes import attributes_of
from .forms import ProfileForm, PropertyForm, apply_error
from .masking import present
from .policies import roles_granted


def _status(form_error: AppError | None) -> int:
    return form_error.status if form_error is not None else 200


# --- profiles ---------------------------------------------------------------------

# The list's columns: (key, header, property id, model column). A column sorts only for a viewer who may read
# its property: sorting by a masked value would tell its order.
PROFILE_COLUMNS = (("first_name", "First name", "firstName", "first_name"),
                   ("last_name", "Last name", "lastName", "last_name"),
                   ("email", "Email", "email", "email"), ("mobile", "Mobile", "mobile", "mobile"))


def _profile_spec(plan) -> ListSpec:
    """Returns the profile list's columns for `plan`'s viewer; the CSV's cells come through present() too."""
    def cell(code):
        return lambda profile: present(selectors.profile_values(profile), plan).get(code)
    return ListSpec(columns=(
        Column("id", "Id", sort="pk", csv=attrgetter("pk")),
        *(Column(key, label, sort=Lower(column) if plan.readable(code) else None, csv=cell(code))
          for key, label, code, column in PROFILE_COLUMNS),
    ), default_sort="id", filename="profiles-masked")


@page_view(policies.can_use_profiles)
def profile_list(request):
    plan = selectors.plan_for(actor=request.user, org=request.org)
    filters = search_form(request)
    listing = _profile_spec(plan).read(
        request, selectors.profile_list(org=request.org, plan=plan, q=filters.cleaned_data["q"]), filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    rows = [(p, present(selectors.profile_values(p), plan)) for p in listing.page]
    return render(request, "shopperdata/profile_list.html", {
        "list": listing, "page": listing.page, "rows": rows, "query": listing.query,
        "can_export": policies.can_export_profiles(request.user),
        "can_manage": policies.can_manage_shopper_type(request.user),
        "searchable": [plan.properties[c].label for c in ("email", "mobile", "firstName", "lastName")
                       if plan.readable(c)],
        "sections": registry.render_sections("shopperdata.profile_list", request, None),
    })


def _explained_rows(plan, values):
    shown = present(values, plan)
    return [{"prop": plan.properties[code], "access": entry, "value": shown.get(code)}
            for code, entry in plan.entries.items()]


@page_view(policies.can_use_profiles)
def profile_detail(request, pk):
    profile = selectors.profile_get(org=request.org, pk=pk)
    plan = selectors.plan_for(actor=request.user, org=request.org)
    rows = _explained_rows(plan, selectors.profile_values(profile))
    history = selectors.profile_history(org=request.org, profile=profile)[:20]
    return render(request, "shopperdata/profile_detail.html", {
        "profile": profile, "rows": rows, "viewer": plan.viewer, "history": history,
        "sections": registry.render_sections("shopperdata.profile_detail", request, profile),
    })


@page_view(policies.can_use_profiles)
def profile_edit(request, pk):
    profile = selectors.profile_get(org=request.org, pk=pk)
    plan = selectors.plan_for(actor=request.user, org=request.org)
    form = ProfileForm(request.POST or None, plan=plan, values=selectors.profile_values(profile))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.profile_update(actor=request.user, profile=profile, values=form.values(), lenient=True)
        except AppError as e:
            error = e
            apply_error(form, e)
        else:
            if result.changed:
                messages.success(request, f"Profile saved ({', '.join(result.changed)} changed).")
            else:
                messages.info(request, "Nothing changed.")
            return redirect("shopperdata:profile-detail", pk=profile.pk)
    return render(request, "shopperdata/profile_form.html",
                  {"form": form, "profile": profile, "title": f"Edit profile {profile.pk}"}, status=_status(error))


@page_view(policies.can_use_profiles)
def profile_create(request):
    plan = selectors.plan_for(actor=request.user, org=request.org)
    defaults = {code: p.default for code, p in plan.properties.items()}
    form = ProfileForm(request.POST or None, plan=plan, values=defaults)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.profile_create(actor=request.user, org=request.org, values=form.values(),
                                             lenient=True)
        except AppError as e:
            error = e
            apply_error(form, e)
        else:
            messages.success(request, f"Profile {result.profile.pk} created.")
            return redirect("shopperdata:profile-detail", pk=result.profile.pk)
    return render(request, "shopperdata/profile_form.html", {"form": form, "title": "New shopper profile"},
                  status=_status(error))


@require_POST
@page_view(policies.can_export_profiles)
def profile_export(request):
    lines = services.profile_export(actor=request.user, org=request.org)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="profiles-{request.org.code}.csv"'
    response["Cache-Control"] = "no-store"
    return response


# --- property access rules ----------------------------------------------------------

def _who(role, right) -> str:
    parts = [f"role {role}" if role else "", f"access right {right}" if right else ""]
    return " or ".join(p for p in parts if p) or "anyone signed in"


PROPERTY_LIST = ListSpec(
    columns=(
        Column("order", "Order", sort=itemgetter("index"), shown=False),
        Column("property", "Property", sort=lambda r: r["prop"].label.lower(), csv=lambda r: r["prop"].label),
        Column("code", "Id", csv=lambda r: r["prop"].code, shown=False),
        Column("type", "Type", sort=lambda r: r["prop"].type, csv=lambda r: r["prop"].type),
        Column("pii", "PII", sort=lambda r: not r["prop"].pii, csv=lambda r: r["prop"].pii),
        Column("read", "Who can see this", csv=lambda r: _who(r["prop"].read_role, r["prop"].read_access_right)),
        Column("write", "Who can change this",
               csv=lambda r: _who(r["prop"].write_role, r["prop"].write_access_right)),
        Column("read_level", "Others, when they look", csv=lambda r: r["prop"].read_security_level),
        Column("write_level", "Others, when they change it", csv=lambda r: r["prop"].write_security_level),
        Column("masking", "Masking value", csv=lambda r: r["prop"].security_masking_value, shown=False),
        Column("roles", "Roles that see / change it",
               csv=lambda r: f"see: {'everyone' if r['readers'] is None else ', '.join(r['readers'])}; "
                             f"change: {'everyone' if r['writers'] is None else ', '.join(r['writers'])}"),
    ),
    default_sort="order", filename="shopper-properties", page_sizes=(100, 25, 50))


@page_view(policies.can_manage_shopper_type)
def property_list(request):
    props = selectors.property_list(org=request.org)
    roles = selectors.org_roles(org=request.org)
    warnings = selectors.shopper_type_warnings(org=request.org, properties=props)
    warned = {w["property"]: w for w in warnings}
    rows = [{"index": i, "prop": prop, "readers": roles_granted(prop, "read", roles),
             "writers": roles_granted(prop, "write", roles), "warning": warned.get(prop.code)}
            for i, prop in enumerate(props)]
    listing = PROPERTY_LIST.read(request, rows)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "shopperdata/property_list.html", {
        "list": listing, "page": listing.page, "rows": listing.page, "query": listing.query,
        "warnings": warnings, "history": selectors.property_history(org=request.org)[:20],
    })


def _after_property_save(request, code):
    props = selectors.property_list(org=request.org)
    for w in selectors.shopper_type_warnings(org=request.org, properties=[p for p in props if p.code == code]):
        messages.warning(request, w["message"])


@page_view(policies.can_manage_shopper_type)
def property_edit(request, code):
    prop = selectors.property_get(org=request.org, code=code)
    form = PropertyForm(request.POST or None, org=request.org, prop=prop, initial=PropertyForm.initial_for(prop))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.shopper_type_update(actor=request.user, org=request.org,
                                         properties={code: form.attributes()})
        except AppError as e:
            error = e
            apply_error(form, e)
        else:
            messages.success(request, f"Property {code} saved.")
            _after_property_save(request, code)
            return redirect("shopperdata:property-list")
    return render(request, "shopperdata/property_form.html", {
        "form": form, "prop": prop, "attributes": attributes_of(prop), "title": f"Property {code}",
    }, status=_status(error))


@page_view(policies.can_manage_shopper_type)
def property_create(request):
    form = PropertyForm(request.POST or None, org=request.org,
                        initial={"shopperReadable": True, "shopperWriteable": True, "type": "shortText"})
    error = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["id"]
        if code in {p.code for p in selectors.property_list(org=request.org)}:
            form.add_error("id", "A property with this id exists.")
        else:
            try:
                services.shopper_type_update(actor=request.user, org=request.org,
                                             properties={code: form.attributes()})
            except AppError as e:
                error = e
                apply_error(form, e)
            else:
                messages.success(request, f"Property {code} added.")
                _after_property_save(request, code)
                return redirect("shopperdata:property-list")
    return render(request, "shopperdata/property_form.html", {"form": form, "title": "New custom property"},
                  status=_status(error))
