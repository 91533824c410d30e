"""The list machinery (accessadmin.lists): sort keys, chips, page size, CSV cells, bulk ids."""

import csv
import io
from operator import attrgetter

import pytest
from django import forms
from django.db.models.functions import Lower
from django.test import RequestFactory

from accessadmin.lists import BULK_LIMIT, Column, ListSpec, csv_safe, search_form, selected_ids
from accessadmin.models import User
from accessadmin.testing import make_user

pytestmark = pytest.mark.django_db

USERS = ListSpec(columns=(Column("username", "Username", sort=Lower("username"), csv=attrgetter("username")),
                          Column("email", "Email", sort="email", csv=attrgetter("email")),
                          Column("note", "Note", csv=lambda u: u.first_name, shown=False)),
                 default_sort="username", filename="users")


def _listing(query=""):
    request = RequestFactory().get(f"/users/?{query}")
    return USERS.read(request, User.objects.filter(username__istartswith="lst-"), filters=search_form(request))


def test_names_sort_case_insensitively_with_pk_as_tie_breaker(acme):
    for name in ("lst-b", "LST-A", "lst-c", "Lst-B2"):
        make_user(acme, username=name)
    assert [u.username for u in _listing().page] == ["LST-A", "lst-b", "Lst-B2", "lst-c"]
    assert [u.username for u in _listing("sort=-username").page] == ["lst-c", "Lst-B2", "lst-b", "LST-A"]
    # An unknown or unsortable key falls back to the default order.
    assert [u.username for u in _listing("sort=note").page][0] == "LST-A"
    assert [u.username for u in _listing("sort=bogus").page][0] == "LST-A"


def test_headers_say_how_they_sort_and_link_to_the_other_way():
    headers = _listing("sort=username&q=x").headers
    assert [h["label"] for h in headers] == ["Username", "Email"]  # the CSV-only column is not shown
    assert headers[0]["aria_sort"] == "ascending" and "sort=-username" in headers[0]["url"]
    assert "q=x" in headers[0]["url"]
    assert headers[1]["aria_sort"] is None and "sort=email" in headers[1]["url"]
    headers = _listing("sort=-username").headers
    assert headers[0]["aria_sort"] == "descending" and "sort=username" in headers[0]["url"]


def test_chips_remove_only_their_filter():
    listing = _listing("q=acme&sort=-email&per_page=50&page=2")
    assert [(c["label"], c["value"]) for c in listing.chips] == [("Search", "acme")]
    remove = listing.chips[0]["remove_url"]
    assert remove == "?sort=-email&per_page=50"  # the search and the page number go, the rest stays
    assert listing.clear_url == "?sort=-email&per_page=50"
    assert _listing("q=").chips == [] and _listing("").chips == []


@pytest.mark.parametrize(("value", "size"), [("50", 50), ("100", 100), ("7", 25), ("abc", 25), ("", 25),
                                             ("-1", 25), ("99999999999999999999", 25)])
def test_page_size_is_one_of_the_offered_ones(value, size):
    assert _listing(f"per_page={value}").page_size == size


@pytest.mark.parametrize(("value", "cell"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("plain", "plain"), (None, ""), (True, "yes"), (False, "no"), (-3, "-3"), (["a", "b"], "a, b"),
])
def test_csv_cells_cannot_become_formulas(value, cell):
    assert csv_safe(value) == cell


def test_csv_streams_the_filtered_sorted_rows(acme):
    for name in ("lst-b", "LST-A", "lst-zz"):
        make_user(acme, username=name, email=f"=HYPERLINK({name})", first_name="n")
    request = RequestFactory().get("/users/?format=csv&sort=-username&q=zz")
    form = search_form(request)
    qs = User.objects.filter(username__istartswith="lst-")
    if form.cleaned_data["q"]:
        qs = qs.filter(username__icontains=form.cleaned_data["q"])
    listing = USERS.read(request, qs, filters=form)
    assert listing.wants_csv
    response = listing.csv_response()
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="users-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [["Username", "Email", "Note"], ["lst-zz", "'=HYPERLINK(lst-zz)", "n"]]


def test_selected_ids_keep_distinct_positive_integers_only():
    request = RequestFactory().post("/", {"ids": ["3", "x", "3", "-1", "0", "7", ""]})
    assert selected_ids(request) == [3, 7]
    request = RequestFactory().post("/", {"ids": [str(i) for i in range(1, BULK_LIMIT + 50)]})
    assert len(selected_ids(request)) == BULK_LIMIT


def test_filter_fields_say_what_they_are_without_their_hidden_labels(rf):
    class Filters(forms.Form):
        q = forms.CharField(required=False, label="Search")
        status = forms.ChoiceField(required=False, label="Status",
                                   choices=[("", "---------"), ("active", "Active")])

    request = rf.get("/things/")
    form = Filters(request.GET)
    form.is_valid()
    spec = ListSpec(columns=(Column("name", "Name", sort="name"),), default_sort="name", filename="things")
    fields = {f.name: f for f in spec.read(request, User.objects.none(), filters=form).filter_fields}
    assert 'placeholder="Search"' in str(fields["q"])
    assert ">Any status</option>" in str(fields["status"]) and "---------" not in str(fields["status"])
