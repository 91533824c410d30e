"""End to end: Debian's nginx, configured with deploy/nginx/accessadmin.conf, in front of a small
upstream and the app (live server). One request is allowed through, one is denied by the gateway."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from accessadmin.testing import make_org
from enforcement import auth
from groups.builtins import POS

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "accessadmin.conf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Upstream(BaseHTTPRequestHandler):
    """The service behind the gateway: echoes what it received."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"upstream": True, "path": self.path, "method": self.command,
                           "access_group": self.headers.get("X-Access-Group"),
                           "till": self.headers.get("X-Till")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx_gateway(live_server, tmp_path, settings):
    # nginx reaches the app from loopback; as documented, its address goes into TRUSTED_PROXIES.
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    if not os.path.exists(NGINX):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is missing (apt-get install nginx)")
        pytest.skip("nginx is not installed")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    app = urlsplit(live_server.url)
    port = _free_port()
    server_block = CONF.read_text().replace("listen 8080;", f"listen 127.0.0.1:{port};")
    (tmp_path / "accessadmin.conf").write_text(server_block)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(f"""{user}
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    upstream accessadmin_app {{ server {app.hostname}:{app.port}; }}
    upstream till_backend {{ server 127.0.0.1:{upstream.server_address[1]}; }}
    include {tmp_path}/accessadmin.conf;
}}
""")
    proc = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                             "-e", str(tmp_path / "error.log")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stdout.read().decode()} "
                            f"{(tmp_path / 'error.log').read_text() if (tmp_path / 'error.log').exists() else ''}")
            time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=10)
    upstream.shutdown()


def _request(port, method, path, authorization=None, body=None, source="127.0.0.1", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    headers = {"Content-Type": "application/json", **(headers or {})}
    if authorization:
        headers["Authorization"] = authorization
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


@pytest.mark.django_db(transaction=True)
def test_nginx_forwards_allowed_and_refuses_denied_requests(basic_auth, builtin, make_store, make_till, nginx_gateway):
    org = make_org("ng", "Nginx Org")
    till = make_till(org, make_store(org, "ng-s1"), code="ng-s1-t1")
    assert builtin(POS)  # the org default: data on customers, transactions, points, coupons
    auth = basic_auth(till.code)

    status, _headers, body = _request(nginx_gateway, "POST", "/v2/customers", auth, {"mobile": "+100"})
    assert status == 200, body
    echoed = json.loads(body)
    assert echoed == {"upstream": True, "path": "/v2/customers", "method": "POST", "access_group": "POS",
                      "till": "ng-s1-t1"}

    status, _headers, body = _request(nginx_gateway, "GET", "/v2/stores", auth)
    assert status == 403
    assert json.loads(body) == {"warnings": [], "errors": [
        {"status": False, "code": 4000, "message": "Not authorized. Access is denied!"}]}

    status, headers, _body = _request(nginx_gateway, "GET", "/v2/customers", basic_auth(till.code, "wrong"))
    assert status == 401
    assert headers.get("WWW-Authenticate") == 'Basic realm="accessadmin"'

    # A path trick does not get a denied request through.
    status, _headers, _body = _request(nginx_gateway, "GET", "/v2/customers/../stores", auth)
    assert status == 403  # judged as /v2/stores, which POS may not read


@pytest.mark.django_db(transaction=True)
def test_nginx_names_the_client_and_a_forged_forwarded_for_does_not_escape_the_throttle(basic_auth, make_store,
                                                                                       make_till, nginx_gateway):
    """Clients on 127.0.0.2 and 127.0.0.3 (loopback aliases), nginx and the app on 127.0.0.1."""
    org = make_org("ng", "Nginx Org")
    till = make_till(org, make_store(org, "ng-s2"), code="ng-s2-t1")
    limit = auth.throttle.limits["addr"].failures
    statuses = [_request(nginx_gateway, "GET", "/v2/customers", basic_auth(f"ng-guess-{n}", "wrong"),
                         source="127.0.0.2",
                         headers={"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"198.51.100.{n}"})[0]
                for n in range(limit + 1)]
    # The check's 429 reaches the client as nginx's 503 (see deploy/nginx/README.md).
    assert statuses == [401] * limit + [503]
    assert _request(nginx_gateway, "GET", "/v2/customers", basic_auth(till.code), source="127.0.0.2")[0] == 503
    assert _request(nginx_gateway, "GET", "/v2/customers", basic_auth(till.code), source="127.0.0.3")[0] == 200
