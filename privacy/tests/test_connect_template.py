"""The Connect+ template `pii-deletion` against the real SFTP server on loopback and real GnuPG (no mocks)."""

import csv
import io
import os

from accessadmin.models import AuditEvent
from connect import pgp
from connect.flow_templates import template_get
from connect.models import FileStatus, RunStatus
from connect.tests.transfer_fixtures import files_of, make_dataflow, make_key, run_now, write
from privacy.models import DeletionRequest, Source, Status


def results(path) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in csv.reader(io.StringIO(path.read_text()))]


def test_the_template_is_registered_with_the_file_moving_fields():
    template = template_get("pii-deletion")
    assert template is not None and template.processor is not None
    assert [s.name for s in template.sections] == ["source", "destination", "decrypt", "encrypt", ""]
    assert template.payload()["id"] == "pii-deletion"


def test_good_bad_and_duplicate_rows_are_filed_and_answered_in_a_results_file(acme, maker, shopper, enable, sftp):
    enable(acme)
    a, b = shopper(acme, 1), shopper(acme, 2)
    write(sftp.area / "out" / "requests.csv", (
        "identifierType,identifierValue,comments\n"
        "mobile,+491700000001,asked by letter\n"
        "email,nobody@example.com,unknown\n"
        "fax,1,bad type\n"
        f'id,{b.pk},"two\nlines"\n'
        "email,ANN1@example.com,duplicate of row 1\n").encode())
    flow = make_dataflow(acme, sftp, template="pii-deletion")

    run = run_now(flow)

    assert run.status == RunStatus.SUCCEEDED, files_of(run)
    assert files_of(run) == {"requests.csv": (FileStatus.DELIVERED, "")}
    assert os.listdir(sftp.area / "in") == ["requests.results.csv"]
    first = DeletionRequest.objects.get(customer=a)
    second = DeletionRequest.objects.get(customer=b)
    assert results(sftp.area / "in" / "requests.results.csv") == [
        ("row", "requestId", "result"),
        ("1", str(first.pk), "FILED"),
        ("2", "", "customer_not_found"),
        ("3", "", "invalid_identifier_type"),
        ("4", str(second.pk), "FILED"),
        ("5", str(first.pk), "request_exists"),
    ]
    assert (first.source, first.status, first.raised_by_key, first.comments) == (
        Source.CONNECT, Status.PENDING_APPROVAL, f"connect:{flow.pk}", "asked by letter")
    assert second.comments == "two\nlines"
    event = AuditEvent.objects.get(action="deletion_request.create", target_id=str(first.pk))
    assert event.after["raised_by"] == f"Connect+ {flow.name}" and event.after["source"] == "CONNECT"
    assert "ann1@example.com" not in (sftp.area / "in" / "requests.results.csv").read_text()
    # Once: a second run files nothing again.
    again = run_now(flow)
    assert again.status == RunStatus.SUCCEEDED and files_of(again) == {}
    assert DeletionRequest.objects.count() == 2


def test_an_encrypted_file_is_decrypted_and_a_large_one_streamed_in_batches(acme, maker, shopper, enable, sftp,
                                                                            pgp_pairs):
    enable(acme, approval_required=False)
    known = [shopper(acme, n) for n in range(1, 4)]
    lines = ["identifierType,identifierValue,comments\n"]
    for i in range(1, 2001):
        if i in (499, 1000, 1999):  # near and on the batch boundaries; the comment goes on over a line
            lines.append(f'email,{known[[499, 1000, 1999].index(i)].email},"row {i}\nsecond line"\n')
        else:
            lines.append(f"id,{10**12 + i},nobody\n")
    ours_public, ours_secret = pgp_pairs["ours"]
    with pgp.keyring() as gpg:
        gpg.import_keys(ours_public)
        encrypted = gpg.encrypt("".join(lines).encode(), gpg.list_keys()[0]["fingerprint"], always_trust=True)
        assert encrypted.ok
    write(sftp.area / "out" / "batch.csv.pgp", encrypted.data)
    flow = make_dataflow(acme, sftp, template="pii-deletion", decrypt_key=make_key(acme, ours_secret))

    run = run_now(flow)

    assert run.status == RunStatus.SUCCEEDED, files_of(run)
    assert os.listdir(sftp.area / "in") == ["batch.results.csv"]
    rows = results(sftp.area / "in" / "batch.results.csv")
    assert len(rows) == 2001 and [r[0] for r in rows[1:]] == [str(n) for n in range(1, 2001)]
    filed = {int(r[0]): r for r in rows[1:] if r[2] == "FILED"}
    assert sorted(filed) == [499, 1000, 1999]
    assert {r[2] for r in rows[1:]} == {"FILED", "customer_not_found"}
    assert DeletionRequest.objects.filter(status=Status.APPROVED, source=Source.CONNECT).count() == 3
    assert sorted(DeletionRequest.objects.values_list("comments", flat=True)) == [
        "row 1000\nsecond line", "row 1999\nsecond line", "row 499\nsecond line"]


def test_a_file_without_the_header_fails_and_files_nothing(acme, maker, shopper, enable, sftp):
    enable(acme)
    shopper(acme, 1)
    write(sftp.area / "out" / "wrong.csv", b"mobile,comment\n+491700000001,x\n")
    write(sftp.area / "out" / "empty.csv", b"")
    flow = make_dataflow(acme, sftp, template="pii-deletion")

    run = run_now(flow)

    assert run.status == RunStatus.FAILED
    assert files_of(run) == {"empty.csv": (FileStatus.FAILED, "invalid_csv"),
                             "wrong.csv": (FileStatus.FAILED, "invalid_csv")}
    assert os.listdir(sftp.area / "in") == []
    assert DeletionRequest.objects.count() == 0


def test_the_dataflow_pages_offer_the_template(acme_admin, pages):
    client = pages(acme_admin)
    pick = client.get("/connect/dataflows/new/").content.decode()
    assert "PII deletion requests" in pick and "/connect/dataflows/new/pii-deletion/" in pick
    form = client.get("/connect/dataflows/new/pii-deletion/")
    assert form.status_code == 200 and "New dataflow: PII deletion requests" in form.content.decode()
