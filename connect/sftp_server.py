"""A small SFTP server (asyncssh) for the demo and the tests: one directory, password logins.

`manage.py sftp_demo_server` serves `var/sftp-demo/` on 127.0.0.1 for `make run`;
the tests start one per test session on a free loopback port. Each user sees the
served directory as `/`. Directories named in `denied` answer every request
with "permission denied", like a share the user has no rights on (tests run as
root, where file modes would not stop anything).
"""

import asyncio
import functools
import os
import threading
from pathlib import Path

import asyncssh


class _Server(asyncssh.SSHServer):
    def __init__(self, users: dict[str, str], events: list | None = None):
        self.users = users
        self.events = events

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self.events is not None:
            self.events.append(("password", username))
        expected = self.users.get(username)
        return expected is not None and password == expected


class _Files(asyncssh.SFTPServer):
    def __init__(self, chan, *, root: str, denied: tuple[str, ...], on_open=None):
        super().__init__(chan, chroot=root.encode())
        self._denied = tuple(d.strip("/").encode() for d in denied)
        self._on_open = on_open

    def open(self, path: bytes, pflags: int, attrs):
        if self._on_open is not None:
            # Tests act at the moment a file is opened (a writer appending, a consumer being killed).
            self._on_open(os.fsdecode(path), pflags)
        return super().open(path, pflags, attrs)

    def map_path(self, path: bytes) -> bytes:
        relative = os.path.normpath(b"/" + path).lstrip(b"/")
        for denied in self._denied:
            if relative == denied or relative.startswith(denied + b"/"):
                raise asyncssh.SFTPPermissionDenied("Permission denied")
        return super().map_path(path)


def host_key(path: Path) -> asyncssh.SSHKey:
    """Returns the server's ed25519 host key kept at `path`, made on first use."""
    if path.exists():
        return asyncssh.read_private_key(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    key.write_private_key(str(path))
    os.chmod(path, 0o600)
    return key


def public_line(key: asyncssh.SSHKey) -> str:
    """Returns `ssh-ed25519 AAAA…` of `key` (what a connection pins)."""
    algorithm, data = key.export_public_key("openssh").decode().split()[:2]
    return f"{algorithm} {data}"


async def serve(*, root: str, host: str, port: int, users: dict[str, str], key: asyncssh.SSHKey,
                denied: tuple[str, ...] = (), events: list | None = None, on_open=None) -> asyncssh.SSHAcceptor:
    """Returns a listening server; `port` 0 picks a free one (see `.sockets[0].getsockname()`).
    `events` collects ("password", username) for every password tried; `on_open(path, pflags)` is
    called as each file is opened."""
    os.makedirs(root, exist_ok=True)
    return await asyncssh.create_server(
        functools.partial(_Server, users, events), host, port, server_host_keys=[key],
        sftp_factory=functools.partial(_Files, root=os.path.realpath(root), denied=denied, on_open=on_open),
        allow_scp=False, encryption_algs=["aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
                                          "chacha20-poly1305@openssh.com", "aes128-ctr", "aes256-ctr"])


class ServerThread:
    """Runs `serve()` on an event loop in a daemon thread; `.port` once started, `.stop()` to end."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.port: int | None = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sftp-test-server", daemon=True)
        self._server = None
        self._error: BaseException | None = None

    def _run(self):
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(serve(**self.kwargs))
            self.port = self._server.sockets[0].getsockname()[1]
        except BaseException as exc:  # reported to start()
            self._error = exc
        finally:
            self._ready.set()
        if self._error is None:
            self._loop.run_forever()

    def start(self) -> "ServerThread":
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        def close():
            if self._server is not None:
                self._server.close()
            self._loop.stop()

        self._loop.call_soon_threadsafe(close)
        self._thread.join(5)
