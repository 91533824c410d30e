"""Pages of rollout plans (/rollout/): the list with "make a plan", a plan's review with rename, apply and
undo, its stores; and the org page's section showing the path report-only → usage → plan → apply → enforce."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from accessadmin.errors import AppError
from accessadmin.forms import apply_error
from accessadmin.pages import page_view, paginate, query_without_page
from groups import cells as cellsmod
from groups import selectors as group_selectors

from . import planning, policies, selectors, services
from .forms import PlanForm, RenameForm
from .models import PlanAssignment, RolloutPlan


def rollout_path_section(request, org) -> str:
    """Returns the org page's rollout section (for users who may plan; nothing for others)."""
    if not policies.can_plan_rollout(request.user):
        return ""
    return render_to_string("rollout/_path.html", {"path": selectors.rollout_path(org=org)}, request=request)


@page_view(policies.can_plan_rollout)
def plan_list(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, org=request.org, days=form.cleaned_data["days"])
        except AppError as e:
            apply_error(form, e)
        else:
            messages.success(request, f"Plan #{plan.pk} made from {plan.days} day{pluralize(plan.days)} of usage. "
                                      "Review it, then apply.")
            return redirect("rollout:detail", pk=plan.pk)
    return render(request, "rollout/plan_list.html", {
        "form": form, "page": paginate(request, selectors.plan_list(org=request.org)),
        "path": selectors.rollout_path(org=request.org), "query": query_without_page(request)})


def _review(request, plan, rename_form=None):
    org = request.org
    resources = group_selectors.resource_list()
    default = group_selectors.default_group(org=org)
    diff = selectors.plan_diff(plan=plan, default_name=default.name)
    proposals = [{"proposal": p, "matrix": [row for row in cellsmod.matrix(planning.from_strings(p.grants), resources)
                                           if any(row[k] for k in ("data_read", "data_write", "config_read",
                                                                   "config_write"))],
                  "moves": diff["groups"].get(p.key, [])} for p in selectors.proposed_groups(plan=plan)]
    stale = plan.status == RolloutPlan.Status.DRAFT and selectors.allocation_mark(org=org) > plan.basis_event_id
    return render(request, "rollout/plan_detail.html", {
        "plan": plan, "proposals": proposals, "diff": diff, "stale": stale, "default": default,
        "rename_form": rename_form, "without_usage": max(plan.store_total - plan.stores_with_usage, 0)})


@page_view(policies.can_plan_rollout)
def plan_detail(request, pk):
    plan = selectors.plan_get(org=request.org, pk=pk)
    if request.method == "POST":
        form = RenameForm(request.POST)
        if form.is_valid():
            try:
                services.plan_group_rename(actor=request.user, org=request.org, plan=plan,
                                           key=form.cleaned_data["key"], name=form.cleaned_data["name"])
            except AppError as e:
                apply_error(form, e)
            else:
                messages.success(request, f"Proposed group renamed to {form.cleaned_data['name']}.")
                return redirect("rollout:detail", pk=plan.pk)
        return _review(request, plan, rename_form=form)
    return _review(request, plan)


def _act(request, pk, service, done: str):
    plan = selectors.plan_get(org=request.org, pk=pk)
    try:
        service(actor=request.user, org=request.org, plan=plan)
    except AppError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done.format(pk=plan.pk))
    return redirect("rollout:detail", pk=plan.pk)


@require_POST
@page_view(policies.can_plan_rollout)
def plan_apply(request, pk):
    return _act(request, pk, services.plan_apply,
                "Plan #{pk} applied: its groups exist and its stores use them from the next request.")


@require_POST
@page_view(policies.can_plan_rollout)
def plan_undo(request, pk):
    return _act(request, pk, services.plan_undo,
                "Plan #{pk} undone: the allocation and default group are as before; its groups are inactive.")


@page_view(policies.can_plan_rollout)
def plan_assignments(request, pk):
    plan = selectors.plan_get(org=request.org, pk=pk)
    key = request.GET.get("group", "")
    key = int(key) if key.isascii() and key.isdigit() and len(key) < 10 else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlanAssignment.Kind.values else ""
    page = paginate(request, selectors.plan_assignments(plan=plan, key=key, kind=kind), per_page=100)
    proposal = selectors.proposed_group_get(plan=plan, key=key) if key is not None else None
    return render(request, "rollout/plan_assignments.html", {
        "plan": plan, "page": page, "proposal": proposal, "kind": kind, "query": query_without_page(request)})
