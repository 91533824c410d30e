import asyncio
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from connect import sftp_server

DEMO_USERS = {"acme-exports": "exports-demo-2026", "acme-partner": "partner-demo-2026"}


class Command(BaseCommand):
    help = "Serves var/sftp-demo/ over SFTP on 127.0.0.1 for the Connect+ demo (make run starts it)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=2222)
        parser.add_argument("--root", default=str(Path(settings.BASE_DIR) / "var" / "sftp-demo"))
        parser.add_argument("--print-host-key", action="store_true", help="Print the public host key and exit.")

    def handle(self, *args, port, root, print_host_key, **options):
        key = sftp_server.host_key(Path(root).parent / "sftp-demo-host-key")
        if print_host_key:
            self.stdout.write(sftp_server.public_line(key))
            return
        for user_dir in ("exports", "partner", "archive"):
            (Path(root) / user_dir).mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"SFTP demo server on 127.0.0.1:{port} serving {root}")
        self.stdout.write(f"  host key {sftp_server.public_line(key)}")
        for user, password in DEMO_USERS.items():
            self.stdout.write(f"  login {user} / {password}")

        async def main():
            await sftp_server.serve(root=root, host="127.0.0.1", port=port, users=DEMO_USERS, key=key)
            await asyncio.Event().wait()

        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            pass
