"""Pages of Connect+: connections, PGP keys, dataflows (a form built from the template's fields), runs
with live progress (htmx polls a fragment while a run is queued or running)."""

from operator import attrgetter

from django.contrib import messages
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accessadmin.errors import AppError, NotFound
from accessadmin.lists import Column, ListSpec, search_form
from accessadmin.pages import page_view

from . import flow_templates as ft
from . import schedule, selectors, services_admin
from .forms import ConnectionForm, DataflowForm, KeyForm, apply_error
from .policies import can_use_connect

# Kept out of error reports (Django's exception reporter shows POST data and local variables otherwise).
SECRET_FIELDS = ("password", "private_key", "passphrase")

# Each stable error code of a connection, run or file, in words.
ERROR_WORDS = {
    **services_admin.CONNECTION_MESSAGES,
    "sftp_error": "The SFTP server reported an error.",
    "destination_exists": "A file of that name is already at the destination.",
    "still_changing": "The file was still being written; it waits for the next run.",
    "already_delivered": "Another run delivered it.",
    "internal_error": "An unexpected error; see the server log.",
    "interrupted": "The consumer running it stopped; the next run finishes the job.",
    "lock_lost": "Another consumer took the run over.",
    "secret_unreadable": "A stored secret cannot be decrypted with the configured keys; enter it again.",
    "dataflow_inactive": "The dataflow is not active.",
    "pgp_key_invalid": "The PGP key cannot be read.",
    "pgp_key_unusable": "The encryption key has expired or was revoked.",
    "pgp_passphrase_wrong": "The passphrase does not open the private key.",
    "pgp_decrypt_failed": "The file could not be decrypted (corrupt, or not PGP data).",
    "pgp_wrong_key": "The file was not encrypted to this dataflow's private key.",
    "pgp_encrypt_failed": "The file could not be encrypted.",
}


def error_words(code: str) -> str:
    return ERROR_WORDS.get(code, code)


def _get(selector, **lookup):
    """Returns selector(**lookup); a NotFound (missing, or another org's) is the 404 page."""
    try:
        return selector(**lookup)
    except NotFound:
        raise Http404("Not found.") from None


def _connection(request, pk):
    return _get(selectors.connection_get, actor=request.user, org=request.org, connection_id=pk)


def _key(request, pk):
    return _get(selectors.pgp_key_get, actor=request.user, org=request.org, key_id=pk)


def _dataflow(request, pk):
    return _get(selectors.dataflow_overview_get, actor=request.user, org=request.org, dataflow_id=pk)


def _run(request, pk):
    return _get(selectors.run_get, actor=request.user, org=request.org, run_id=pk)


def _listing(request, spec: ListSpec, queryset, *fields):
    """Returns the listing of `queryset` searched in `fields` by the request's `q`."""
    filters = search_form(request)
    return spec.read(request, selectors.search(queryset, filters.cleaned_data["q"], *fields), filters=filters)


def _by(user) -> str:
    return user.username if user else ""


CONNECTION_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("server", "Server", sort=Lower("host"), csv=lambda c: f"{c.host}:{c.port}"),
        Column("user", "User", sort=Lower("username"), csv=attrgetter("username")),
        Column("auth", "Signs in with"),
        Column("fingerprint", "Host key fingerprint",
               csv=lambda c: services_admin.host_key_fingerprint(c.host_key)),
        Column("base_path", "Base path", sort="base_path", csv=attrgetter("base_path")),
    ),
    default_sort="name", filename="sftp-connections")
KEY_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("fingerprint", "Fingerprint", sort="fingerprint", csv=attrgetter("fingerprint")),
        Column("user_ids", "User IDs", csv=attrgetter("user_ids")),
        Column("can", "Can", csv=lambda k: ", ".join(w for w, on in (("encrypt", k.can_encrypt),
                                                                    ("decrypt", k.can_decrypt)) if on)),
        Column("expires", "Expires", sort="expires_at", csv=attrgetter("expires_at")),
        Column("actions", "Actions"),
    ),
    default_sort="name", filename="pgp-keys")
DATAFLOW_LIST = ListSpec(
    columns=(
        Column("name", "Name", sort=Lower("name"), csv=attrgetter("name")),
        Column("from", "From", sort=Lower("source_connection__name"),
               csv=lambda d: f"{d.source_connection.name}: {d.source_path}"),
        Column("to", "To", sort=Lower("destination_connection__name"),
               csv=lambda d: f"{d.destination_connection.name}: {d.destination_path}"),
        Column("steps", "Steps"),
        Column("schedule", "Schedule", csv=lambda d: schedule.describe(d.schedule)),
        Column("last_run", "Last run", sort="last_run_at", csv=attrgetter("last_run_at")),
        Column("last_status", "Last run status", csv=attrgetter("last_run_status"), shown=False),
        Column("active", "Active", csv=attrgetter("active"), shown=False),
    ),
    default_sort="name", filename="dataflows")
RUN_LIST = ListSpec(
    columns=(
        Column("run", "Run", sort="pk", csv=attrgetter("pk")),
        Column("status", "Status", sort="status", csv=attrgetter("status")),
        Column("by", "Started by", sort=Lower("started_by__username"),
               csv=lambda r: _by(r.started_by) or "schedule"),
        Column("queued", "Queued", sort="created_at", csv=attrgetter("created_at")),
        Column("finished", "Finished", sort="finished_at", csv=attrgetter("finished_at")),
        Column("files", "Files", sort="files_total", csv=lambda r: len(r.files.all())),
        Column("failed", "Files failed", csv=attrgetter("files_failed"), shown=False),
    ),
    default_sort="-run", filename="dataflow-runs", page_sizes=(20, 50, 100))


# --- connections ---------------------------------------------------------------------------------------------

@page_view(can_use_connect)
def connection_list(request):
    listing = _listing(request, CONNECTION_LIST, selectors.connection_list(actor=request.user, org=request.org),
                       "name", "host", "username")
    if listing.wants_csv:
        return listing.csv_response()
    for connection in listing.page:
        connection.fingerprint = services_admin.host_key_fingerprint(connection.host_key)
    return render(request, "connect/connection_list.html",
                  {"list": listing, "page": listing.page, "query": listing.query})


CONNECTION_FIELDS = ("name", "host", "port", "username", "host_key", "base_path")


def _fetch_host_key(request, connection) -> tuple[ConnectionForm, dict | None]:
    """"Fetch host key" on the form: returns the form again, unsaved and without its secrets (they are
    never sent back to the browser), its host key field holding the key the server offers, and that
    key with its fingerprint for the admin to compare before saving."""
    values = {name: request.POST.get(name, "") for name in CONNECTION_FIELDS}
    form = ConnectionForm(initial=values, connection=connection)
    host, port = values["host"].strip(), str(values["port"] or "22").strip()
    if not host:
        form.fetch_error = "Enter the host first."
        return form, None
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        form.fetch_error = "Enter a port between 1 and 65535."
        return form, None
    try:
        offered = services_admin.offered_host_key(host=host, port=int(port),
                                                  pinned=connection.host_key if connection else "")
    except AppError as e:
        form.fetch_error = f"{e.message} ({e.code})"
        return form, None
    form.initial["host_key"] = offered["host_key"]
    return form, offered


def _connection_form_page(request, *, connection=None):
    initial = {"port": 22} if connection is None else {name: getattr(connection, name) for name in CONNECTION_FIELDS}
    form = ConnectionForm(request.POST or None, connection=connection, initial=initial)
    offered = None
    if request.method == "POST" and request.POST.get("action") == "fetch_host_key":
        form, offered = _fetch_host_key(request, connection)
    elif request.method == "POST" and form.is_valid():
        try:
            if connection is None:
                connection = services_admin.connection_create(actor=request.user, org=request.org, **form.changes())
                messages.success(request, f"Connection {connection.name} created.")
            else:
                services_admin.connection_update(actor=request.user, org=request.org, connection=connection,
                                                 changes=form.changes())
                messages.success(request, f"Connection {connection.name} saved.")
        except AppError as e:
            apply_error(form, e)
        else:
            return redirect("connect:connection-detail", pk=connection.pk)
    return render(request, "connect/connection_form.html", {
        "form": form, "connection": connection, "offered": offered,
        "fetch_error": getattr(form, "fetch_error", None),
        "pinned_fingerprint": services_admin.host_key_fingerprint(form["host_key"].value() or ""),
        "title": f"Edit {connection.name}" if connection else "New SFTP connection"})


@sensitive_post_parameters(*SECRET_FIELDS)
@page_view(can_use_connect)
def connection_create(request):
    return _connection_form_page(request)


@sensitive_post_parameters(*SECRET_FIELDS)
@page_view(can_use_connect)
def connection_edit(request, pk):
    return _connection_form_page(request, connection=_connection(request, pk))


@page_view(can_use_connect)
def connection_detail(request, pk):
    connection = _connection(request, pk)
    return render(request, "connect/connection_detail.html", {
        "connection": connection, "fingerprint": services_admin.host_key_fingerprint(connection.host_key),
        "used_by": selectors.dataflows_using_connection(connection).order_by("name")})


@require_POST
@page_view(can_use_connect)
def connection_test(request, pk):
    connection = _connection(request, pk)
    result = services_admin.connection_test(connection=connection)
    if result["ok"]:
        messages.success(request, f"{connection.name}: {result['message']}")
    else:
        messages.error(request, f"{connection.name}: {result['message']} ({result['code']})")
    return redirect("connect:connection-detail", pk=connection.pk)


@require_POST
@page_view(can_use_connect)
def connection_host_key(request, pk):
    """action=fetch shows the key the server offers with its fingerprint; action=trust pins the key the
    admin confirmed (sent back from that page)."""
    connection = _connection(request, pk)
    if request.POST.get("action") == "trust":
        try:
            connection = services_admin.connection_pin_host_key(actor=request.user, org=request.org,
                                                                connection=connection,
                                                                host_key=request.POST.get("host_key", ""))
        except AppError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"{connection.name} now trusts the host key "
                                      f"{services_admin.host_key_fingerprint(connection.host_key)}.")
        return redirect("connect:connection-detail", pk=connection.pk)
    try:
        offered = services_admin.connection_offered_host_key(connection=connection)
    except AppError as e:
        messages.error(request, f"{connection.name}: {e.message} ({e.code})")
        return redirect("connect:connection-detail", pk=connection.pk)
    return render(request, "connect/connection_host_key.html", {
        "connection": connection, "offered": offered,
        "pinned_fingerprint": services_admin.host_key_fingerprint(connection.host_key)})


def _confirm_delete(request, obj, *, kind: str, delete, done: str, cancel: str, consequence: str):
    """Returns the confirmation page for deleting `obj`; on POST calls `delete()` and redirects to `done`."""
    error = None
    if request.method == "POST":
        try:
            delete()
        except AppError as e:
            error = e.message
        else:
            messages.success(request, f"{kind[0].upper()}{kind[1:]} {obj.name} deleted.")
            return redirect(done)
    return render(request, "connect/confirm_delete.html", {
        "object": obj, "kind": kind, "error": error, "cancel": cancel, "consequence": consequence})


@page_view(can_use_connect)
def connection_delete(request, pk):
    connection = _connection(request, pk)
    return _confirm_delete(
        request, connection, kind="connection", done="connect:connection-list", cancel="connect:connection-detail",
        consequence="Its stored password and key are deleted with it.",
        delete=lambda: services_admin.connection_delete(actor=request.user, org=request.org, connection=connection))


# --- PGP keys ------------------------------------------------------------------------------------------------

@page_view(can_use_connect)
def key_list(request):
    listing = _listing(request, KEY_LIST, selectors.pgp_key_list(actor=request.user, org=request.org),
                       "name", "fingerprint")
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "connect/key_list.html", {"list": listing, "page": listing.page, "query": listing.query})


@sensitive_post_parameters("armored", "passphrase")
@page_view(can_use_connect)
def key_create(request):
    form = KeyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = services_admin.key_create(actor=request.user, org=request.org, name=form.cleaned_data["name"],
                                            armored=form.cleaned_data["armored"],
                                            passphrase=form.cleaned_data["passphrase"])
        except AppError as e:
            apply_error(form, e)
        else:
            kind = "key pair (encrypts and decrypts)" if key.can_decrypt else "public key"
            messages.success(request, f"PGP {kind} {key.name} added.")
            return redirect("connect:key-list")
    return render(request, "connect/key_form.html", {"form": form})


@page_view(can_use_connect)
def key_delete(request, pk):
    key = _key(request, pk)
    return _confirm_delete(
        request, key, kind="PGP key", done="connect:key-list", cancel="connect:key-list",
        consequence="Dataflows can no longer use it; its private part, if any, is deleted.",
        delete=lambda: services_admin.key_delete(actor=request.user, org=request.org, key=key))


# --- dataflows -----------------------------------------------------------------------------------------------

@page_view(can_use_connect)
def dataflow_list(request):
    listing = _listing(request, DATAFLOW_LIST, selectors.dataflow_overview(actor=request.user, org=request.org),
                       "name")
    if listing.wants_csv:
        return listing.csv_response()
    for flow in listing.page:
        flow.schedule_words = schedule.describe(flow.schedule)
    return render(request, "connect/dataflow_list.html",
                  {"list": listing, "page": listing.page, "query": listing.query})


@page_view(can_use_connect)
def dataflow_template_pick(request):
    return render(request, "connect/dataflow_templates.html", {"templates": ft.template_list()})


def _dataflow_form(request, template, *, initial=None, data=None):
    return DataflowForm(data, initial=initial, template=template,
                        connections=selectors.connection_list(actor=request.user, org=request.org).order_by("name"),
                        keys=selectors.pgp_key_list(actor=request.user, org=request.org).order_by("name"))


def _dataflow_form_page(request, template, *, flow=None):
    initial = DataflowForm.initial_from(services_admin.dataflow_state(flow), template) if flow else None
    form = _dataflow_form(request, template, initial=initial, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if flow is None:
                flow = services_admin.dataflow_create(actor=request.user, org=request.org, data=form.to_data())
                messages.success(request, f"Dataflow {flow.name} created.")
            else:
                data = form.to_data()
                data.pop("template")
                services_admin.dataflow_update(actor=request.user, org=request.org, flow=flow, data=data)
                messages.success(request, f"Dataflow {data['name']} saved.")
        except AppError as e:
            apply_error(form, e)
        else:
            return redirect("connect:dataflow-detail", pk=flow.pk)
    return render(request, "connect/dataflow_form.html", {
        "form": form, "template": template, "flow": flow,
        "schedule_words": schedule.describe(flow.schedule) if flow else "",
        "title": f"Edit {flow.name}" if flow else f"New dataflow: {template.name}"})


@page_view(can_use_connect)
def dataflow_create(request, template_id):
    template = ft.template_get(template_id)
    if template is None:
        raise Http404("Not found.")
    return _dataflow_form_page(request, template)


@page_view(can_use_connect)
def dataflow_edit(request, pk):
    flow = _dataflow(request, pk)
    template = ft.template_get(flow.template)
    if template is None:
        raise Http404("Not found.")
    return _dataflow_form_page(request, template, flow=flow)


@page_view(can_use_connect)
def dataflow_detail(request, pk):
    flow = _dataflow(request, pk)
    runs = RUN_LIST.read(request, selectors.dataflow_runs(actor=request.user, org=request.org, dataflow=flow))
    if runs.wants_csv:
        return runs.csv_response()
    return render(request, "connect/dataflow_detail.html", {
        "flow": flow, "template": ft.template_get(flow.template), "schedule_words": schedule.describe(flow.schedule),
        "list": runs, "page": runs.page, "query": runs.query})


@require_POST
@page_view(can_use_connect)
def dataflow_run(request, pk):
    flow = _dataflow(request, pk)
    try:
        run = services_admin.run_start(actor=request.user, org=request.org, flow=flow)
    except AppError as e:
        messages.error(request, e.message)
        return redirect("connect:dataflow-detail", pk=flow.pk)
    messages.success(request, f"Run {run.pk} of {flow.name} queued.")
    return redirect("connect:run-detail", pk=run.pk)


@page_view(can_use_connect)
def dataflow_delete(request, pk):
    flow = _dataflow(request, pk)
    return _confirm_delete(
        request, flow, kind="dataflow", done="connect:dataflow-list", cancel="connect:dataflow-detail",
        consequence="Its run history and the record of delivered files are deleted with it; "
                    "files already delivered stay where they are.",
        delete=lambda: services_admin.dataflow_delete(actor=request.user, org=request.org, flow=flow))


# --- runs ----------------------------------------------------------------------------------------------------

def _run_context(run) -> dict:
    files = list(run.files.all())
    for f in files:
        f.error_words = error_words(f.error) if f.error else ""
    percent = None
    if run.current_size:
        percent = min(100, int(run.current_bytes * 100 / run.current_size))
    return {"run": run, "files": files, "percent": percent,
            "run_error_words": error_words(run.error_code) if run.error_code else ""}


@page_view(can_use_connect)
def run_detail(request, pk):
    run = _run(request, pk)
    return render(request, "connect/run_detail.html", _run_context(run))


@page_view(can_use_connect)
def run_progress(request, pk):
    """The fragment the run page polls while the run is queued or running (htmx replaces it)."""
    return render(request, "connect/_run_progress.html", _run_context(_run(request, pk)))
