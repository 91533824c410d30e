"""The change counters of accessadmin.versions: shared memory, Redis, bumps in and after the transaction,
and PostgreSQL NOTIFY as the second path."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from accessadmin import versions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shm(settings, tmp_path):
    settings.ENFORCEMENT_VERSION_BACKEND = "shm"
    settings.ENFORCEMENT_VERSION_DIR = str(tmp_path)
    return tmp_path


def test_slots_keep_everything_apart_from_orgs():
    assert versions.slot_of(None) == versions.EVERYTHING
    assert versions.slot_of(1) != versions.slot_of(2) != versions.EVERYTHING
    assert 0 < versions.slot_of(10**12) < versions.SLOTS


@pytest.mark.django_db(transaction=True)
def test_a_change_moves_the_org_now_and_again_on_commit_and_leaves_other_orgs(shm):
    before, other = versions.stamp(7), versions.stamp(8)
    with transaction.atomic():
        versions.changed(7)
        inside = versions.stamp(7)
        assert inside != before  # copies loaded before the write are dropped at once
    after = versions.stamp(7)
    assert after != inside  # ...and copies loaded while the transaction was open, on commit
    assert versions.stamp(8) == other
    versions.changed(None)
    assert versions.stamp(8) != other and versions.stamp(7) != after  # everything


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_still_only_over_invalidates(shm):
    before = versions.stamp(7)
    with pytest.raises(RuntimeError), transaction.atomic():
        versions.changed(7)
        raise RuntimeError
    assert versions.stamp(7) != before


def test_the_file_is_shared_by_every_process_of_the_host(shm, settings):
    """Another interpreter that bumps org 5 moves the counter this process reads (no round trip here)."""
    versions.stamp(5)  # opens the file
    before = versions.stamp(5)
    identity = versions.database_identity(connection.settings_dict)
    child = textwrap.dedent(f"""
        import django
        django.setup()
        from django.conf import settings
        settings.ENFORCEMENT_VERSION_DIR = {str(shm)!r}
        from accessadmin import versions
        versions.SharedMemoryTable({identity!r}).bump(versions.slot_of(5))
    """)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "accessadmin.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", child], cwd=ROOT, env=env, check=True, timeout=120)
    assert versions.stamp(5)[1] == before[1] + 1
    assert len(list(Path(shm).glob("*.versions"))) == 1
    assert (Path(shm) / next(Path(shm).glob("*.versions")).name).stat().st_size == versions.SLOTS * 8


@pytest.mark.django_db(transaction=True)
def test_redis_counters(settings):
    settings.ENFORCEMENT_VERSION_BACKEND = "redis"
    settings.ENFORCEMENT_VERSION_REDIS_URL = "redis://127.0.0.1:6379/12"
    before = versions.stamp(9)
    versions.changed(9)
    assert versions.stamp(9) != before
    assert versions.table().kind == "redis"


def test_unreachable_redis_counters_make_no_decision(settings):
    from accessadmin.errors import Unavailable
    from accessadmin.testing import closed_port

    settings.ENFORCEMENT_VERSION_BACKEND = "redis"
    settings.ENFORCEMENT_VERSION_REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    with pytest.raises(Unavailable):
        versions.stamp(9)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_notify_reaches_a_listening_process_without_the_shared_file(shm, settings):
    """The second path: a change announced with NOTIFY moves this process's stamp even when the writer's
    counter file is not ours (another host)."""
    if connection.vendor != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's")
    settings.ENFORCEMENT_NOTIFY = True
    try:
        assert versions.start_listening(timeout=10)
        before = versions.stamp(11)
        with connection.cursor() as cursor:  # what a writer on another host sends on commit
            cursor.execute("SELECT pg_notify(%s, %s)", [versions.CHANNEL, str(versions.slot_of(11))])
        deadline = time.monotonic() + 10
        while versions.stamp(11) == before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert versions.stamp(11) != before
        assert versions.stamp(11)[:2] == before[:2]  # the shared counters did not move: NOTIFY alone did it
    finally:
        versions.stop_listening()
