"""Fixtures of the transfer tests: a real SFTP server on loopback (asyncssh, in a thread) and real
GnuPG keys made once per test session. Imported by the test modules that need them."""

import hashlib
import itertools
import os
import time
from pathlib import Path
from types import SimpleNamespace

import asyncssh
import pytest

from accessadmin import crypto
from connect import pgp, services, sftp_server
from connect.models import Dataflow, DataflowRun, PgpKey, SftpConnection

USERS = {"alice": "alice-pw-2026", "bob": "bob-pw-2026"}
_seq = itertools.count(1)


@pytest.fixture(scope="session")
def sftp_server_env(tmp_path_factory):
    """The server: `.root` (its directory), `.port`, `.host_key` (pinned form), `.events` (passwords
    tried), `.hooks["on_open"]` (set by a test to act when a file is opened)."""
    root = tmp_path_factory.mktemp("sftp-root")
    key = asyncssh.generate_private_key("ssh-ed25519")
    env = SimpleNamespace(root=root, events=[], hooks={"on_open": None}, host_key=sftp_server.public_line(key))
    def on_open(path, flags):
        if env.hooks["on_open"] is not None:
            env.hooks["on_open"](path, flags)

    server = sftp_server.ServerThread(root=str(root), host="127.0.0.1", port=0, users=USERS, key=key,
                                      denied=("locked",), events=env.events, on_open=on_open)
    server.start()
    env.port = server.port
    yield env
    server.stop()


@pytest.fixture
def sftp(sftp_server_env, settings):
    """Per test: the server plus a fresh `.area` directory (relative name `.name`) under its root."""
    settings.CONNECT_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CONNECT_RETRY_BACKOFF_SECONDS = 0.05
    settings.CONNECT_TIMEOUT_SECONDS = 3
    name = f"t{os.getpid()}-{next(_seq)}"
    area = sftp_server_env.root / name
    (area / "out").mkdir(parents=True)
    (area / "in").mkdir()
    sftp_server_env.events.clear()
    sftp_server_env.hooks["on_open"] = None
    yield SimpleNamespace(**vars(sftp_server_env), area=area, name=name)
    sftp_server_env.hooks["on_open"] = None


def _generate(name: str) -> tuple[str, str]:
    with pgp.keyring() as gpg:
        key = gpg.gen_key(gpg.gen_key_input(key_type="EDDSA", key_curve="ed25519", subkey_type="ECDH",
                                            subkey_curve="cv25519", name_real=name,
                                            name_email=f"{name.lower()}@example.com", no_protection=True))
        assert key.fingerprint, key.stderr
        return gpg.export_keys(key.fingerprint), gpg.export_keys(key.fingerprint, secret=True,
                                                                   expect_passphrase=False)


@pytest.fixture(scope="session")
def pgp_pairs():
    """Key pairs (public, private) made once: partner, ours, stranger."""
    return {name: _generate(name.title()) for name in ("partner", "ours", "stranger")}


def write(path: Path, data: bytes, *, age: int = 3600) -> Path:
    """Writes `data` to `path` and dates it `age` seconds back (older than stable_seconds)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decrypt(data: bytes, secret_armored: str) -> bytes:
    with pgp.keyring() as gpg:
        gpg.import_keys(secret_armored)
        result = gpg.decrypt(data)
        assert result.ok, result.status
        return result.data


def make_connection(org, env, *, name=None, username="alice", password=None, host_key=None,
                    base_path=None, port=None) -> SftpConnection:
    return SftpConnection.objects.create(
        org=org, name=name or f"conn {next(_seq)}", host="127.0.0.1", port=port or env.port, username=username,
        password_encrypted=crypto.encrypt(USERS.get(username, "") if password is None else password),
        host_key=host_key or env.host_key, base_path=f"/{env.name}" if base_path is None else base_path)


def make_key(org, armored: str, *, passphrase: str = "", name=None) -> PgpKey:
    info = pgp.inspect_key(armored, passphrase)
    return PgpKey.objects.create(
        org=org, name=name or f"key {next(_seq)}", public_armored=info.public_armored,
        secret_armored_encrypted=crypto.encrypt(info.secret_armored),
        passphrase_encrypted=crypto.encrypt(passphrase if info.secret_armored else ""),
        fingerprint=info.fingerprint, user_ids=info.user_ids, expires_at=info.expires_at,
        can_encrypt=info.can_encrypt, can_decrypt=info.can_decrypt, revoked=info.revoked)


def make_dataflow(org, env, *, source=None, destination=None, **fields) -> Dataflow:
    source = source or make_connection(org, env)
    destination = destination or make_connection(org, env, username="bob")
    values = {"name": f"flow {next(_seq)}", "template": "sftp-to-sftp", "source_connection": source,
              "source_path": "out", "destination_connection": destination, "destination_path": "in", **fields}
    return Dataflow.objects.create(org=org, **values)


def run_now(dataflow: Dataflow, *, started_by=None) -> DataflowRun:
    """Returns the finished run of `dataflow`, executed here as a consumer would."""
    run = DataflowRun.objects.create(dataflow=dataflow, started_by=started_by)
    assert services.run_execute(run_id=run.pk) == "done"
    run.refresh_from_db()
    return run


def files_of(run: DataflowRun) -> dict[str, tuple[str, str]]:
    """Returns {name: (status, error)} of the run's files."""
    return {f.name: (f.status, f.error) for f in run.files.order_by("id")}
