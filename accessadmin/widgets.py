"""Choosing one of many rows (10,000 access groups, 100,000 stores) by typing: the search-as-you-type field.

The page holds only the chosen row; what matches the typed text comes from a choices endpoint (an app's
page view answering `includes/search_select_options.html`, or JSON), fetched by htmx as the user types.
`static/js/search-select.js` adds the keyboard (arrows, Enter, Escape) and the ARIA combobox state.
Without JavaScript the field still works: the typed text is sent as `<name>_search`, and the field takes
the row with exactly that name (names and codes are unique in an org, case aside).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe


class ByName(str):
    """Text typed into a search field without picking a row (no JavaScript): the field looks it up."""


class Extra(str):
    """A fixed option's value (e.g. "none") as a field's cleaned value: equal to the value, shown as its label."""

    def __new__(cls, value: str, label: str):
        extra = super().__new__(cls, value)
        extra.label = str(label)
        return extra

    def __str__(self):
        return self.label


class SearchSelect(forms.Widget):
    """A combobox: a visible search input (`<name>_search`) and the chosen value in a hidden input `<name>`.

    `url_name` is the choices endpoint; `extras` are fixed options listed before the matches (e.g. "none");
    `label_of(value)` returns the chosen value's label (the field sets it)."""

    template_name = "includes/search_select.html"

    def __init__(self, *, url_name: str = "", url_query: str = "", placeholder: str = "Type to search", extras=(),
                 submit_on_choose=False, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.url_query = url_query
        self.placeholder = placeholder
        self.extras = list(extras)
        self.submit_on_choose = submit_on_choose
        self.label_of = lambda value: ""

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if value:
            return value
        text = (data.get(f"{name}_search") or "").strip()
        return ByName(text) if text else value

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_search" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = "" if value is None or isinstance(value, ByName) else str(value)
        extras = {str(k): str(v) for k, v in self.extras}
        label = str(value) if isinstance(value, ByName) else extras.get(chosen) or (
            self.label_of(chosen) if chosen else "")
        element_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update({
            "id": element_id, "value": chosen, "label": label, "search_name": f"{name}_search",
            "list_id": f"{element_id}_options", "placeholder": self.placeholder,
            "url": reverse(self.url_name) + (f"?{self.url_query}" if self.url_query else ""),
            "extras": list(extras.items()), "submit_on_choose": self.submit_on_choose,
        })
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's templates (not the form renderer's, which knows only Django's own widget templates).
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 - a template's escaped output

    def id_for_label(self, id_):
        return id_  # the visible search input carries the id: the <label for> points at what is typed into


class SearchModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for large querysets: rendered as a SearchSelect (it never lists the queryset) and
    validated by one indexed lookup of the chosen id, or of the exact name typed without JavaScript
    (`name_field`, compared ignoring case). `extras` are fixed (value, label) options returned as the value
    itself (e.g. ("none", "No group"))."""

    def __init__(self, queryset, *, url_name: str, url_query: str = "", name_field: str = "name", extras=(),
                 placeholder="Type to search", submit_on_choose=False, **kwargs):
        kwargs.setdefault("widget", SearchSelect(url_name=url_name, url_query=url_query, placeholder=placeholder,
                                                 extras=extras, submit_on_choose=submit_on_choose))
        super().__init__(queryset, **kwargs)
        self.name_field = name_field
        self.extras = {str(k): v for k, v in extras}
        self.widget.label_of = self._label_of

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)  # each form gets copies: the copy's widget asks the copy's queryset
        result.widget.label_of = result._label_of
        return result

    def _label_of(self, value) -> str:
        key = self.to_field_name or "pk"
        row = getattr(self, "_chosen", None)  # the row validation found: no second query for its label
        if row is None or str(getattr(row, key)) != str(value):
            try:
                row = self.queryset.filter(**{key: value}).first()
            except (TypeError, ValueError, ValidationError):
                return ""
        return self.label_from_instance(row) if row is not None else ""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if str(value) in self.extras:
            return Extra(str(value), self.extras[str(value)])
        if isinstance(value, ByName):
            rows = list(self.queryset.filter(**{f"{self.name_field}__iexact": value})[:2])
            if len(rows) != 1:
                raise ValidationError(f"Nothing is named {value!r}: type part of it and pick from the list.",
                                      code="invalid_choice")
            self._chosen = rows[0]
            return rows[0]
        self._chosen = super().to_python(value)
        return self._chosen

    def validate(self, value):
        if isinstance(value, str) and value in self.extras:
            return
        super().validate(value)


CHOICES_LIMIT = 20
_LIST_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,99}$")


def choices_query(request) -> str:
    """Returns the text typed into the search field that asked (its name is in `param`), else `q`."""
    param = request.GET.get("param") or "q"
    return (request.GET.get(param) or request.GET.get("q") or "").strip()[:100]


def choices_response(request, rows: list[dict], *, more: bool) -> HttpResponse:
    """Returns the matches `rows` ([{"value", "label", "detail"}], at most CHOICES_LIMIT) as the options of a
    SearchSelect's listbox, or as JSON (`?format=json` or `Accept: application/json`):
    {"results": [{"value", "label", "detail"}], "more": bool}. `more`: there were more matches."""
    q = choices_query(request)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"results": rows, "more": more})
    list_id = request.GET.get("list", "")
    extras = []
    for item in request.GET.getlist("extra"):
        value, _, label = item.partition("|")
        if value and label and (not q or q.lower() in label.lower()):
            extras.append((value[:50], label[:200]))
    return render(request, "includes/search_select_options.html", {
        "rows": rows, "more": more, "q": q, "extras": extras,
        "list_id": list_id if _LIST_ID.match(list_id) else "choices"})
