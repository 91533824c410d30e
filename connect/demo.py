"""Connect+ demo: acme's two connections to the demo SFTP server (`manage.py sftp_demo_server`, which
`make run` starts on 127.0.0.1), the partner's public key, a dataflow `exports → partner` that encrypts
to it, and a sample export waiting in the exports directory. Idempotent.

The partner's key pair was made once with GnuPG and is kept in connect/demo_keys/; the app only gets
its public half, as a real partner would send it. Decrypting a delivered file with the private half
shows the whole way (README: "Connect+ demo").
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from . import services_admin, sftp_server
from .management.commands.sftp_demo_server import DEMO_USERS
from .models import Dataflow, PgpKey, SftpConnection

KEYS = Path(__file__).resolve().parent / "demo_keys"
PARTNER_KEY_NAME = "Partner (demo)"
DATAFLOW_NAME = "Exports to partner"
SAMPLE_NAME = "members_export.csv"
SAMPLE = "member_id,tier,points\n" + "".join(f"M{n:05d},{('gold', 'silver', 'bronze')[n % 3]},{n * 37 % 5000}\n"
                                             for n in range(1, 201))


def demo_root() -> Path:
    return Path(os.environ.get("SFTP_DEMO_ROOT") or Path(settings.BASE_DIR) / "var" / "sftp-demo")


def demo_port() -> int:
    return int(os.environ.get("SFTP_DEMO_PORT") or 2222)


def seed(*, orgs, root: Path | None = None, port: int | None = None) -> None:
    root, port = root or demo_root(), port or demo_port()
    acme = orgs["acme"]
    # The demo server's host key, made here on first use when the server has not run yet (it reads
    # the same file), so the connections pin the key the server will offer.
    host_key = sftp_server.public_line(sftp_server.host_key(root.parent / "sftp-demo-host-key"))
    # The server is on loopback, which Connect+ refuses unless CONNECT_ALLOWED_NETWORKS allows it
    # (`make run` does); seeding the demo rows must work wherever seed_demo runs.
    allowed = [*settings.CONNECT_ALLOWED_NETWORKS, "127.0.0.1/32"]
    with override_settings(CONNECT_ALLOWED_NETWORKS=allowed), transaction.atomic():
        connections = {}
        for name, user, base in (("exports", "acme-exports", "/exports"), ("partner", "acme-partner", "/partner")):
            connection = SftpConnection.objects.filter(org=acme, name=name).first()
            if connection is None:
                connection = services_admin.connection_create(
                    actor=None, org=acme, name=name, host="127.0.0.1", port=port, username=user,
                    password=DEMO_USERS[user], host_key=host_key, base_path=base)
            elif connection.port != port or connection.host_key != host_key:
                connection = services_admin.connection_update(actor=None, org=acme, connection=connection,
                                                              changes={"port": port, "host_key": host_key})
            connections[name] = connection
        key = PgpKey.objects.filter(org=acme, name=PARTNER_KEY_NAME).first() or services_admin.key_create(
            actor=None, org=acme, name=PARTNER_KEY_NAME, armored=(KEYS / "partner-demo-public.asc").read_text())
        if not Dataflow.objects.filter(org=acme, name=DATAFLOW_NAME).exists():
            services_admin.dataflow_create(actor=None, org=acme, data={
                "name": DATAFLOW_NAME, "template": "sftp-to-sftp",
                "source": {"connection": connections["exports"].pk, "path": "out", "pattern": r".*\.csv",
                           "recursive": False},
                "destination": {"connection": connections["partner"].pk, "path": "inbox",
                                "create_directory": True, "on_conflict": "rename"},
                "decrypt": None, "encrypt": {"key": key.pk, "armor": False, "compress": True},
                "after_success": "keep", "archive_path": "", "schedule": "0 2 * * *", "active": True})
    for directory in ("exports", "partner"):
        (root / directory).mkdir(parents=True, exist_ok=True)
    _write_sample(root / "exports" / "out" / SAMPLE_NAME)


def _write_sample(path: Path) -> None:
    """Writes the sample export unless it is there, dated an hour back: a file changed within the
    dataflow's stable_seconds would wait for the next run."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SAMPLE)
    past = time.time() - 3600
    os.utime(path, (past, past))
