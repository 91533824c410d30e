"""The planning rule as values: which cell a request needs, which built-in covers a set, and the names."""

from types import SimpleNamespace

from rollout import planning

KNOWN = frozenset({"customer", "points", "store"})
RESOURCES = [SimpleNamespace(key="customer", name="Customer"), SimpleNamespace(key="points", name="Points"),
             SimpleNamespace(key="store", name="Store")]


def test_the_method_decides_read_or_write_and_neither_implies_the_other():
    assert planning.cell_of("customer", "data", "GET", KNOWN) == ("customer", "data", "read")
    assert planning.cell_of("customer", "data", "HEAD", KNOWN) == ("customer", "data", "read")
    assert planning.cell_of("customer", "data", "POST", KNOWN) == ("customer", "data", "write")
    assert planning.cell_of("customer", "data", "DELETE", KNOWN) == ("customer", "data", "write")
    # No cell can allow these: an unknown method, a path outside the catalogue, a resource that is gone.
    assert planning.cell_of("customer", "data", "OTHER", KNOWN) is None
    assert planning.cell_of("", "", "GET", KNOWN) is None
    assert planning.cell_of("survey", "data", "GET", KNOWN) is None


def test_the_least_wide_covering_builtin_wins():
    instore = SimpleNamespace(name="Instore")
    pos = SimpleNamespace(name="POS")
    builtins = [(pos, frozenset({("customer", "data", "read"), ("customer", "data", "write"),
                                 ("points", "data", "read"), ("points", "data", "write")})),
                (instore, frozenset({("customer", "data", "write")}))]
    assert planning.covering_builtin(frozenset({("customer", "data", "write")}), builtins) is instore
    assert planning.covering_builtin(frozenset({("customer", "data", "read")}), builtins) is pos
    assert planning.covering_builtin(frozenset({("store", "config", "read")}), builtins) is None


def test_names_come_from_the_content_in_catalogue_order():
    cells = frozenset({("points", "data", "read"), ("points", "data", "write"), ("customer", "data", "write"),
                       ("store", "config", "read")})
    assert planning.name_for(cells, RESOURCES) == "Customer W + Points RW + Store config R"
    many = [SimpleNamespace(key=f"r{i}", name=f"Resource number {i}") for i in range(20)]
    long = planning.name_for(frozenset((f"r{i}", "data", "read") for i in range(20)), many)
    assert len(long) <= planning.NAME_MAX and long.endswith("more")
    taken = {"customer rw"}
    assert planning.unique_name("Customer RW", taken) == "Customer RW (2)"
    assert planning.unique_name("Customer RW", taken) == "Customer RW (3)"
    assert planning.from_strings(planning.as_strings(cells)) == cells
