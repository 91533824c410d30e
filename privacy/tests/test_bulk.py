"""Bulk files: filed row by row in constant memory, answered per row."""

import gc
import itertools
import time
import tracemalloc

from privacy import bulk
from privacy.models import DeletionRequest, Source


def rows(n: int, known: list[str]):
    """The lines of a file of `n` rows: one in 1,000 names a known customer, the others nobody."""
    yield "identifierType,identifierValue,comments\n"
    known_cycle = itertools.cycle(known)
    for i in range(n):
        if i % 1000 == 0:
            yield f"email,{next(known_cycle)},known\n"
        else:
            yield f"email,nobody{i}@example.com,unknown customer {i}\n"


def peak_while_filing(maker, org, n: int, known: list[str]) -> tuple[int, dict]:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    filing, results = bulk.start(actor=maker, org=org, source=Source.BULK, lines=rows(n, known))
    codes: dict = {}
    for result in results:
        codes[result.code] = codes.get(result.code, 0) + 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert filing.total == n
    return peak, codes


def test_a_100000_row_file_is_filed_in_constant_memory(acme, maker, shopper, enable):
    enable(acme)
    known = [shopper(acme, n).email for n in range(1, 121)]
    started = time.perf_counter()
    small_peak, small = peak_while_filing(maker, acme, 10_000, known[:10])
    large_peak, large = peak_while_filing(maker, acme, 100_000, known[10:])
    assert small == {None: 10, "customer_not_found": 9_990}
    assert large == {None: 100, "customer_not_found": 99_900}
    assert DeletionRequest.objects.count() == 110
    # Ten times the rows, not ten times the memory: what a row costs is let go before the next one.
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
    assert large_peak < 4 * 1024 * 1024, large_peak
    print(f"peak {small_peak / 1024:.0f} KiB for 10,000 rows, {large_peak / 1024:.0f} KiB for 100,000 rows, "
          f"{time.perf_counter() - started:.0f} s")


def test_rows_are_matched_like_single_requests(acme, globex, maker, shopper, enable, api):

    enable(acme)
    a = shopper(acme, 1)
    b = shopper(acme, 2)
    theirs = shopper(globex, 3)
    lines = ["identifierType,identifierValue,comments\n",
             "mobile,491700000001,without the plus\n",       # a, found by its digits
             "mobile, +491700000001 ,spaces around\n",       # a again: its open request
             f"id,{b.pk},by id\n",
             f"id,{theirs.pk},another org's customer\n",
             "email,ann3@example.com,another org's email\n",
             "email,nobody@example.com," + "x" * 256 + "\n",  # too long comments win over not found
             "id,12x,not an id\n",
             "mobile,,empty value\n",
             "fax,1,bad type\n"]
    filing, results = bulk.start(actor=maker, org=acme, source=Source.BULK, lines=lines)
    got = [(r.row, r.code) for r in results]
    assert got == [(1, None), (2, "request_exists"), (3, None), (4, "customer_not_found"),
                   (5, "customer_not_found"), (6, "comments_too_long"), (7, "customer_not_found"),
                   (8, "identifier_required"), (9, "invalid_identifier_type")]
    assert filing.totals() == {"total": 9, "filed": 2, "existing": 1, "failed": 6}
    assert set(DeletionRequest.objects.values_list("customer_id", flat=True)) == {a.pk, b.pk}


def test_a_bulk_file_needs_the_deletion_privilege(acme, checker, shopper, enable, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    enable(acme)
    shopper(acme)
    upload = SimpleUploadedFile("r.csv", b"identifierType,identifierValue,comments\nmobile,+491700000001,x\n")
    r = api(checker).post("/api/v1/privacy/deletion-requests/bulk/", {"file": upload}, format="multipart")
    assert r.status_code == 403 and r.json()["code"] == "pii_deletion_forbidden"
    assert DeletionRequest.objects.count() == 0
