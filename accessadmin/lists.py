"""The one machinery of list pages: sort by column header, filters shown as removable chips, page size, CSV
export of the filtered and sorted rows, and the ids a bulk action posts.

A list page declares its columns once::

    STORES = ListSpec(
        columns=(Column("code", "Code", sort=Lower("code"), csv=attrgetter("code")), ...),
        default_sort="code", filename="stores")

and its view reads the request with it::

    listing = STORES.read(request, queryset, filters=filterset.form)
    if listing.wants_csv:
        return listing.csv_response()
    return render(request, "...", {"list": listing, "page": listing.page})

The templates use `includes/list_toolbar.html` (chips, CSV link, page size), `includes/list_head.html` (the
sortable header row) and `includes/pagination.html`. The queryset is the one the page shows: whatever the
actor may not see is already out of it, so the CSV cannot leak more than the page.
"""

import csv
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Expression, F, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .errors import AppError

PAGE_SIZES = (25, 50, 100)
# Query parameters the machinery owns: they are never filters, so never chips.
OWN_PARAMS = frozenset({"sort", "page", "per_page", "format", "ordering"})
# A bulk action acts on at most this many ids of one POST (more than any page shows).
BULK_LIMIT = 500
CSV_CHUNK = 2000
# Spreadsheets run a cell starting with one of these as a formula (CSV injection): such text gets a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: its URL key, header label, what it sorts by (None: not sortable) and its CSV value (None:
    not exported). Sort names of people and things with `Lower(...)`, so that `acme` sorts beside `Acme`."""

    key: str
    label: str
    sort: str | Expression | Callable[[Any], Any] | None = None
    csv: Callable[[Any], Any] | None = None
    shown: bool = True  # False: a CSV-only column (ids, long text the table leaves out)


class SearchForm(forms.Form):
    """The filter form of lists that only search (its `q` becomes the "Search" chip)."""

    q = forms.CharField(required=False, label="Search", max_length=200, strip=True,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search"}))


def search_form(request) -> SearchForm:
    form = SearchForm(request.GET)
    form.is_valid()
    return form


def csv_safe(value) -> str:
    """Returns `value` as CSV cell text; text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else str(value)
    if isinstance(value, (int, float)) or isinstance(value, datetime.date):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


@dataclass(frozen=True)
class ListSpec:
    columns: Sequence[Column]
    default_sort: str
    filename: str
    page_sizes: Sequence[int] = PAGE_SIZES
    # The order among rows the sort leaves equal (rows keep their place from page to page). Aggregated rows
    # (values().annotate()) have no pk: name their grouping columns instead.
    tiebreak: Sequence[str] = ("pk",)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key and c.sort is not None), None)

    def read(self, request, queryset, *, filters: forms.Form | None = None) -> "Listing":
        """Returns the listing of `queryset` for this request: sorted, paged, with chips of `filters` (a bound
        and validated form: a FilterSet's `.form` or `search_form(request)`)."""
        return Listing(self, request, queryset, filters)


def _order(sort, descending: bool):
    expression = F(sort) if isinstance(sort, str) else sort
    return expression.desc(nulls_last=True) if descending else expression.asc(nulls_first=True)


def _display(field: forms.Field, value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_display(field, v) for v in value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d %b %Y, %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d %b %Y")
    return str(value)


def _self_describing(field: forms.Field) -> None:
    """Makes a filter field say what it is without its (visually hidden) label: a choice list's empty choice
    reads "Any <label>" instead of "---------", a text box gets its label as placeholder."""
    label = str(field.label or "")
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        choices = list(choices)
        if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip("-") == "":
            field.choices = [("", f"Any {label.lower()}"), *choices[1:]]
    elif isinstance(field, forms.ModelChoiceField) and str(field.empty_label or "").strip("-") == "":
        field.empty_label = f"Any {label.lower()}" if field.empty_label is not None else None
    elif isinstance(field.widget, forms.TextInput) and label and not field.widget.attrs.get("placeholder"):
        field.widget.attrs["placeholder"] = label


class Listing:
    """What a list template needs: `page`, `headers`, `chips`, `clear_url`, `csv_url`, `page_size_links`,
    `query` (the query string without the page, for the pager)."""

    def __init__(self, spec: ListSpec, request, queryset, filters):
        self.spec = spec
        self.request = request
        self.params = request.GET
        raw = self.params.get("sort", "") or spec.default_sort
        key = raw.removeprefix("-")
        if spec.column(key) is None:
            raw, key = spec.default_sort, spec.default_sort.removeprefix("-")
        self.sort_key = key
        self.descending = raw.startswith("-")
        column = spec.column(key)
        if isinstance(queryset, QuerySet):
            # pk last: rows with equal sort values keep one order from page to page.
            self.queryset = queryset.order_by(_order(column.sort, self.descending), *spec.tiebreak)
        else:
            # A short list already in memory (e.g. properties with their rules): `sort` is a key function.
            rows = list(queryset)
            blanks = [r for r in rows if column.sort(r) is None]
            rows = sorted((r for r in rows if column.sort(r) is not None), key=column.sort,
                          reverse=self.descending)
            self.queryset = rows + blanks
        try:
            size = int(self.params.get("per_page", ""))
        except ValueError:
            size = 0
        self.page_size = size if size in spec.page_sizes else spec.page_sizes[0]
        self.filters = filters
        self.wants_csv = self.params.get("format") == "csv"
        self._page = None

    # --- URLs -----------------------------------------------------------------------------------------------

    def _url(self, drop=(), **set_params) -> str:
        params = self.params.copy()
        for name in (*drop, "page", "format"):
            params.pop(name, None)
        for name, value in set_params.items():
            params[name] = value
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def query(self) -> str:
        params = self.params.copy()
        params.pop("page", None)
        params.pop("format", None)
        return params.urlencode()

    @property
    def csv_url(self) -> str:
        return self._url(format="csv")

    # --- header, chips, page size ----------------------------------------------------------------------------

    @property
    def headers(self) -> list[dict]:
        out = []
        for c in self.spec.columns:
            if not c.shown:
                continue
            sorted_here = c.sort is not None and c.key == self.sort_key
            aria = ("descending" if self.descending else "ascending") if sorted_here else None
            next_sort = c.key if not (sorted_here and not self.descending) else f"-{c.key}"
            out.append({"key": c.key, "label": c.label, "sortable": c.sort is not None, "aria_sort": aria,
                        "url": self._url(sort=next_sort) if c.sort is not None else None})
        return out

    @property
    def chips(self) -> list[dict]:
        form = self.filters
        if form is None or not hasattr(form, "cleaned_data"):
            return []
        out = []
        for name, field in form.fields.items():
            if name in OWN_PARAMS:
                continue
            value = form.cleaned_data.get(name)
            if value in (None, "", [], ()) or value is False:
                continue
            # A range filter's widget posts name_after/name_before (django-filter) or name_min/name_max.
            drop = [name, f"{name}_after", f"{name}_before", f"{name}_min", f"{name}_max"]
            out.append({"name": name, "label": str(field.label or name), "value": _display(field, value),
                        "remove_url": self._url(drop=drop)})
        return out

    @property
    def clear_url(self) -> str:
        keep = {k: self.params[k] for k in ("sort", "per_page") if self.params.get(k)}
        params = self.params.copy()
        params.clear()
        params.update(keep)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def page_size_links(self) -> list[dict]:
        return [{"size": n, "current": n == self.page_size, "url": self._url(per_page=str(n))}
                for n in self.spec.page_sizes]

    @property
    def page(self):
        if self._page is None:
            self._page = Paginator(self.queryset, self.page_size).get_page(self.params.get("page"))
        return self._page

    @property
    def filter_fields(self) -> list:
        """The bound fields the filter bar shows (not the machinery's own parameters)."""
        form = self.filters
        if form is None:
            return []
        names = [name for name in form.fields if name not in OWN_PARAMS]
        for name in names:
            _self_describing(form.fields[name])
        return [form[name] for name in names]

    @property
    def kept_params(self) -> list[tuple[str, str]]:
        """(name, value) of sort and page size, carried as hidden inputs when the filter form is sent."""
        return [(k, self.params[k]) for k in ("sort", "per_page") if self.params.get(k)]

    @property
    def is_filtered(self) -> bool:
        return bool(self.chips)

    # --- CSV ------------------------------------------------------------------------------------------------

    def csv_response(self, rows=None) -> StreamingHttpResponse:
        """Returns the filtered, sorted rows as a streamed CSV (read in chunks: memory stays flat however many
        rows). `rows` replaces the plain iteration, for lists whose cells need a per-chunk step (masking)."""
        columns = [c for c in self.spec.columns if c.csv is not None]
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow([c.label for c in columns])
            if rows is not None:
                source = rows
            elif isinstance(self.queryset, QuerySet):
                source = self.queryset.iterator(chunk_size=CSV_CHUNK)
            else:
                source = self.queryset
            for obj in source:
                yield writer.writerow([csv_safe(c.csv(obj)) for c in columns])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="{self.spec.filename}-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response


def selected_ids(request, *, name: str = "ids") -> list[int]:
    """Returns the distinct integer ids a bulk form posted (anything else is dropped; at most BULK_LIMIT)."""
    out: list[int] = []
    seen: set[int] = set()
    for raw in request.POST.getlist(name):
        try:
            value = int(raw)
        except (TypeError, ValueError):
            continue
        if value > 0 and value not in seen:
            seen.add(value)
            out.append(value)
        if len(out) >= BULK_LIMIT:
            break
    return out


def bulk_confirm_or_act(request, *, title: str, intro: str, items: list[dict], refused: list[dict], act,
                        done: str, submit_label: str, back_url: str, action: str, danger: bool = True):
    """Returns the confirmation page of a bulk action, or (when the POST says `confirm`) acts and redirects.

    `items`: [{"pk", "name", "detail", "obj"}] that the action will change; `refused`: [{"name", "reason"}]
    that it leaves alone. `act(obj)` is the audited service call for one object; an AppError it raises is
    shown and the others still go on. `done` is the success message, with `{n}` and `{names}`."""
    if request.POST.get("confirm") and items:
        names, errors = [], []
        for item in items:
            try:
                act(item["obj"])
            except AppError as e:
                errors.append(f"{item['name']}: {e.message}")
            else:
                names.append(item["name"])
        if names:
            messages.success(request, done.format(n=len(names), names=", ".join(names)))
        for message in errors:
            messages.error(request, message)
        return redirect(back_url)
    return render(request, "includes/bulk_confirm.html", {
        "title": title, "intro": intro, "items": items, "refused": refused, "action": action,
        "action_url": request.path, "submit_label": submit_label, "cancel_url": back_url, "danger": danger})
