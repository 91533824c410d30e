"""`make fuzz`: Schemathesis over every operation of the OpenAPI schema, against a live server.

Makes a fresh SQLite database in a temporary folder, migrates it, loads the demo data, serves the
project in production mode (DJANGO_DEBUG=0, gunicorn, one worker) on a free loopback port and runs
`schemathesis run` four times, each with its own credentials:

1. till       /v2/ as a demo till (HTTP Basic) whose store is on the Admin group (every operation
              allowed), before anything could switch Basic auth off or rotate the till's secret;
2. till-oauth /v2/ as the demo API client (OAuth2 bearer token; POS group, so config is 403);
3. admin      /api/v1/ and /ccadmin/v1/ with a bearer token of the demo administrator (login and
              logout excluded: logout would end the token the rest of the run depends on);
4. session    POST /ccadmin/v1/login and /ccadmin/v1/logout last, with a token of their own.

Checks: not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance. Exits non-zero when any run reports a failure or an error.

    python -m fuzz [--max-examples N] [--seed N] [--only till,till-oauth,admin,session] [--keep]
"""

import argparse
import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

DEMO_PASSWORD = "demo-pass-2026"
ADMIN = "acme-admin"
ADMIN_ROLES = "adminRole"
TILL_STORE, TILL, TILL_SECRET = "acme-s006", "acme-s006-t1", "till-secret-2026"
CLIENT, CLIENT_SECRET = "Demo ERP", "demo-client-secret-2026"


@dataclass
class Run:
    """One `schemathesis run`: the operations whose paths match `include` (and not `exclude`)."""

    name: str
    include: list[str]
    exclude: list[str] = field(default_factory=list)


RUNS = [
    Run("till", include=["^/v2/"]),
    Run("till-oauth", include=["^/v2/"]),
    Run("admin", include=["^/(api|ccadmin)/v1/"], exclude=["^/ccadmin/v1/log(in|out)"]),
    Run("session", include=["^/ccadmin/v1/log(in|out)"]),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url: str, *, data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Server:
    """The project under gunicorn in production mode, on a fresh database in `workdir`."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
        }
        self.env.pop("REDIS_URL", None)
        self.process = None

    def manage(self, *args: str) -> str:
        out = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stdout}{out.stderr}")
        return out.stdout

    def start(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        self.manage("collectstatic", "--noinput")  # production mode serves pages from the manifest
        log = open(self.workdir / "server.log", "w")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "accessadmin.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--timeout", "60", "--access-logfile", "-", "--access-logformat", "%(m)s %(U)s %(s)s %(D)sus"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                if request(f"{self.base}/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise SystemExit(f"server did not start; see {self.workdir / 'server.log'}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def token(self, username: str) -> str:
        status, body = request(f"{self.base}/ccadmin/v1/login", data=json.dumps(
            {"grant_type": "password", "username": username, "password": DEMO_PASSWORD}).encode(),
            headers={"Content-Type": "application/json"})
        if status != 200:
            raise SystemExit(f"login as {username} answered {status}: {body[:300]!r}")
        return json.loads(body)["access_token"]

    def call(self, token: str, path: str, payload: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        data = None if payload is None else json.dumps(payload).encode()
        status, body = request(f"{self.base}{path}", data=data, headers=headers)
        if status >= 300:
            raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
        return json.loads(body)

    def grant_everything(self, token: str, store: str) -> None:
        """Moves `store` to the built-in Admin access group, so its tills reach every till API operation."""
        groups = self.call(token, "/api/v1/access-groups/?page_size=500")["results"]
        admin = next(g for g in groups if g["name"] == "Admin")
        self.call(token, f"/api/v1/access-groups/{admin['id']}/allocate", {"stores": [store]})


def client_token(server: Server, admin_token: str) -> str:
    """Returns an OAuth2 access token of the demo API client (Demo ERP, POS group)."""
    clients = server.call(admin_token, "/api/v1/api-clients/")["results"]
    client_id = next(c["client_id"] for c in clients if c["name"] == CLIENT)
    status, body = request(f"{server.base}/oauth/token", data=urllib.parse.urlencode(
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": CLIENT_SECRET}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise SystemExit(f"/oauth/token answered {status}: {body[:300]!r}")
    return json.loads(body)["access_token"]


def known_values(server: Server, admin_token: str, till_header: str) -> dict[str, list]:
    """Returns ids and codes of the demo data, by the parameter names the schema uses for them.

    Random values almost never name an existing object, so without these most cases would end in 404
    and the success answers would go unchecked. The fuzzing administrator's own account and role are
    left out (see hooks.py).
    """
    me = server.call(admin_token, "/api/v1/me")

    def items(path, key="items"):
        return server.call(admin_token, path)[key]

    status, body = request(f"{server.base}/v2/customers/", headers={"Authorization": till_header})
    customers = [c["id"] for c in json.loads(body)["customers"]] if status == 200 else []
    groups = [g["id"] for g in items("/api/v1/access-groups/?page_size=500", "results")]
    stores = [s["code"] for s in items("/api/v1/stores/?page_size=20", "results")]
    tills = [t["code"] for t in items("/api/v1/tills/?page_size=20", "results")]
    users = [u for u in items("/api/v1/users/?page_size=100", "results") if u["id"] != me["id"]]
    clients = [c["id"] for c in items("/api/v1/api-clients/", "results")]
    profiles = [int(p["id"]) for p in items("/ccadmin/v1/profiles?limit=20")]
    roles = [r["id"] for r in items("/ccadmin/v1/adminRoles") if r["id"] not in ADMIN_ROLES.split(",")]
    rights = [a["id"] for a in items("/ccadmin/v1/adminAccessRights?type=generic")]
    criteria = [c["id"] for c in items("/ccadmin/v1/adminSecurityCriteria")]
    assets = [a["id"] for a in items("/ccadmin/v1/catalogs?limit=20") + items("/ccadmin/v1/priceListGroups?limit=20")]
    status, body = request(f"{server.base}/v2/behavioral-events/", headers={"Authorization": till_header})
    events = [d["name"] for d in json.loads(body)["behavioral_events"]] if status == 200 else []
    return {
        "customer_id": customers,
        # Path ids are strings of digits in the schema (the URL patterns say so).
        "id": [str(i) for i in sorted({*groups, *clients, *profiles, *(u["id"] for u in users)})],
        "code": [*stores, *tills, *roles, *rights, *criteria, *assets],
        "store": stores,
        "stores": stores,
        "access_group": groups,
        "user": [u["username"] for u in users],
        "event": events,
        "type_id": ["user"],
    }


def write_config(path: Path, values: dict[str, list]) -> None:
    """A Schemathesis config: half of the path parameters and body fields named here take a known value."""
    lines = ["[dictionaries]"]
    for name, entries in values.items():
        if entries:
            lines.append(f"{name} = {{ values = {json.dumps(entries)} }}")
    lines.append("\n[parameters]")
    for name, entries in values.items():
        if not entries:
            continue
        places = {"customer_id": ["path", "body"], "id": ["path"], "code": ["path"], "type_id": ["path"],
                  "stores": ["body.stores[*]"]}.get(name, ["body"])
        for place in places:
            key = place if "." in place else f"{place}.{name}"
            lines.append(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}')
    # Fetching an SFTP server's host key reaches out to that server; none is reachable from here (the demo
    # connection's loopback host is not in CONNECT_ALLOWED_NETWORKS), so the operation's documented 502 is
    # the right answer. Every other check still applies to it.
    lines += ["", "[[operations]]", 'include-path = "/api/v1/connect/connections/{id}/host-key/"',
              "checks.not_a_server_error.expected-statuses = [\"2xx\", \"3xx\", \"4xx\", 502]"]
    path.write_text("\n".join(lines) + "\n")


def schemathesis(server: Server, run: Run, header: str, args, env: dict) -> int:
    cmd = [str(BIN / "schemathesis"), "--config-file", str(server.workdir / "schemathesis.toml"), "run",
           str(server.workdir / "openapi.json"), "--url", server.base, "--workers", "1",
           "--checks", CHECKS, "--continue-on-failure", "--max-examples", str(args.max_examples),
           "--header", header, "--no-color", "--suppress-health-check", "filter_too_much,too_slow",
           "--generation-database", "none", "--report", "junit",
           "--report-junit-path", str(server.workdir / f"{run.name}.junit.xml")]
    for pattern in run.include:
        cmd += ["--include-path-regex", pattern]
    for pattern in run.exclude:
        cmd += ["--exclude-path-regex", pattern]
    if args.seed is not None:
        cmd += ["--seed", str(args.seed)]
    print(f"\n===== fuzz: {run.name} ({', '.join(run.include)})", flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "10")))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--only", default="", help="comma-separated runs: till, till-oauth, admin, session")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args(argv)
    wanted = set(filter(None, args.only.split(","))) or {r.name for r in RUNS}

    # On tmpfs where there is one: SQLite's commits then cost no disk flush, and the run is mostly commits.
    shm = Path("/dev/shm")
    workdir = Path(tempfile.mkdtemp(prefix="accessadmin-fuzz-", dir=shm if shm.is_dir() else None))
    server = Server(workdir)
    failed = []
    try:
        server.start()
        admin_token = server.token(ADMIN)
        session_token = server.token(ADMIN)
        server.grant_everything(admin_token, TILL_STORE)
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "fuzz.hooks", "PYTHONPATH": str(ROOT),
               "FUZZ_PROTECTED_USER_ID": str(server.call(admin_token, "/api/v1/me")["id"]),
               "FUZZ_PROTECTED_ROLES": ADMIN_ROLES}
        # Read once, without credentials: the schema view takes only the admin APIs' (a till's would be 401).
        status, schema = request(f"{server.base}/api/schema/?format=json")
        if status != 200:
            raise SystemExit(f"/api/schema/ answered {status}")
        (workdir / "openapi.json").write_bytes(schema)
        basic = "Basic " + base64.b64encode(f"{TILL}:{TILL_SECRET}".encode()).decode()
        write_config(workdir / "schemathesis.toml", known_values(server, admin_token, basic))
        headers = {"till": f"Authorization: {basic}",
                   "till-oauth": f"Authorization: Bearer {client_token(server, admin_token)}",
                   "admin": f"Authorization: Bearer {admin_token}",
                   "session": f"Authorization: Bearer {session_token}"}
        for run in RUNS:
            if run.name in wanted and schemathesis(server, run, headers[run.name], args, env) != 0:
                failed.append(run.name)
    finally:
        server.stop()
        if args.keep or failed:
            print(f"\nDatabase, server log and JUnit reports: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print(f"\nfuzz: failures in {', '.join(failed)}")
        return 1
    print("\nfuzz: no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
