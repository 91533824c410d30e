import os
import subprocess
import sys
from pathlib import Path

import pytest

from accessadmin.api.exceptions import exception_handler
from accessadmin.errors import Conflict

ROOT = Path(__file__).resolve().parents[2]


def _env(**overrides):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
    return {**env, **overrides}


def test_check_deploy_is_clean_in_production_settings():
    env = _env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="q7-Zp" * 8 + "-production-secret-key-0123456789",
               DJANGO_ALLOWED_HOSTS="admin.example.com")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


class _Req:
    def __init__(self, path):
        self.path = path


@pytest.mark.parametrize("path,expected", [
    ("/api/v1/access-groups/", {"code": "group_has_stores", "message": "3 stores."}),
    ("/ccadmin/v1/adminRoles", {"errorCode": "group_has_stores", "message": "3 stores.", "status": "409"}),
])
def test_one_handler_maps_app_errors_to_each_api_shape(path, expected):
    response = exception_handler(Conflict("3 stores.", code="group_has_stores"), {"request": _Req(path)})
    assert response.status_code == 409
    assert response.data == expected


def test_openapi_schema_and_docs_are_served_offline(db, client):
    r = client.get("/api/schema/")
    assert r.status_code == 200 and b"openapi" in r.content
    r = client.get("/api/docs/")
    assert r.status_code == 200
    assert b"//cdn" not in r.content and b"unpkg" not in r.content and b"jsdelivr" not in r.content


def test_openapi_schema_builds_without_warnings_and_validates(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", file=str(target), validate=True, fail_on_warn=True)
    text = target.read_text()
    for path in ("/api/v1/access-groups/", "/api/v1/stores/", "/ccadmin/v1/adminRoles", "/ccadmin/v1/profiles",
                 "/ccadmin/v1/adminSecurityCriteria", "/v2/customers"):
        assert path in text, path
