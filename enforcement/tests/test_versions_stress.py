"""The promise of DESIGN §4 under load: a change takes effect on the very next request in every process.

Four server processes (gunicorn, one worker with two threads each, on loopback) answer the gateway check
and the till API from their warm caches; a writer process makes 250 changes through the services — every
kind of write that can change a decision: allocation, cells, renames, the default group, Basic auth and
report-only switches, secret rotation, (de)activation, till deletion and re-creation, the API client's
group and the API catalogue — while four threads send 1,000 requests to random servers. For each request
the test knows which changes had returned before it was sent (v_send) and which by the time its answer
came (v_recv); the answer must be the one of some state in between. An answer that only an older state
explains is a decision made on stale data: there must be none.
"""

import base64
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from copy import deepcopy
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SERVERS = 4
CHANGES = 250
REQUESTS = 1000
REQUEST_THREADS = 4
TILL, STORE, ORG = "stress-s1-t1", "stress-s1", "stress"
TOKEN = "stress-client-token-0123456789abcdef"

POS = "POS"
POS_CELLS = {("customer", "data", "read"), ("customer", "data", "write")}
CUSTOMER_READ, STORE_READ = ("customer", "data", "read"), ("store", "config", "read")
RESOURCE = {"/v2/customers": ("customer", "data"), "/v2/stores": ("store", "config")}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path) -> str:
    """Returns a URL of a database the other processes can open, holding this test database's schema."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return (f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
                f"/{s['NAME']}")
    # SQLite's test database lives in this process's memory: copy it (migrated, with the built-in rows) to a file.
    import sqlite3

    path = tmp_path / "stress.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _env(db_url: str, tmp_path, backend: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="enforcement.tests.stress_settings",
               PYTHONPATH=str(ROOT), ENFORCEMENT_VERSION_DIR=str(tmp_path / "versions"),
               ENFORCEMENT_VERSION_BACKEND=backend, ENFORCEMENT_NOTIFY="0",  # the shared counters alone
               ENFORCEMENT_VERSION_REDIS_URL="redis://127.0.0.1:6379/12", DB_CONN_MAX_AGE="600")
    return env


class Writer:
    def __init__(self, env):
        self.proc = subprocess.Popen([PYTHON, "-m", "enforcement.tests.stress_writer"], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        assert json.loads(self.proc.stdout.readline() or "{}").get("ready"), self.proc.stderr.read()

    def __call__(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read()
        out = json.loads(line)
        assert "error" not in out, (cmd, out)
        return out

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


class Servers:
    def __init__(self, env):
        self.ports = [_port() for _ in range(SERVERS)]
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        self.procs = [subprocess.Popen(
            [gunicorn, "accessadmin.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1", "-k", "gthread",
             "--threads", "2", "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True) for port in self.ports]
        deadline = time.time() + 120
        for proc, port in zip(self.procs, self.ports, strict=True):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    assert proc.poll() is None, proc.stderr.read().decode()
                    assert time.time() < deadline, "gunicorn did not start"
                    time.sleep(0.2)

    def close(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in self.procs:
            proc.wait(timeout=30)


def _basic(secret: str) -> str:
    return "Basic " + base64.b64encode(f"{TILL}:{secret}".encode()).decode()


def expect(state: dict, kind: str, uri: str, secret: str) -> tuple:
    """Returns what a request must get in `state`: (status,) or (status, group header, outcome header)."""
    if kind != "client":
        if not state["till_exists"] or secret != state["secret"] or not state["till_active"] or not state["basic"]:
            return (401,)
        group = state["store_group"] or state["default"]
    else:
        group = state["client_group"]
    resource = RESOURCE.get(uri) or (("customer", "data") if uri == "/v2/extra" and state["extra"] else None)
    cells = POS_CELLS if group == POS else state["cells"][group]
    name = POS if group == POS else state["names"][group]
    allowed = resource is not None and (*resource, "read") in cells
    if allowed or state["report_only"]:
        if kind == "till_api":
            return (200,)
        return (200, name, "allowed" if allowed else "would_deny")
    return (403,)


def change(state: dict, rng: random.Random, n: int) -> tuple[dict, dict]:
    """Returns (command for the writer, next state) for a random change of `state`."""
    nxt = deepcopy(state)
    ops = ["allocate", "cells", "rename", "basic", "report_only", "client_group", "extra"]
    ops += ["rotate", "rotate", "active", "delete_till"] if state["till_exists"] else ["create_till"]
    if state["store_group"] is None:
        ops.append("default")
    op = rng.choice(ops)
    if op == "allocate":
        nxt["store_group"] = rng.choice([g for g in ("A", "B", None) if g != state["store_group"]])
        return {"op": op, "group": nxt["store_group"]}, nxt
    if op == "cells":
        group = rng.choice(["A", "B"])
        nxt["cells"][group] = state["cells"][group] ^ {rng.choice([CUSTOMER_READ, STORE_READ])}
        return {"op": op, "group": group, "grants": sorted(nxt["cells"][group])}, nxt
    if op == "rename":
        group = rng.choice(["A", "B"])
        nxt["names"][group] = f"Stress {group} {n}"
        return {"op": op, "group": group, "name": nxt["names"][group]}, nxt
    if op == "default":
        nxt["default"] = "A" if state["default"] == POS else POS
        return {"op": op, "group": nxt["default"]}, nxt
    if op in ("basic", "report_only", "extra"):
        nxt[op] = not state[op]
        return {"op": op, "on": nxt[op]}, nxt
    if op == "active":
        nxt["till_active"] = not state["till_active"]
        return {"op": op, "on": nxt["till_active"]}, nxt
    if op == "delete_till":
        nxt["till_exists"] = False
        return {"op": op}, nxt
    if op == "create_till":
        nxt.update(till_exists=True, till_active=True, secret=f"stress-secret-{n}")
        return {"op": op, "secret": nxt["secret"]}, nxt
    if op == "client_group":
        nxt["client_group"] = "B" if state["client_group"] == "A" else "A"
        return {"op": op, "group": nxt["client_group"]}, nxt
    assert op == "rotate"
    return {"op": op}, nxt  # the secret comes back from the writer


def _send(port: int, kind: str, uri: str, secret: str) -> tuple:
    if kind == "client":
        headers = {"Authorization": f"Bearer {TOKEN}"}
    else:
        headers = {"Authorization": _basic(secret)}
    if kind == "till_api":
        path = uri
    else:
        path = "/authz/check"
        headers.update({"X-Original-Method": "GET", "X-Original-URI": uri})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status == 200 and kind != "till_api":
        return (200, response.getheader("X-Access-Group"), response.getheader("X-Authz-Outcome"))
    return (response.status,)


@pytest.mark.parametrize("backend", ["shm", "redis"])
@pytest.mark.django_db(transaction=True)
def test_no_decision_is_made_on_stale_data(tmp_path, backend):
    rng = random.Random(20261130)
    env = _env(_database_url(tmp_path), tmp_path, backend)
    state = {"store_group": None, "default": POS, "cells": {"A": {CUSTOMER_READ}, "B": {STORE_READ}},
             "names": {"A": "Stress A", "B": "Stress B"}, "basic": True, "report_only": False,
             "secret": "stress-secret-0", "till_active": True, "till_exists": True, "client_group": "A",
             "extra": False}
    writer = Writer(env)
    servers = None
    try:
        writer(op="setup", org=ORG, store=STORE, till=TILL, secret=state["secret"], token=TOKEN,
               client_group="A", groups={k: sorted(v) for k, v in state["cells"].items()}, names=state["names"])
        servers = Servers(env)
        states = [state]  # states[k]: after k changes returned
        lock = threading.Lock()
        problems, answered, ops = [], [], [None]
        writer_done = threading.Event()
        inflight = [None]

        def write():
            try:
                for n in range(1, CHANGES + 1):
                    cmd, nxt = change(states[-1], rng, n)
                    # Returned by the writer but not yet counted here: an answer may already show it.
                    inflight[0] = {**nxt, "secret": None} if cmd["op"] == "rotate" else nxt
                    out = writer(**cmd)
                    if cmd["op"] == "rotate":
                        nxt["secret"] = out["secret"]
                    with lock:
                        states.append(nxt)
                        ops.append(cmd["op"])
                        inflight[0] = None
                    time.sleep(rng.random() * 0.02)
            finally:
                writer_done.set()

        def read(seed: int):
            local = random.Random(seed)
            while True:
                with lock:
                    if len(answered) >= REQUESTS and writer_done.is_set():
                        return
                    answered.append(None)
                    v_send = len(states) - 1
                    sent_state = states[v_send]
                kind = local.choice(["till_check", "till_check", "till_api", "client"])
                uri = local.choice(["/v2/customers", "/v2/stores"] + (["/v2/extra"] if kind != "till_api" else []))
                # Mostly the current secret; sometimes the one before it (a till that has not heard yet).
                secret = sent_state["secret"]
                if v_send and local.random() < 0.1:
                    secret = states[v_send - 1]["secret"]
                got = _send(local.choice(servers.ports), kind, uri, secret)
                with lock:
                    v_recv = len(states) - 1
                    window = states[v_send:v_recv + 1] + ([inflight[0]] if inflight[0] else [])
                    older = states[:v_send]
                if any(expect(s, kind, uri, secret) == got for s in window):
                    continue
                stale = any(expect(s, kind, uri, secret) == got for s in older)
                problems.append({"stale": stale, "kind": kind, "uri": uri, "got": got, "v_send": v_send,
                                 "v_recv": v_recv, "expected": expect(window[0], kind, uri, secret),
                                 "changes before": ops[max(0, v_send - 4):v_send + 1]})

        threads = [threading.Thread(target=write)] + [threading.Thread(target=read, args=(i,))
                                                      for i in range(REQUEST_THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(states) == CHANGES + 1
        assert len(answered) >= REQUESTS
        assert problems == [], f"{sum(p['stale'] for p in problems)} stale of {len(problems)}: {problems[:5]}"
    finally:
        if servers is not None:
            servers.close()
        writer.close()
