"""The sftp-to-sftp transfer against a real SFTP server on loopback and real GnuPG (no mocks)."""

import os

import pytest

from accessadmin.models import AuditEvent
from accessadmin.privileges import Privilege
from accessadmin.testing import make_user
from connect.models import DeliveredFile, FileStatus, RunFile, RunStatus, RunTrigger

from .transfer_fixtures import decrypt, files_of, make_connection, make_dataflow, make_key, run_now, sha, write

PARTNER_PASSPHRASE = "test-passphrase-2026"


def test_round_trip_encrypted_on_the_way_identical_after_decryption(acme, sftp, pgp_pairs):
    partner_public, partner_secret = pgp_pairs["partner"]
    originals = {
        "daily export.csv": b"id,name\n1,J\xc3\xbcrgen\n" * 1000,
        "Übersicht été.txt": os.urandom(300_000),
        "empty.csv": b"",
    }
    for name, data in originals.items():
        write(sftp.area / "out" / name, data)
    key = make_key(acme, partner_public)
    flow = make_dataflow(acme, sftp, encrypt_key=key)
    operator = make_user(acme, username="operator", privileges=[Privilege.CONNECT])

    run = run_now(flow, started_by=operator)

    assert run.status == RunStatus.SUCCEEDED
    assert run.started_by == operator and run.trigger == RunTrigger.MANUAL
    assert run.started_at is not None and run.finished_at is not None
    assert files_of(run) == {name: (FileStatus.DELIVERED, "") for name in sorted(originals)}
    assert sorted(os.listdir(sftp.area / "in")) == sorted(f"{n}.pgp" for n in originals)
    for name, data in originals.items():
        delivered = (sftp.area / "in" / f"{name}.pgp").read_bytes()
        assert not delivered.startswith(b"-----BEGIN")  # binary unless armor is asked for
        assert decrypt(delivered, partner_secret) == data
        row = run.files.get(name=name)
        assert (row.bytes_in, row.bytes_out, row.sha256_out) == (len(data), len(delivered), sha(delivered))
    assert sorted(os.listdir(sftp.area / "out")) == sorted(originals)  # after_success keep
    assert DeliveredFile.objects.filter(dataflow=flow).count() == 3


def test_a_second_run_delivers_nothing_twice(acme, sftp):
    write(sftp.area / "out" / "a.csv", b"a" * 100)
    flow = make_dataflow(acme, sftp)
    assert run_now(flow).status == RunStatus.SUCCEEDED
    (sftp.area / "in" / "a.csv").unlink()  # the partner took it away

    again = run_now(flow)

    assert again.status == RunStatus.SUCCEEDED
    assert files_of(again) == {}
    assert os.listdir(sftp.area / "in") == []
    write(sftp.area / "out" / "a.csv", b"a" * 101)  # a new version is a new file
    assert files_of(run_now(flow)) == {"a.csv": (FileStatus.DELIVERED, "")}


def test_decrypt_then_encrypt(acme, sftp, pgp_pairs):
    ours_public, ours_secret = pgp_pairs["ours"]
    partner_public, partner_secret = pgp_pairs["partner"]
    data = os.urandom(2_000_000)
    from connect import pgp
    with pgp.keyring() as gpg:
        gpg.import_keys(ours_public)
        fingerprint = gpg.list_keys()[0]["fingerprint"]
        encrypted = gpg.encrypt(data, fingerprint, always_trust=True, armor=True)
        assert encrypted.ok
    write(sftp.area / "out" / "inbound.csv.asc", encrypted.data)
    flow = make_dataflow(acme, sftp, decrypt_key=make_key(acme, ours_secret),
                         encrypt_key=make_key(acme, partner_public), encrypt_compress=False)

    run = run_now(flow)

    assert run.status == RunStatus.SUCCEEDED, files_of(run)
    assert os.listdir(sftp.area / "in") == ["inbound.csv.pgp"]
    assert decrypt((sftp.area / "in" / "inbound.csv.pgp").read_bytes(), partner_secret) == data


def test_decrypt_only_strips_the_suffix(acme, sftp, pgp_pairs):
    ours_public, ours_secret = pgp_pairs["ours"]
    from connect import pgp
    with pgp.keyring() as gpg:
        gpg.import_keys(ours_public)
        fingerprint = gpg.list_keys()[0]["fingerprint"]
        encrypted = gpg.encrypt(b"plain text\n", fingerprint, always_trust=True, armor=False)
    write(sftp.area / "out" / "report.txt.GPG", encrypted.data)
    flow = make_dataflow(acme, sftp, decrypt_key=make_key(acme, ours_secret))

    assert run_now(flow).status == RunStatus.SUCCEEDED
    assert (sftp.area / "in" / "report.txt").read_bytes() == b"plain text\n"


def test_a_50_mb_file_streams_through_encryption(acme, sftp, pgp_pairs):
    partner_public, partner_secret = pgp_pairs["partner"]
    data = os.urandom(50 * 1024 * 1024)
    write(sftp.area / "out" / "big.bin", data)
    flow = make_dataflow(acme, sftp, encrypt_key=make_key(acme, partner_public), encrypt_compress=False)

    run = run_now(flow)

    assert run.status == RunStatus.SUCCEEDED
    assert decrypt((sftp.area / "in" / "big.bin.pgp").read_bytes(), partner_secret) == data
    assert run.files.get().bytes_in == len(data)


def test_a_wrong_pgp_key_fails_that_file_alone(acme, sftp, pgp_pairs):
    ours_public, ours_secret = pgp_pairs["ours"]
    stranger_public, _ = pgp_pairs["stranger"]
    from connect import pgp
    with pgp.keyring() as gpg:
        gpg.import_keys(ours_public)
        gpg.import_keys(stranger_public)
        by_uid = {k["uids"][0].split()[0]: k["fingerprint"] for k in gpg.list_keys()}
        good = gpg.encrypt(b"for us", by_uid["Ours"], always_trust=True, armor=False).data
        wrong = gpg.encrypt(b"for a stranger", by_uid["Stranger"], always_trust=True, armor=False).data
    write(sftp.area / "out" / "good.pgp", good)
    write(sftp.area / "out" / "wrong.pgp", wrong)
    write(sftp.area / "out" / "corrupt.pgp", good[: len(good) // 2])
    flow = make_dataflow(acme, sftp, decrypt_key=make_key(acme, ours_secret))

    run = run_now(flow)

    assert run.status == RunStatus.PARTIAL
    assert files_of(run) == {"corrupt.pgp": (FileStatus.FAILED, "pgp_decrypt_failed"),
                             "good.pgp": (FileStatus.DELIVERED, ""),
                             "wrong.pgp": (FileStatus.FAILED, "pgp_wrong_key")}
    assert os.listdir(sftp.area / "in") == ["good"]  # no half file, no temporary file left
    assert run.files_done == 1 and run.files_failed == 2


def test_wrong_host_key_fails_before_any_password_is_sent(acme, sftp):
    import asyncssh

    from connect import sftp_server
    other = sftp_server.public_line(asyncssh.generate_private_key("ssh-ed25519"))
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp, source=make_connection(acme, sftp, host_key=other))

    run = run_now(flow)

    assert (run.status, run.error_code) == (RunStatus.FAILED, "host_key_mismatch")
    assert sftp.events == []  # the server never saw a password


def test_wrong_password(acme, sftp):
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp, destination=make_connection(acme, sftp, username="bob", password="nope"))

    run = run_now(flow)

    assert (run.status, run.error_code) == (RunStatus.FAILED, "auth_failed")
    assert os.listdir(sftp.area / "in") == []


def test_unreachable_host(acme, sftp):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    flow = make_dataflow(acme, sftp, source=make_connection(acme, sftp, port=closed_port))

    run = run_now(flow)

    assert (run.status, run.error_code) == (RunStatus.FAILED, "unreachable")


def test_a_file_still_changing_waits_for_the_next_run(acme, sftp):
    write(sftp.area / "out" / "done.csv", b"done")
    write(sftp.area / "out" / "writing.csv", b"partial", age=0)
    flow = make_dataflow(acme, sftp)

    run = run_now(flow)

    assert run.status == RunStatus.SUCCEEDED
    assert files_of(run) == {"done.csv": (FileStatus.DELIVERED, ""),
                             "writing.csv": (FileStatus.SKIPPED, "still_changing")}
    assert os.listdir(sftp.area / "in") == ["done.csv"]
    write(sftp.area / "out" / "writing.csv", b"partial and the rest")
    assert files_of(run_now(flow)) == {"writing.csv": (FileStatus.DELIVERED, "")}
    assert (sftp.area / "in" / "writing.csv").read_bytes() == b"partial and the rest"


def test_a_file_growing_during_the_transfer_is_not_delivered_half(acme, sftp):
    path = write(sftp.area / "out" / "growing.log", b"x" * 1_000_000)

    def grow(opened, flags):
        if opened.endswith("out/growing.log"):
            with open(path, "ab") as f:
                f.write(b"y" * 1000)

    sftp.hooks["on_open"] = grow
    flow = make_dataflow(acme, sftp)

    run = run_now(flow)

    assert files_of(run) == {"growing.log": (FileStatus.SKIPPED, "still_changing")}
    assert os.listdir(sftp.area / "in") == []


@pytest.mark.parametrize("on_conflict,expected_files,expected_status", [
    ("replace", {"a.csv": b"new"}, (FileStatus.DELIVERED, "")),
    ("rename", {"a.csv": b"old", "a (1).csv": b"new"}, (FileStatus.DELIVERED, "")),
    ("ignore", {"a.csv": b"old"}, (FileStatus.SKIPPED, "destination_exists")),
    ("fail", {"a.csv": b"old"}, (FileStatus.FAILED, "destination_exists")),
])
def test_on_conflict(acme, sftp, on_conflict, expected_files, expected_status):
    write(sftp.area / "out" / "a.csv", b"new")
    write(sftp.area / "in" / "a.csv", b"old")
    flow = make_dataflow(acme, sftp, on_conflict=on_conflict)

    run = run_now(flow)

    assert files_of(run) == {"a.csv": expected_status}
    assert {n: (sftp.area / "in" / n).read_bytes() for n in os.listdir(sftp.area / "in")} == expected_files


def test_pattern_recursive_archive_and_create_directory(acme, sftp):
    write(sftp.area / "out" / "a.csv", b"a")
    write(sftp.area / "out" / "a.csv.bak", b"not matched: the pattern covers the whole name")
    write(sftp.area / "out" / "sub" / "b.csv", b"b")
    flow = make_dataflow(acme, sftp, source_pattern=r".*\.csv", source_recursive=True, destination_path="new/dir",
                         create_directory=True, after_success="archive", archive_path="done")

    run = run_now(flow)

    assert files_of(run) == {"a.csv": (FileStatus.DELIVERED, ""), "sub/b.csv": (FileStatus.DELIVERED, "")}
    assert (sftp.area / "new" / "dir" / "a.csv").read_bytes() == b"a"
    assert (sftp.area / "new" / "dir" / "sub" / "b.csv").read_bytes() == b"b"
    assert (sftp.area / "done" / "a.csv").exists() and (sftp.area / "done" / "sub" / "b.csv").exists()
    assert sorted(os.listdir(sftp.area / "out")) == ["a.csv.bak", "sub"]


def test_after_success_delete(acme, sftp):
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp, after_success="delete")
    assert run_now(flow).status == RunStatus.SUCCEEDED
    assert os.listdir(sftp.area / "out") == []


def test_permission_denied_on_the_destination_fails_each_file(acme, sftp):
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp, destination=make_connection(acme, sftp, username="bob", base_path="/"),
                         destination_path="locked")

    run = run_now(flow)

    assert (run.status, files_of(run)) == (RunStatus.FAILED, {"a.csv": (FileStatus.FAILED, "permission_denied")})


def test_missing_source_directory_fails_the_run(acme, sftp):
    flow = make_dataflow(acme, sftp, source_path="nowhere")
    run = run_now(flow)
    assert (run.status, run.error_code) == (RunStatus.FAILED, "path_missing")


def test_an_upload_an_interrupted_run_renamed_into_place_is_not_sent_again(acme, sftp):
    """The consumer died between renaming and recording: the next run finds the file it uploaded."""
    write(sftp.area / "out" / "a.csv", b"payload")
    write(sftp.area / "in" / "a.csv", b"payload")
    flow = make_dataflow(acme, sftp)
    from connect.models import DataflowRun
    stat = os.stat(sftp.area / "out" / "a.csv")
    dead = DataflowRun.objects.create(dataflow=flow, status=RunStatus.RUNNING)
    RunFile.objects.create(run=dead, name="a.csv", source_size=7, source_mtime=int(stat.st_mtime),
                           destination_name="a.csv", bytes_in=7, bytes_out=7, sha256_in=sha(b"payload"),
                           sha256_out=sha(b"payload"), status=FileStatus.COMMITTING)

    run = run_now(flow)

    dead.refresh_from_db()
    assert (dead.status, dead.error_code) == (RunStatus.FAILED, "interrupted")
    assert files_of(run) == {"a.csv": (FileStatus.DELIVERED, "")}
    assert os.listdir(sftp.area / "in") == ["a.csv"]  # on_conflict fail did not trip, nothing renamed


def test_runs_are_audited_without_secrets(acme, sftp, pgp_pairs):
    write(sftp.area / "out" / "a.csv", b"a")
    flow = make_dataflow(acme, sftp, decrypt_key=None, encrypt_key=make_key(acme, pgp_pairs["partner"][0]))
    run = run_now(flow)

    events = AuditEvent.objects.filter(target_type="connect.dataflowrun", target_id=str(run.pk))
    assert sorted(e.action for e in events) == ["connect.run.finish", "connect.run.start"]
    text = " ".join(str(e.before) + str(e.after) for e in AuditEvent.objects.all())
    assert "alice-pw-2026" not in text and "bob-pw-2026" not in text and "PRIVATE KEY" not in text
    assert "alice-pw" not in repr(flow.source_connection) and "alice-pw" not in str(flow.source_connection)


def test_another_orgs_connection_or_key_in_a_dataflow_is_not_found(acme, globex, acme_admin, sftp, pgp_pairs):
    from accessadmin.errors import NotFound
    from connect import services_admin
    from connect.models import Dataflow

    ours = make_connection(acme, sftp)
    theirs = make_connection(globex, sftp)
    their_key = make_key(globex, pgp_pairs["partner"][0])
    base = {"name": "x", "template": "sftp-to-sftp", "source": {"connection": ours.pk, "path": "out"},
            "destination": {"connection": ours.pk, "path": "in"}}
    for data in ({**base, "source": {"connection": theirs.pk, "path": "out"}},
                 {**base, "destination": {"connection": theirs.pk, "path": "in"}},
                 {**base, "encrypt": {"key": their_key.pk}},
                 {**base, "decrypt": {"key": their_key.pk}}):
        with pytest.raises(NotFound):
            services_admin.dataflow_create(actor=acme_admin, org=acme, data=data)
    assert not Dataflow.objects.filter(org=acme).exists()


def test_expired_and_revoked_keys_are_refused_for_encryption(acme, sftp, pgp_pairs):
    from pathlib import Path

    from connect import pgp
    keys = Path(__file__).parent / "pgp"
    expired = pgp.inspect_key((keys / "expired_public.asc").read_text())
    revoked = pgp.inspect_key((keys / "revoked_public.asc").read_text())
    assert (expired.expired, expired.revoked) == (True, False)
    assert revoked.revoked is True
    assert not make_key(acme, (keys / "expired_public.asc").read_text()).usable_for_encryption
    write(sftp.area / "out" / "a.csv", b"a")
    key = make_key(acme, pgp_pairs["partner"][0])
    flow = make_dataflow(acme, sftp, encrypt_key=key)
    key.revoked = True  # revoked after the dataflow was set up
    key.save()

    run = run_now(flow)

    assert (run.status, run.error_code) == (RunStatus.FAILED, "pgp_key_unusable")
    assert os.listdir(sftp.area / "in") == []
