"""Member care pages of group loyalty: the group search, a group's Overview, Loyalty and Events tabs, its member
list download, and the parts of a customer's profile page (their groups, the company hierarchy) and of the
member search (Members | Groups).

Every identity shown goes through shopper data's one masking path (selectors.identities with the reader's
AccessPlan). While the org's program is off, groups are hidden: the search lists none and a group's pages
answer 404.
"""

from dataclasses import dataclass
from operator import attrgetter

from django import forms
from django.core.paginator import Paginator
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accessadmin.errors import InvalidInput, NotFound
from accessadmin.lists import Column, ListSpec
from accessadmin.pages import page_view
from shopperdata import selectors as shopper_selectors

from . import policies, selectors
from .models import GroupLedgerEntry, UserGroup

CHUNK = 500  # CSV rows whose identities are looked up together


class GroupSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, strip=True, label="Search", widget=forms.TextInput(attrs={
        "type": "search", "placeholder": "Name, external id or a primary member's mobile or email"}))
    status = forms.ChoiceField(required=False, label="Status", choices=[("", "Any status"), *UserGroup.Status.choices])
    group_type = forms.ChoiceField(required=False, label="Type", choices=[("", "Any type"), *UserGroup.Type.choices])


class EventFilterForm(forms.Form):
    member = forms.TypedChoiceField(required=False, label="Member", coerce=int, empty_value=None)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, members):
        super().__init__(data)
        self.fields["member"].choices = [("", "Every member"), *((r.membership.customer_id, r.identity.name)
                                                                   for r in members)]


def _in_chunks(queryset, enrich):
    """Yields the rows of `queryset` read in chunks of CHUNK, each chunk passed through `enrich` (which looks up
    the chunk's identities in one query): a CSV of any length in flat memory and one query per chunk."""
    chunk = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from enrich(chunk)
            chunk = []
    if chunk:
        yield from enrich(chunk)


def _with_q(url: str, q: str) -> str:
    return f"{url}?{urlencode({'q': q})}" if q else url


def _slab_name(program, index: int) -> str:
    return selectors.slab_at(selectors.slabs_of(program), index).name


GROUPS = ListSpec(columns=(
    Column("name", "Group", sort=Lower("name"), csv=attrgetter("name")),
    Column("external_id", "External id", sort=Lower("external_id"), csv=attrgetter("external_id")),
    Column("type", "Type", sort="group_type", csv=lambda g: g.get_group_type_display()),
    Column("primary", "Primary member", csv=lambda g: g.primary_identity.name if g.primary_identity else ""),
    Column("members", "Members", sort="active_members", csv=attrgetter("active_members")),
    Column("slab", "Slab", sort="slab_index", csv=attrgetter("slab_name")),
    Column("points", "Points", sort="balance", csv=attrgetter("balance")),
    Column("status", "Status", sort="status", csv=lambda g: g.get_status_display()),
    Column("created", "Created", sort="created_at", csv=attrgetter("created_at")),
), default_sort="-created", filename="user-groups")


def _with_identities(groups, *, org, plan, program):
    """Sets `primary_identity` and `slab_name` on each group (one query for all identities)."""
    groups = list(groups)
    who = selectors.identities(org=org, customer_ids=[g.primary_customer_id for g in groups], plan=plan)
    for group in groups:
        group.primary_identity = who.get(group.primary_customer_id)
        group.slab_name = _slab_name(program, group.slab_index)
    return groups


@page_view(policies.can_view_groups)
def group_list(request):
    org = request.org
    program = selectors.program_get(org=org)
    form = GroupSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data if program.enabled else {}
    plan = shopper_selectors.plan_for(actor=request.user, org=org)
    groups = selectors.group_list(org=org, plan=plan, q=data.get("q", ""), status=data.get("status") or None,
                                  group_type=data.get("group_type") or None)
    listing = GROUPS.read(request, groups if program.enabled else groups.none(), filters=form)
    if listing.wants_csv and program.enabled:
        return listing.csv_response(_in_chunks(
            listing.queryset, lambda chunk: _with_identities(chunk, org=org, plan=plan, program=program)))
    rows = _with_identities(listing.page, org=org, plan=plan, program=program)
    return render(request, "loyalty/group_list.html", {
        "list": listing, "page": listing.page, "rows": rows, "form": form, "enabled": program.enabled,
        "can_manage_program": policies.can_manage_program(request.user),
        "members_url": _with_q(reverse("shopperdata:profile-list"), data.get("q", "")),
    })


# --- one group ---------------------------------------------------------------------------------------------------

TABS = (("overview", "Overview", "loyalty:group-detail"), ("loyalty", "Loyalty", "loyalty:group-loyalty"),
        ("events", "Events", "loyalty:group-events"))


def _group_context(request, pk, tab: str) -> dict:
    """Returns what every tab shows in its head, or raises Http404 (another org's group, or the program off)."""
    org = request.org
    program = selectors.program_get(org=org)
    if not program.enabled:
        raise Http404("Group loyalty is off.")
    try:
        group = selectors.group_detail_get(org=org, group_id=pk)
    except (NotFound, InvalidInput) as err:  # missing, another org's, or an id past the column: one answer
        raise Http404("No such group.") from err
    plan = shopper_selectors.plan_for(actor=request.user, org=org)
    parent = group.parent if group.parent_id else None
    return {"group": group, "program": program, "plan": plan, "tab": tab, "parent": parent,
            "slab_name": _slab_name(program, group.slab_index),
            "tabs": [{"key": key, "label": label, "url": reverse(name, args=[group.pk]), "current": key == tab}
                     for key, label, name in TABS]}


MEMBER_PAGE = 50
# (label, is a block) of each member permission, in words a CSR reads
PERMISSION_LABELS = {
    "allow_points_redemption": ("May redeem group points", False),
    "allow_points_transfer": ("May transfer group points", False),
    "block_points_redemption": ("Redemption blocked", True),
    "block_points_transfer": ("Transfer blocked", True),
}


@page_view(policies.can_view_groups)
def group_detail(request, pk):
    """Overview: status, identity of the group, its primary member, member counts and the members table."""
    context = _group_context(request, pk, "overview")
    group, plan = context["group"], context["plan"]
    memberships = selectors.membership_list(group=group)
    page = Paginator(memberships, MEMBER_PAGE).get_page(request.GET.get("page"))
    # One identity lookup for the page's members and the primary member (who may be on another page).
    who = selectors.identities(org=request.org, plan=plan,
                               customer_ids=[*(m.customer_id for m in page), group.primary_customer_id])
    members = [(selectors.MemberRow(m, who[m.customer_id], m.points_contributed or 0),
                [PERMISSION_LABELS[name] for name in m.permissions]) for m in page]
    primary = who.get(group.primary_customer_id)
    children = selectors.child_groups(group=group) if group.group_type == UserGroup.Type.COMPANY else []
    return render(request, "loyalty/group_detail.html", {
        **context, "members": members, "page": page, "primary": primary, "children": children,
        "is_company": group.group_type == UserGroup.Type.COMPANY})


MEMBERS_CSV = ListSpec(columns=(
    Column("customer_id", "Customer id", sort="customer_id", csv=lambda r: r.membership.customer_id),
    Column("member", "Member", csv=lambda r: r.identity.name),
    Column("primary", "Primary member", csv=lambda r: r.membership.primary),
    Column("role", "Role", csv=lambda r: r.membership.role),
    Column("joined", "Joined", csv=lambda r: r.membership.joined_at),
    Column("exited", "Exited", csv=lambda r: r.membership.left_at),
    Column("points", "Points contributed", csv=attrgetter("points_contributed")),
    Column("permissions", "Permissions", csv=lambda r: " ".join(r.membership.permissions)),
    Column("default", "Default group", csv=lambda r: r.membership.default_group),
), default_sort="customer_id", filename="group-members")


@page_view(policies.can_view_groups)
def group_members_csv(request, pk):
    """The group's member list as CSV, primary member first, identities masked as on the page."""
    context = _group_context(request, pk, "overview")
    group, plan = context["group"], context["plan"]
    memberships = selectors.membership_list(group=group)
    rows = _in_chunks(memberships, lambda chunk: selectors.member_rows(org=request.org, memberships=chunk, plan=plan))
    return MEMBERS_CSV.read(request, memberships).csv_response(rows)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    period: dict


CHART_W, CHART_H = 600, 160


def _chart(series: list[dict], summary) -> dict:
    """Returns the tracker chart's geometry: one bar per period (the running tracker), lines at the next
    threshold and the renewal threshold, all in a CHART_W × CHART_H box."""
    marks = [("Next slab", summary.next_slab.threshold) if summary.next_slab else None,
             ("Renewal", summary.slab.renewal_threshold) if summary.slab.renewal_threshold else None]
    marks = [m for m in marks if m]
    top = max([p["tracker"] for p in series] + [v for _, v in marks] + [1])
    step = CHART_W / max(len(series), 1)

    def y_of(value):
        return CHART_H - CHART_H * value / top

    bars = [Bar(x=round(i * step + 2, 1), y=round(y_of(p["tracker"]), 1), width=round(max(step - 4, 1), 1),
                height=round(CHART_H - y_of(p["tracker"]), 1), period=p) for i, p in enumerate(series)]
    lines = [{"label": label, "value": value, "y": round(y_of(value), 1)} for label, value in marks]
    return {"bars": bars, "lines": lines, "width": CHART_W, "height": CHART_H}


@page_view(policies.can_view_groups)
def group_loyalty(request, pk):
    """Loyalty: slab, points, tracker with a chart of the window, gaps, expiry and the slab history."""
    context = _group_context(request, pk, "loyalty")
    group, program = context["group"], context["program"]
    now = timezone.now()
    series = selectors.tracker_series(group=group, program=program, now=now)
    # The series runs up to the window's total: the tracker, without a second pass over the ledger.
    summary = selectors.loyalty_summary(group=group, program=program, now=now,
                                        tracked=series[-1]["tracker"] if series else 0)
    return render(request, "loyalty/group_loyalty.html", {
        **context, "summary": summary, "series": series, "chart": _chart(series, summary),
        "history": selectors.slab_history(group=group)[:50]})


EVENT_PAGE = 25


@page_view(policies.can_view_groups)
def group_events(request, pk):
    """Events: the group's points ledger or its members' transactions, by member and between two days."""
    context = _group_context(request, pk, "events")
    group, plan, org = context["group"], context["plan"], request.org
    members = selectors.member_rows(org=org, memberships=selectors.membership_list(group=group), plan=plan)
    form = EventFilterForm(request.GET, members=members)
    data = form.cleaned_data if form.is_valid() else {}
    show = "transactions" if request.GET.get("show") == "transactions" else "ledger"
    filters = {"customer_id": data.get("member"), "date_from": data.get("date_from"), "date_to": data.get("date_to")}
    if show == "ledger":
        entries = selectors.group_ledger(group=group, **filters).select_related("till", "transaction")
    else:
        entries = selectors.group_transactions(org=org, group=group, **filters).select_related("till", "store")
    page = Paginator(entries, EVENT_PAGE).get_page(request.GET.get("page"))
    names = {r.membership.customer_id: r.identity.name for r in members}
    rows = [(e, names.get(e.customer_id, f"Customer {e.customer_id}")) for e in page]
    params = request.GET.copy()
    params.pop("page", None)
    switch = {}
    for key in ("ledger", "transactions"):
        p = params.copy()
        p["show"] = key
        switch[key] = f"?{p.urlencode()}"
    return render(request, "loyalty/group_events.html", {
        **context, "form": form, "show": show, "page": page, "rows": rows, "query": params.urlencode(),
        "switch": switch, "filtered": any(v for v in filters.values()), "kinds": GroupLedgerEntry.Kind})


# --- a customer's profile and the member search -------------------------------------------------------------------


def profile_section(request, profile) -> str:
    """Returns the Groups and Company hierarchy part of a customer's profile page ("" when hidden)."""
    user, org = request.user, request.org
    if not policies.can_view_groups(user) or not selectors.program_enabled(org=org):
        return ""
    memberships = list(selectors.member_groups(org=org, customer_id=profile.pk))
    trees, seen = [], set()
    for membership in memberships:
        group = membership.group
        if group.group_type == UserGroup.Type.COMPANY and membership.left_at is None:
            tree = selectors.company_hierarchy(org=org, group=group)
            if tree is not None and tree.group_id not in seen:
                seen.add(tree.group_id)
                trees.append(tree)
    return render_to_string("loyalty/_profile_groups.html", {
        "profile": profile, "memberships": memberships, "trees": trees}, request=request)


def member_search_switch(request, _obj=None) -> str:
    """Returns the Members | Groups choice of the member search ("" when groups are hidden)."""
    if not policies.can_view_groups(request.user) or not selectors.program_enabled(org=request.org):
        return ""
    q = (request.GET.get("q") or "").strip()[:200]
    return render_to_string("loyalty/_search_switch.html", {
        "current": "members", "q": q,
        "groups_url": _with_q(reverse("loyalty:group-list"), q),
        "members_url": _with_q(reverse("shopperdata:profile-list"), q)},
        request=request)
