"""Pages of the privacy app: parse, call a selector or service, render or redirect.

Settings; deletion requests (list with filters and CSV export, detail with history, the approvals
queue, approve / reject / cancel / retry); raising a request from a customer's profile; bulk files.
The customer's profile page shows its part through a section registered in apps.py.
"""

from operator import attrgetter

from django.contrib import messages
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from accessadmin.errors import AppError, NotFound
from accessadmin.lists import Column, ListSpec
from accessadmin.pages import page_view, paginate, query_without_page

from . import bulk, filters, policies, selectors, services
from .forms import BulkForm, RejectForm, RequestFilterForm, RequestForm, SettingsForm
from .models import Source, Status


@page_view(policies.can_view_settings)
def settings_edit(request):
    current = selectors.settings_get(org=request.org)
    can_change = policies.can_manage_settings(request.user)
    initial = {"deletion_enabled": current.deletion_enabled, "waiting_period_days": current.waiting_period_days,
               "approval_required": current.approval_required}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and can_change and form.is_valid():
        try:
            services.settings_update(actor=request.user, org=request.org, changes=form.cleaned_data)
        except AppError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "Privacy settings saved.")
            return redirect("privacy:settings")
    elif request.method == "POST" and not can_change:
        messages.error(request, "Only administrators change the privacy settings.")
        return render(request, "privacy/settings_form.html", {"form": form, "can_change": can_change}, status=403)
    return render(request, "privacy/settings_form.html", {"form": form, "can_change": can_change})


# --- the customer's profile: its section, and raising a request --------------------------------------------------

def profile_section(request, profile) -> str:
    """Returns the deletion part of a customer's profile page (shopperdata's profile_detail): deleted or
    pending, the customer's requests for those who may see them, and "Request deletion"."""
    user, org = request.user, request.org
    can_view = policies.can_view_requests(user)
    requests = selectors.customer_requests(org=org, customer_id=profile.pk) if can_view else []
    open_request = next((r for r in requests if r.is_open), None)
    enabled = selectors.settings_get(org=org).deletion_enabled if policies.can_raise(user) else False
    return render_to_string("privacy/_profile_deletion.html", {
        "profile": profile, "requests": requests, "open_request": open_request, "can_view": can_view,
        "can_request": enabled and profile.deleted_at is None and open_request is None and not profile.deletion_pending,
        "may_raise": policies.can_raise(user), "enabled": enabled,
    }, request=request)


@page_view(policies.can_raise)
def request_create(request, customer_id):
    org = request.org
    customer = selectors.customer_for_request(org=org, customer_id=customer_id)
    current = selectors.settings_get(org=org)
    form = RequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            raised = services.request_raise(actor=request.user, org=org, source=Source.PAGE, customer_id=customer.pk,
                                            comments=form.cleaned_data["comments"])
        except AppError as err:
            form.add_error(None, err.message)
            status = err.status
        else:
            if raised.created:
                messages.success(request, f"Deletion request {raised.request.pk} raised "
                                          f"({raised.request.get_status_display().lower()}).")
            else:
                messages.warning(request, raised.warnings[0]["message"])
            return redirect("privacy:request-detail", raised.request.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "privacy/request_form.html", {
        "form": form, "customer": customer, "settings": current,
        "erased": selectors.erasure_preview(org=org, customer=customer),
        "open_request": selectors.open_request_for(customer_id=customer.pk),
    }, status=status)


# --- requests ---------------------------------------------------------------------------------------------------

REQUEST_LIST = ListSpec(
    columns=(
        Column("id", "Request", sort="id", csv=attrgetter("pk")),
        Column("customer", "Customer", sort="customer_id", csv=attrgetter("customer_id")),
        Column("status", "Status", sort="status", csv=attrgetter("status")),
        Column("source", "Source", sort="source", csv=attrgetter("source")),
        Column("created", "Raised", sort="created_at", csv=attrgetter("created_at")),
        Column("raised_by", "Raised by", sort=Lower("raised_by_repr"), csv=attrgetter("raised_by_repr")),
        Column("due", "Due", sort="due_at", csv=attrgetter("due_at")),
        Column("completed", "Executed", sort="completed_at", csv=attrgetter("completed_at")),
        # CSV only. A request holds the customer id, never the identifier value it was raised with.
        Column("identifier_type", "Identified by", csv=attrgetter("identifier_type"), shown=False),
        Column("comments", "Comments", csv=attrgetter("comments"), shown=False),
        Column("decided_by", "Decided by", csv=attrgetter("decided_by_repr"), shown=False),
        Column("decided_at", "Decided", csv=attrgetter("decided_at"), shown=False),
        Column("reason", "Reason", csv=attrgetter("reason"), shown=False),
        Column("failure", "Failure", csv=attrgetter("failure_reason"), shown=False),
    ),
    default_sort="-created", filename="deletion-requests")


@page_view(policies.can_view_requests)
def request_list(request):
    form = RequestFilterForm(request.GET)
    form.is_valid()
    try:
        chosen, error = filters.request_filters(request.GET), ""
    except AppError as err:
        chosen, error = {}, err.message
    listing = REQUEST_LIST.read(request, selectors.request_list(actor=request.user, org=request.org, **chosen),
                                filters=form)
    if listing.wants_csv and not error:
        return listing.csv_response()
    return render(request, "privacy/request_list.html", {
        "list": listing, "page": listing.page, "query": listing.query, "error": error,
        "can_approve": policies.can_approve(request.user), "can_raise": policies.can_raise(request.user),
    }, status=400 if error else 200)


@page_view(policies.can_approve)
def approval_queue(request):
    me = services.principal(request.user).key
    page = paginate(request, selectors.request_list(actor=request.user, org=request.org,
                                                    status=Status.PENDING_APPROVAL).order_by("created_at", "id"))
    rows = [(r, policies.may_approve_own(r.raised_by_key, me)) for r in page]
    return render(request, "privacy/approval_queue.html", {
        "page": page, "rows": rows, "query": query_without_page(request), "reject_form": RejectForm(),
        "settings": selectors.settings_get(org=request.org),
    })


def _request_or_404(request, pk):
    try:
        return selectors.request_get(actor=request.user, org=request.org, request_id=pk)
    except NotFound:
        raise Http404("No such deletion request.") from None


@page_view(policies.can_view_requests)
def request_detail(request, pk):
    return _detail(request, _request_or_404(request, pk))


def _detail(request, req, *, reject_form=None, status=200):
    user = request.user
    own = not policies.may_approve_own(req.raised_by_key, services.principal(user).key)
    pending = req.status == Status.PENDING_APPROVAL
    return render(request, "privacy/request_detail.html", {
        "req": req, "history": selectors.request_history(org=request.org, request=req),
        "own": own, "can_decide": pending and policies.can_approve(user),
        "can_cancel": req.is_open and policies.can_raise(user),
        "can_retry": req.status == Status.FAILED and policies.can_approve(user),
        "reject_form": reject_form or RejectForm(), "settings": selectors.settings_get(org=request.org),
    }, status=status)


def _decision(request, pk, act, done: str):
    try:
        req = act()
    except NotFound:
        raise Http404("No such deletion request.") from None
    except AppError as err:
        messages.error(request, err.message)
        return _detail(request, _request_or_404(request, pk), status=err.status)
    messages.success(request, f"Deletion request {req.pk} {done}.")
    if request.POST.get("next") == "queue":  # decided from the approvals queue: back to it
        return redirect("privacy:approvals")
    return redirect("privacy:request-detail", pk)


@require_POST
@page_view(policies.can_approve)
def request_approve(request, pk):
    return _decision(request, pk, lambda: services.request_approve(actor=request.user, org=request.org, request_id=pk),
                     "approved")


@require_POST
@page_view(policies.can_approve)
def request_reject(request, pk):
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail(request, _request_or_404(request, pk), reject_form=form, status=400)
    return _decision(request, pk, lambda: services.request_reject(
        actor=request.user, org=request.org, request_id=pk, reason=form.cleaned_data["reason"]), "rejected")


@require_POST
@page_view(policies.can_raise)
def request_cancel(request, pk):
    return _decision(request, pk, lambda: services.request_cancel(actor=request.user, org=request.org, request_id=pk),
                     "cancelled")


@require_POST
@page_view(policies.can_approve)
def request_retry(request, pk):
    return _decision(request, pk, lambda: services.request_retry(actor=request.user, org=request.org, request_id=pk),
                     "is due again")


# --- bulk files ---------------------------------------------------------------------------------------------------

SHOWN_RESULTS = 1000  # rows listed on the page; the results CSV has them all


@page_view(policies.can_raise)
def bulk_upload(request):
    form = BulkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            filing, results = bulk.start(actor=request.user, org=request.org, source=Source.BULK,
                                         lines=bulk.text_lines(upload))
        except AppError as err:
            form.add_error("file", err.message)
        else:
            if request.POST.get("results") == "csv":
                response = StreamingHttpResponse(bulk.csv_chunks(filing, results),
                                                 content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="deletion-requests-results.csv"'
                response["Cache-Control"] = "no-store"
                return response
            shown = []
            for result in results:  # every row is filed; the first SHOWN_RESULTS are listed
                if len(shown) < SHOWN_RESULTS:
                    shown.append(result)
            return render(request, "privacy/bulk_upload.html", {
                "form": BulkForm(), "results": shown, "totals": filing.totals(), "shown_max": SHOWN_RESULTS})
    return render(request, "privacy/bulk_upload.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@page_view(policies.can_raise)
def bulk_template(request):
    response = HttpResponse(bulk.TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deletion-requests-template.csv"'
    return response
