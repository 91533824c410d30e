"""Core pages: login, dashboard, org switch, users, roles, access rights, audit log."""

from operator import attrgetter

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import audit_display, health, policies, registry, selectors, services
from .error_reference import render as render_error_reference
from .errors import AppError
from .filters import AuditFilterForm
from .forms import AccessRightForm, LoginForm, RoleForm, UserCreateForm, UserEditForm, apply_error
from .lists import Column, ListSpec, search_form
from .models import Org
from .pages import page_view
from .tenancy import SESSION_ORG_KEY


class LoginView(auth_views.LoginView):
    template_name = "accessadmin/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@never_cache
def healthz(request):
    """Returns 200 "ok" while the process answers requests; it asks nothing of the database or the cache."""
    return HttpResponse("ok", content_type="text/plain")


def error_reference(request):
    """GET /api/docs/errors: the reference of every error code (docs/errors.md), as Markdown."""
    return HttpResponse(render_error_reference(), content_type="text/markdown; charset=utf-8")


@never_cache
def readyz(request):
    """Returns 200 `{"database": "ok", "cache": "ok"}` when both answer, else 503 naming the one that failed."""
    report = {"database": "ok" if health.database_reachable() else "unavailable",
              "cache": "ok" if health.cache_reachable() else "unavailable"}
    ready = all(value == "ok" for value in report.values())
    return JsonResponse(report, status=200 if ready else 503)


@page_view()
def dashboard(request):
    org = request.org
    counts = registry.dashboard_tiles(org=org, actor=request.user)
    recent = selectors.audit_list(org=org)[:10] if policies.can_view_audit(request.user) else []
    return render(request, "accessadmin/dashboard.html", {"counts": counts, "recent": recent})


@login_required
def org_switch(request):
    if not policies.is_platform_staff(request.user):
        raise PermissionDenied
    if request.method == "POST":
        org = Org.objects.filter(code=request.POST.get("org", "")).first()
        if org is None:
            messages.error(request, "Choose an organization from the list.")
        else:
            request.session[SESSION_ORG_KEY] = org.pk
            messages.success(request, f"You are now working in {org.name}.")
            return redirect("dashboard")
    return render(request, "accessadmin/org_switch.html", {"orgs": Org.objects.order_by("name")})


# --- users ------------------------------------------------------------------

USER_LIST = ListSpec(
    columns=(
        Column("username", "Username", sort=Lower("username"), csv=attrgetter("username")),
        Column("name", "Name", sort=Lower("first_name"), csv=lambda u: u.get_full_name()),
        Column("email", "Email", sort=Lower("email"), csv=attrgetter("email")),
        Column("roles", "Roles", csv=lambda u: [r.name for r in u.roles.all()]),
        Column("status", "Status", sort="is_active", csv=lambda u: "active" if u.is_active else "inactive"),
    ),
    default_sort="username", filename="users")


def _listed(request, spec: ListSpec, queryset, template: str, filters, **context):
    """Returns the list page (or its CSV) of `queryset` read with `spec`."""
    listing = spec.read(request, queryset, filters=filters)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, template, {"list": listing, "page": listing.page, "query": listing.query, **context})


@page_view(policies.can_manage_identity)
def user_list(request):
    filters = search_form(request)
    return _listed(request, USER_LIST, selectors.user_list(org=request.org, search=filters.cleaned_data["q"]),
                   "accessadmin/user_list.html", filters)


@page_view(policies.can_manage_identity)
def user_create(request):
    form = UserCreateForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(actor=request.user, org=request.org, username=data["username"],
                                        password=data["password"], email=data["email"],
                                        first_name=data["first_name"], last_name=data["last_name"],
                                        roles=[r.code for r in data["roles"]])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"User {user.username} created.")
            return redirect("users:list")
    return render(request, "accessadmin/user_form.html", {"form": form, "title": "New user"})


@page_view(policies.can_manage_identity)
def user_edit(request, pk):
    user = selectors.user_get(org=request.org, pk=pk)
    initial = {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
               "is_active": user.is_active, "roles": [r.code for r in user.roles.all()]}
    form = UserEditForm(request.POST or None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_update(actor=request.user, user=user, email=data["email"],
                                        first_name=data["first_name"], last_name=data["last_name"],
                                        is_active=data["is_active"], roles=[r.code for r in data["roles"]],
                                        password=data["password"] or None)
        except AppError as e:
            apply_error(form, e)
        else:
            if user.pk == request.user.pk and data["password"] and user.roles.exists():
                # A new password of your own ends your other sessions and tokens; this one goes on, as with
                # Django's password change. Taking away your own last role ends this one too.
                update_session_auth_hash(request, user)
            messages.success(request, f"User {user.username} saved.")
            return redirect("users:list")
    history = selectors.audit_list(org=request.org, target_type="accessadmin.user", target_id=user.pk)[:20]
    return render(request, "accessadmin/user_form.html",
                  {"form": form, "title": f"Edit user {user.username}", "object": user, "history": history})


# --- roles ------------------------------------------------------------------

ROLE_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("code", "Id", sort="code", csv=attrgetter("code")),
        Column("description", "Description", csv=attrgetter("description"), shown=False),
        Column("rights", "Access rights", csv=lambda r: [a.code for a in r.access_rights.all()]),
        Column("users", "Users", sort="user_count", csv=attrgetter("user_count")),
    ),
    default_sort="name", filename="roles")


@page_view(policies.can_manage_identity)
def role_list(request):
    filters = search_form(request)
    return _listed(request, ROLE_LIST, selectors.role_list(org=request.org, search=filters.cleaned_data["q"]),
                   "accessadmin/role_list.html", filters)


@page_view(policies.can_manage_identity)
def role_create(request):
    form = RoleForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = services.role_create(actor=request.user, org=request.org, name=data["name"],
                                        code=data["code"] or None, description=data["description"],
                                        access_rights=[a.code for a in data["access_rights"]])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Role {role.name} created.")
            return redirect("roles:list")
    return render(request, "accessadmin/role_form.html", {"form": form, "title": "New role"})


@page_view(policies.can_manage_identity)
def role_edit(request, code):
    role = selectors.role_get(org=request.org, code=code)
    initial = {"name": role.name, "description": role.description,
               "access_rights": [a.code for a in role.access_rights.all()]}
    form = RoleForm(request.POST or None, org=request.org, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_update(actor=request.user, role=role, name=data["name"], description=data["description"],
                                 access_rights=[a.code for a in data["access_rights"]])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Role {data['name']} saved.")
            return redirect("roles:list")
    history = selectors.audit_list(org=request.org, target_type="accessadmin.role", target_id=role.pk)[:20]
    return render(request, "accessadmin/role_form.html",
                  {"form": form, "title": f"Edit role {role.name}", "object": role, "history": history})


# --- access rights ----------------------------------------------------------

ACCESS_RIGHT_LIST = ListSpec(
    columns=(
        Column("code", "Id", sort=Lower("code"), csv=attrgetter("code")),
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("type", "Type", sort="type", csv=lambda a: a.get_type_display()),
        Column("description", "Description", csv=attrgetter("description")),
    ),
    default_sort="code", filename="access-rights")


@page_view(policies.can_manage_identity)
def access_right_list(request):
    filters = search_form(request)
    return _listed(request, ACCESS_RIGHT_LIST,
                   selectors.access_right_list(org=request.org, search=filters.cleaned_data["q"]),
                   "accessadmin/access_right_list.html", filters)


@page_view(policies.can_manage_identity)
def access_right_create(request):
    form = AccessRightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ar = services.access_right_create(actor=request.user, org=request.org, code=data["code"],
                                              name=data["name"], description=data["description"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Access right {ar.code} created.")
            return redirect("access-rights:list")
    return render(request, "accessadmin/access_right_form.html", {"form": form, "title": "New access right"})


@page_view(policies.can_manage_identity)
def access_right_edit(request, code):
    ar = selectors.access_right_get(org=request.org, code=code)
    if not policies.can_edit_access_right(request.user, ar):
        messages.error(request, "Built-in privileges cannot be changed.")
        return redirect("access-rights:list")
    form = AccessRightForm(request.POST or None, editing=True,
                           initial={"name": ar.name, "description": ar.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.access_right_update(actor=request.user, access_right=ar, name=form.cleaned_data["name"],
                                         description=form.cleaned_data["description"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Access right {ar.code} saved.")
            return redirect("access-rights:list")
    return render(request, "accessadmin/access_right_form.html",
                  {"form": form, "title": f"Edit access right {ar.code}", "object": ar})


# --- audit ------------------------------------------------------------------

AUDIT_LIST = ListSpec(
    columns=(
        Column("when", "When", sort="created_at", csv=attrgetter("created_at")),
        Column("who", "Who", sort=Lower("actor_repr"), csv=attrgetter("actor_repr")),
        Column("what", "What", sort="action", csv=attrgetter("action_label")),
        Column("object", "Object", sort=Lower("target_repr"), csv=lambda e: f"{e.type_label}: {e.target_repr}"),
        Column("change", "Change", csv=audit_display.as_text),
    ),
    default_sort="-when", filename="audit-log")


@page_view(policies.can_view_audit)
def audit_log(request):
    org = request.org
    filters = AuditFilterForm(request.GET, people=selectors.user_list(org=org).prefetch_related(None),
                              actions=selectors.audit_actions(org=org))
    filters.is_valid()
    since, until = filters.bounds() if not filters.errors.get("date_to") else (None, None)
    data = filters.cleaned_data
    events = selectors.audit_list(org=org, target_type=data.get("type") or "", actor=data.get("actor"),
                                  action=data.get("action") or "", since=since, until=until)
    listing = AUDIT_LIST.read(request, events, filters=filters)
    if listing.wants_csv:
        return listing.csv_response(rows=_described_chunks(listing.queryset))
    return render(request, "accessadmin/audit_list.html", {
        "list": listing, "page": listing.page, "rows": audit_display.describe(listing.page),
        "query": listing.query, "filters": filters})


def _described_chunks(queryset, size: int = 2000):
    """Yields the events of `queryset` described chunk by chunk (a renderer's query runs once per chunk)."""
    chunk = []
    for event in queryset.iterator(chunk_size=size):
        chunk.append(event)
        if len(chunk) == size:
            yield from audit_display.describe(chunk)
            chunk = []
    yield from audit_display.describe(chunk)


@require_POST
def logout_view(request):
    from django.contrib.auth import logout

    logout(request)
    messages.success(request, "You are signed out.")
    return redirect("login")
