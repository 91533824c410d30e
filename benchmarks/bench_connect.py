"""Connect+ transfer speed and memory, side by side with OpenSSH's sftp client and gpg, on loopback.

The server is Debian's sshd (internal-sftp) on a free loopback port, the same for
both sides; the cipher is aes128-gcm@openssh.com on both sides. A 1 GB file of
random bytes (BENCH_CONNECT_MB to change) is copied from one directory to
another over SFTP:

- ours: a consumer process runs the sftp-to-sftp engine (source session →
  destination session, streamed), with and without PGP encryption;
- OpenSSH: the `sftp` client cannot stream from one server to another (it refuses
  pipes), so it gets the file to local disk and puts it back; with encryption,
  `gpg --encrypt` runs between the get and the put. The single get is shown too,
  as the raw one-way speed of the OpenSSH client.

Ratios are OpenSSH time ÷ our time (above 1: ours is faster). Compression is off
on both sides (random data does not compress; see the docs on `encrypt.compress`).
Peak memory is the consumer's peak RSS above its RSS once Django is loaded.
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import report

SIZE_MB = int(os.environ.get("BENCH_CONNECT_MB", "1024"))
ROUNDS = int(os.environ.get("BENCH_CONNECT_ROUNDS", "3"))
CIPHER = "aes128-gcm@openssh.com"
SSHD = "/usr/sbin/sshd"
SFTP = "/usr/bin/sftp"
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm(field: str, pid: str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


class Sshd:
    def __init__(self, work: Path):
        self.work = work
        self.port = _free_port()
        for name in ("host", "client"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(work / name)], check=True)
        shutil.copy(work / "client.pub", work / "authorized_keys")
        config = work / "sshd_config"
        config.write_text(f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {work / 'host'}
PidFile {work / 'sshd.pid'}
AuthorizedKeysFile {work / 'authorized_keys'}
PermitRootLogin prohibit-password
PasswordAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
Ciphers {CIPHER}
LogLevel ERROR
""")
        Path("/run/sshd").mkdir(exist_ok=True)
        self.proc = subprocess.Popen([SSHD, "-D", "-f", str(config), "-E", str(work / "sshd.log")])
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    break
            time.sleep(0.1)
        self.host_key = (work / "host.pub").read_text().split()[:2]
        self.client_key = (work / "client").read_text()
        self.user = os.environ.get("USER") or "root"

    def sftp(self, *commands: str) -> None:
        batch = self.work / "batch"
        batch.write_text("\n".join(commands) + "\n")
        subprocess.run([SFTP, "-q", "-b", str(batch), "-i", str(self.work / "client"), "-P", str(self.port),
                        "-o", f"Ciphers={CIPHER}", "-o", "StrictHostKeyChecking=no", "-o",
                        "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", f"{self.user}@127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def _consumer(job: dict) -> dict:
    """Runs our transfer in a fresh process (a consumer) and returns its seconds and memory."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_connect", "consumer"], input=json.dumps(job),
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def consumer_main() -> None:
    """The consumer side: Django loaded, one transfer through connect.engine, numbers on stdout."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accessadmin.settings")
    import django

    django.setup()
    import threading

    from django.conf import settings

    from connect import engine
    from connect.sftp import Endpoint

    job = json.loads(sys.stdin.read())
    settings.CONNECT_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    idle = _vm("VmRSS")
    endpoint = Endpoint(host="127.0.0.1", port=job["port"], username=job["user"], host_key=job["host_key"],
                        private_key=job["client_key"], base_path=job["base"])
    plan = engine.Plan(source=endpoint, source_path="src", pattern=r"big\.bin", recursive=False,
                       destination=endpoint, destination_path="dst", create_directory=False, on_conflict="replace",
                       after_success="keep", archive_path="", stable_seconds=0,
                       encrypt_public=job.get("public_key", ""), encrypt_compress=False)

    class Hooks(engine.Hooks):
        def __init__(self):
            self.errors = []

        def total(self, count): pass
        def delivered(self, f): return None
        def unconfirmed(self, f): return None
        def started(self, f): return 1
        def progress(self, file_id, bytes_in, size): pass
        def committing(self, file_id, **kwargs): pass
        def delivered_now(self, file_id, f, **kwargs): pass
        def source_handled(self, f): pass
        def skipped(self, f, code, file_id=None): self.errors.append(code)
        def failed(self, file_id, code, detail): self.errors.append(code)

    hooks, bridge, outcome = Hooks(), engine.Bridge(), {}
    started = time.perf_counter()
    worker = threading.Thread(target=lambda: outcome.update(exc=engine.transfer(plan, bridge, hooks)))
    worker.start()
    bridge.serve(tick=lambda: True, tick_seconds=5)
    worker.join()
    seconds = time.perf_counter() - started
    if outcome.get("exc") is not None or hooks.errors:
        raise SystemExit(f"transfer failed: {outcome.get('exc')!r} {hooks.errors}")
    print(json.dumps({"seconds": seconds, "idle": idle, "peak": _vm("VmHWM")}))


def _fmt(samples: list[float]) -> str:
    return f"min {min(samples):.2f}  median {statistics.median(samples):.2f}  max {max(samples):.2f} s"


def main() -> None:
    if not (Path(SSHD).exists() and Path(SFTP).exists() and shutil.which("gpg")):
        print("bench_connect: needs openssh-server, openssh-client and gnupg; skipped")
        return
    from connect import pgp

    work = Path(tempfile.mkdtemp(prefix="bench-connect-"))
    server = None
    try:
        server = Sshd(work)
        data = work / "data"
        (data / "src").mkdir(parents=True)
        (data / "dst").mkdir()
        local = work / "local"
        local.mkdir()
        with open(data / "src" / "big.bin", "wb") as f:
            for _ in range(SIZE_MB):
                f.write(os.urandom(1024 * 1024))
        with pgp.keyring() as gpg:
            key = gpg.gen_key(gpg.gen_key_input(key_type="EDDSA", key_curve="ed25519", subkey_type="ECDH",
                                                subkey_curve="cv25519", name_email="bench@example.com",
                                                no_protection=True))
            public = gpg.export_keys(key.fingerprint)
        gnupghome = work / "gnupg"
        gnupghome.mkdir(mode=0o700)
        subprocess.run(["gpg", "--homedir", str(gnupghome), "--batch", "--import"], input=public.encode(),
                       check=True, capture_output=True)

        job = {"port": server.port, "user": server.user, "host_key": " ".join(server.host_key),
               "client_key": server.client_key, "base": str(data)}
        src, dst = data / "src" / "big.bin", data / "dst"

        def openssh_plain():
            t = time.perf_counter()
            server.sftp(f"get {src} {local / 'big.bin'}")
            got = time.perf_counter() - t
            server.sftp(f"put {local / 'big.bin'} {dst / 'big.bin'}")
            total = time.perf_counter() - t
            (local / "big.bin").unlink()
            return got, total

        def openssh_encrypted():
            t = time.perf_counter()
            server.sftp(f"get {src} {local / 'big.bin'}")
            subprocess.run(["gpg", "--homedir", str(gnupghome), "--batch", "--yes", "--trust-model", "always",
                            "--compress-algo", "none", "-r", key.fingerprint, "-o", str(local / "big.bin.pgp"),
                            "--encrypt", str(local / "big.bin")], check=True, capture_output=True)
            server.sftp(f"put {local / 'big.bin.pgp'} {dst / 'big.bin.pgp'}")
            total = time.perf_counter() - t
            (local / "big.bin").unlink()
            (local / "big.bin.pgp").unlink()
            return total

        ours, ours_enc, get_only, ssh_plain, ssh_enc, memory = [], [], [], [], [], []
        for _ in range(ROUNDS):
            result = _consumer(job)
            ours.append(result["seconds"])
            memory.append(result["peak"] - result["idle"])
            got, total = openssh_plain()
            get_only.append(got)
            ssh_plain.append(total)
            result = _consumer({**job, "public_key": public})
            ours_enc.append(result["seconds"])
            memory.append(result["peak"] - result["idle"])
            ssh_enc.append(openssh_encrypted())
            for leftover in dst.iterdir():
                leftover.unlink()

        med = statistics.median
        report(f"Connect+ sftp-to-sftp, {SIZE_MB} MB of random bytes on loopback (sshd, {CIPHER}), "
               f"{ROUNDS} rounds", [
                   ("ours, plain", _fmt(ours)),
                   ("OpenSSH sftp get + put", _fmt(ssh_plain)),
                   ("OpenSSH sftp get alone", _fmt(get_only)),
                   ("ratio plain (get+put ÷ ours)", f"{med(ssh_plain) / med(ours):.2f}  (goal ≥ 0.7)"),
                   ("ratio plain (get alone ÷ ours)", f"{med(get_only) / med(ours):.2f}"),
                   ("ours, encrypted (no compression)", _fmt(ours_enc)),
                   ("OpenSSH get → gpg --encrypt → put", _fmt(ssh_enc)),
                   ("ratio encrypted", f"{med(ssh_enc) / med(ours_enc):.2f}  (goal ≥ 0.7)"),
                   ("consumer peak RSS above idle", f"max {max(memory) / 2**20:.0f} MB  (goal < 100 MB)"),
               ])
    finally:
        if server is not None:
            server.stop()
        subprocess.run(["gpgconf", "--homedir", str(work / "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["consumer"]:
        consumer_main()
    else:
        from benchmarks.common import setup_django

        setup_django()
        main()
