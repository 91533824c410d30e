"""Enforcement benchmark (`make bench`; not a test). Serves the app with gunicorn on loopback and
prints, measured side by side in one run (alternating, every ratio from the same round; min/median/max
over BENCH_ROUNDS rounds, at least 3):

1. requests/s of GET /v2/points/<id> with warm HTTP Basic auth + the permission class, vs the very same
   view with authentication and permission switched off (goal: ratio ≥ 0.95);
2. requests/s of /authz/check (warm Basic auth, path mapping, decision) vs a bare Django view on the same
   server (goal: ratio ≥ 0.90);
3. both again on a second server whose version counters are in Redis (ENFORCEMENT_VERSION_BACKEND=redis,
   the several-hosts mode: one MGET per decision);
4. the in-process decision time, warm (goal ≤ 10 µs), next to pycasbin enforcing the same RBAC policy.

Load comes from wrk when installed (apt-get install wrk), else from a small threaded keep-alive client.
The database is a throwaway SQLite file (or PostgreSQL when DATABASE_URL points there: a database
named <name>_bench_enforcement is created and dropped). The cache is Redis when one answers on
127.0.0.1:6379 (db 13, flushed), as in production; else each worker has its own local cache. The
machine's load average is printed with the numbers: on a busy machine compare ratios, not req/s.
"""

import base64
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import timeit
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.common import report

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECRET = "bench-till-secret-2026"
TILL = "bench-s1-t1"
ROUNDS = max(3, int(os.environ.get("BENCH_ROUNDS", "5")))
SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))


# --- setup in a child process (the benchmark's own process never touches the throwaway database) ---------

def seed() -> None:
    """`python -m benchmarks.bench_enforcement seed`: the org, store, till and customer; prints their ids."""
    import django

    django.setup()
    from accessadmin.services import ensure_builtin_privileges, org_create
    from groups.builtins import ensure_builtins
    from loyalty import services as loyalty_services
    from shopperdata import services as shopper_services
    from stores import services as store_services

    class System:  # issues the starting points: neither a till nor an API client
        till_id = None
        api_client_id = None

    ensure_builtin_privileges()
    ensure_builtins()
    org = org_create(actor=None, code="bench", name="Bench")
    store = store_services.store_create(actor=None, org=org, code="bench-s1", name="Bench store")
    store_services.till_create(actor=None, org=org, store=store, code=TILL, secret=SECRET)
    customer = shopper_services.profile_create(actor=None, org=org, values={
        "mobile": "+4917000001", "email": "bench@example.com", "firstName": "Sam"}).profile
    loyalty_services.points_issue(caller=System(), org=org, customer_id=customer.pk, points=100)
    print(json.dumps({"customer_id": customer.pk}))


def queries(customer_id: int) -> None:
    """`python -m benchmarks.bench_enforcement queries <id>`: prints the queries of warm till requests (JSON)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    auth = "Basic " + base64.b64encode(f"{TILL}:{SECRET}".encode()).decode()
    client = Client(HTTP_AUTHORIZATION=auth)
    counts = {}
    for label, path, extra in (("GET /v2/customers/<id>", f"/v2/customers/{customer_id}", {}),
                               ("GET /v2/points/<id>", f"/v2/points/{customer_id}", {}),
                               ("GET /v2/org", "/v2/org", {}),
                               ("/authz/check", "/authz/check", {"HTTP_X_ORIGINAL_METHOD": "GET",
                                                                 "HTTP_X_ORIGINAL_URI": "/v2/org"})):
        for _ in range(2):
            client.get(path, **extra)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path, **extra).status_code
        counts[label] = (status, len(ctx))
    print(json.dumps(counts))


def query_counts_of(env: dict, customer_id: int) -> list[tuple[str, str]]:
    out = subprocess.run([PYTHON, "-m", "benchmarks.bench_enforcement", "queries", str(customer_id)], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True).stdout
    counts = json.loads(out.strip().splitlines()[-1])
    return [(f"queries, warm {label} (status {status})", str(n)) for label, (status, n) in counts.items()]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.3) as s:
            s.sendall(b"SELECT 13\r\nFLUSHDB\r\n")
            s.recv(100)
        return "redis://127.0.0.1:6379/13"
    except OSError:
        return ""


class Database:
    """A throwaway database URL for the child processes."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="bench-enf-")
        base = os.environ.get("DATABASE_URL", "")
        self.pg = base.startswith(("postgres://", "postgresql://"))
        if self.pg:
            parts = urlsplit(base)
            self.name = (parts.path.lstrip("/") or "postgres") + "_bench_enforcement"
            self.admin_url = parts._replace(path="/postgres").geturl()
            self.url = parts._replace(path="/" + self.name).geturl()
        else:
            self.url = f"sqlite:///{self.tmp}/bench.sqlite3"

    def _pg(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def __enter__(self):
        if self.pg:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._pg(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        if self.pg:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)


def _env(db_url: str, redis_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update(DATABASE_URL=db_url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench-" + "k" * 50,
               DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SETTINGS_MODULE="accessadmin.settings", PYTHONPATH=str(ROOT))
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class Server:
    def __init__(self, env: dict, workers: int, **extra_env):
        self.port = _port()
        self.env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.enforcement_settings", **extra_env}
        self.cmd = [str(Path(PYTHON).parent / "gunicorn"), "accessadmin.wsgi:application", "-b",
                    f"127.0.0.1:{self.port}", "-w", str(workers), "-k", "gthread", "--threads", str(THREADS),
                    "--keep-alive", "30", "--log-level", "warning", "--backlog", "256"]

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read().decode())
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


# --- load ------------------------------------------------------------------------------------------------

def _get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def _wrk(port: int, path: str, headers: dict, seconds: int) -> float:
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out and "timeout 0" not in out:
        bad = re.search(r"(Non-2xx.*|Socket errors.*)", out)
        raise RuntimeError(f"{path}: {bad.group(0) if bad else out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_load(port: int, path: str, headers: dict, seconds: int) -> float:
    """A fallback load generator: CONNECTIONS threads, each with a keep-alive connection."""
    stop = time.perf_counter() + seconds
    counts = []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.perf_counter() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path}: {response.status}")
            n += 1
        counts.append(n)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def load(port, path, headers, seconds=SECONDS) -> float:
    return (_wrk if shutil.which("wrk") else _python_load)(port, path, headers, seconds)


def spread(values: list[float]) -> str:
    """min / median / max of `values` (ratios)."""
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def rps(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} req/s (median; {min(values):,.0f}–{max(values):,.0f})"


# --- in-process decision ---------------------------------------------------------------------------------

CASBIN_MODEL = """
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
"""


def decision_timing() -> list[tuple[str, str]]:
    import casbin

    from enforcement import selectors
    from enforcement.caller import TILL as TILL_KIND
    from enforcement.caller import Caller
    from enforcement.policies import decide
    from groups.builtins import BUILTIN_GROUPS

    tmp = tempfile.mkdtemp(prefix="casbin-")
    model_path, policy_path = Path(tmp, "model.conf"), Path(tmp, "policy.csv")
    model_path.write_text(CASBIN_MODEL)
    lines, grants_by_group = [], {}
    for name, (_desc, _all, cells) in BUILTIN_GROUPS.items():
        grants = set()
        for resource, api, read, write in cells:
            for permission, flag in (("read", read), ("write", write)):
                if flag:
                    grants.add((resource, api, permission))
                    lines.append(f"p, {name}, {resource}/{api}, {permission}")
        grants_by_group[name] = frozenset(grants)
    for n in range(1, 81):  # 80 tills, as in the demo, split over the groups
        lines.append(f"g, till-{n}, {'POS' if n % 2 else 'Instore'}")
    policy_path.write_text("\n".join(lines) + "\n")
    enforcer = casbin.Enforcer(str(model_path), str(policy_path))

    # Our warm path: the group's grants come from the per-process cache under (group, version), then decide.
    selectors._grants_cache.put((1, "v1"), grants_by_group["POS"])
    caller = Caller(kind=TILL_KIND, pk=1, code="till-1", name="till-1", org_id=1, org_code="bench",
                    report_only=False, store_id=1, store_code="s1", group_id=1, group_name="POS",
                    group_source="store", group_active=True, grants_all=False, grants=grants_by_group["POS"])

    def ours_allow():
        selectors.group_grants(1, "v1")
        return decide(caller, "customer", "data", "GET")

    def ours_deny():
        selectors.group_grants(1, "v1")
        return decide(caller, "store", "config", "POST")

    def casbin_allow():
        return enforcer.enforce("till-1", "customer/data", "read")

    def casbin_deny():
        return enforcer.enforce("till-1", "store/config", "write")

    assert ours_allow().passes and not ours_deny().passes and casbin_allow() and not casbin_deny()
    rows = []
    for label, fn, number in (("ours, allow", ours_allow, 200_000), ("ours, deny", ours_deny, 200_000),
                              ("pycasbin, allow", casbin_allow, 20_000), ("pycasbin, deny", casbin_deny, 20_000)):
        best = min(timeit.repeat(fn, number=number, repeat=5)) / number
        rows.append((f"decision µs ({label})", f"{best * 1e6:.2f}"))
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


# --- main ------------------------------------------------------------------------------------------------

def _warm(port: int, workers: int, *targets) -> None:
    for path, headers in targets:
        for _ in range(workers * 4):  # every worker: its first Basic verification is the slow hash
            status, body = _get(port, path, headers)
            assert status == 200, (path, status, body[:300])
    for target in targets:
        load(port, *target, seconds=1)


def main() -> None:
    redis_url = _redis_url()
    # One worker by default: with several, keep-alive connections spread unevenly over the workers and
    # the split (not the code) decides the numbers. The cache is still the shared one (Redis) when up.
    workers = int(os.environ.get("BENCH_WORKERS", "1")) if redis_url else 1
    with Database() as db:
        env = _env(db.url, redis_url)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        seeded = subprocess.run([PYTHON, "-m", "benchmarks.bench_enforcement", "seed"], cwd=ROOT, env=env,
                                check=True, capture_output=True, text=True).stdout
        customer_id = json.loads(seeded.strip().splitlines()[-1])["customer_id"]
        auth = {"Authorization": "Basic " + base64.b64encode(f"{TILL}:{SECRET}".encode()).decode()}
        protected = (f"/v2/points/{customer_id}", auth)
        open_ = (f"/v2/bench-open/points/{customer_id}", {})
        check = ("/authz/check", {**auth, "X-Original-Method": "GET", "X-Original-URI": f"/v2/points/{customer_id}"})
        bare = ("/authz/bench-bare", {})  # the same short stack as /authz/check
        full_bare = ("/bench/bare", {})   # the full page stack, for reference
        results = {k: [] for k in ("till", "open", "check", "bare", "full_bare", "r_till", "r_open", "r_check",
                                   "r_bare")}
        redis_versions = redis_url.rsplit("/", 1)[0] + "/14" if redis_url else ""
        load_before = os.getloadavg()
        with Server(env, workers) as shm, \
                Server(env, workers, ENFORCEMENT_VERSION_BACKEND="redis",
                       ENFORCEMENT_VERSION_REDIS_URL=redis_versions) if redis_url else _Nothing() as red:
            _warm(shm.port, workers, protected, open_, check, bare, full_bare)
            if red is not None:
                _warm(red.port, workers, protected, open_, check, bare)
            for _ in range(ROUNDS):
                # Each pair back to back on one server, so both sides of a ratio meet the same machine.
                results["till"].append(load(shm.port, *protected))
                results["open"].append(load(shm.port, *open_))
                results["check"].append(load(shm.port, *check))
                results["bare"].append(load(shm.port, *bare))
                results["full_bare"].append(load(shm.port, *full_bare))
                if red is not None:
                    results["r_till"].append(load(red.port, *protected))
                    results["r_open"].append(load(red.port, *open_))
                    results["r_check"].append(load(red.port, *check))
                    results["r_bare"].append(load(red.port, *bare))
        load_after = os.getloadavg()
        counted = query_counts_of(env, customer_id)

    def ratios(a, b):
        return [x / y for x, y in zip(results[a], results[b], strict=True)]

    rows = [
        ("server", f"gunicorn gthread, {workers} worker(s) × {THREADS} thread(s), "
                   f"{'Redis' if redis_url else 'local'} cache, "
                   f"{'PostgreSQL' if db.pg else 'SQLite'}; load: {'wrk' if shutil.which('wrk') else 'python'} "
                   f"{CONNECTIONS} connections, {ROUNDS} rounds × {SECONDS}s per side; ratios min / median / max"),
        ("machine load average (1 min), before / after", f"{load_before[0]:.1f} / {load_after[0]:.1f} "
                                                        f"on {os.cpu_count()} CPUs"),
        ("GET /v2/points/<id>, warm Basic + decision (shm)", rps(results["till"])),
        ("same view, auth + permission off", rps(results["open"])),
        ("ratio till ÷ unprotected (goal ≥ 0.95)", spread(ratios("till", "open"))),
        ("/authz/check, warm Basic (shm)", rps(results["check"])),
        ("bare Django view, same server and stack", rps(results["bare"])),
        ("ratio /authz/check ÷ bare view (goal ≥ 0.90)", spread(ratios("check", "bare"))),
        ("bare Django view through the full page stack", rps(results["full_bare"])),
        ("ratio /authz/check ÷ that (reference)", spread(ratios("check", "full_bare"))),
    ]
    if redis_url:
        rows += [
            ("GET /v2/points/<id>, warm (Redis versions)", rps(results["r_till"])),
            ("ratio till ÷ unprotected (Redis versions)", spread(ratios("r_till", "r_open"))),
            ("/authz/check, warm (Redis versions)", rps(results["r_check"])),
            ("ratio /authz/check ÷ bare view (Redis versions)", spread(ratios("r_check", "r_bare"))),
        ]
    rows += [*counted, *decision_timing()]
    report("Enforcement: till API, gateway check, decision (goal: ours ≤ 10 µs warm)", rows)


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        seed()
    elif sys.argv[1:2] == ["queries"]:
        queries(int(sys.argv[2]))
    else:
        from benchmarks.common import setup_django

        setup_django()
        main()
