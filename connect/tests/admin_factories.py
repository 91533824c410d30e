"""Set-up helpers of the Connect+ API, page and demo tests: data made through the services, as a user would."""

import functools
from pathlib import Path

import asyncssh

from connect import services_admin

KEYS = Path(__file__).parent / "pgp"
OURS_PASSPHRASE = "test-passphrase-2026"


def armored(name: str) -> str:
    """Returns a test key of connect/tests/pgp/ (partner_public, inbound_secret, ours_secret, …)."""
    return (KEYS / f"{name}.asc").read_text()


@functools.cache
def host_key(n: int = 0) -> str:
    """Returns the n-th made-up server host key, as `ssh-ed25519 AAAA…`."""
    return asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().strip()


@functools.cache
def client_key(passphrase: str | None = None) -> str:
    """Returns an OpenSSH private key for logging in (encrypted with `passphrase` when given, with few
    bcrypt rounds: the default 128 take seconds per import, and these tests are not about the KDF)."""
    return asyncssh.generate_private_key("ssh-ed25519").export_private_key(
        "openssh", passphrase=passphrase, rounds=2, ignore_few_rounds=True).decode()


def make_connection(org, name: str = "exports", *, actor=None, **fields):
    values = {"host": "sftp.example.com", "port": 22, "username": "acme", "password": "s3cret-pw",
              "host_key": host_key(), "base_path": "/upload", **fields}
    return services_admin.connection_create(actor=actor, org=org, name=name, **values)


def make_key(org, name: str = "Partner", file: str = "partner_public", *, passphrase: str | None = None, actor=None):
    return services_admin.key_create(actor=actor, org=org, name=name, armored=armored(file), passphrase=passphrase)


def make_dataflow(org, name: str = "Exports to partner", *, source, destination, actor=None, **data):
    body = {"name": name, "template": "sftp-to-sftp",
            "source": {"connection": source.pk, "path": "out", "pattern": ".*", "recursive": False},
            "destination": {"connection": destination.pk, "path": "in", "create_directory": False,
                            "on_conflict": "fail"},
            "decrypt": None, "encrypt": None, "after_success": "keep", "archive_path": "", "schedule": None,
            "active": True, **data}
    return services_admin.dataflow_create(actor=actor, org=org, data=body)
