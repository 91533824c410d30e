"""Connect+ in headless Chromium: the run page follows a run live (htmx polls its progress fragment)."""

import pytest

from accessadmin.privileges import Privilege
from accessadmin.testing import make_org, make_user
from connect import services
from connect.models import DataflowRun

from .admin_factories import make_connection, make_dataflow
from .transfer_fixtures import write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_run_page_shows_progress_without_reloading(browser_page, login_in_browser, sftp):
    org = make_org("acme", "Acme Retail")
    make_user(org, username="acme-admin", password="demo-pass-2026", privileges=[Privilege.ADMIN])
    common = {"host": "127.0.0.1", "port": sftp.port, "host_key": sftp.host_key, "base_path": f"/{sftp.name}"}
    flow = make_dataflow(org, source=make_connection(org, "exports", username="alice", password="alice-pw-2026",
                                                     **common),
                         destination=make_connection(org, "partner", username="bob", password="bob-pw-2026",
                                                     **common))
    write(sftp.area / "out" / "members.csv", b"id\n1\n")
    # Queued the way run_start queues it, but not handed to a task queue: this test is the consumer.
    run = DataflowRun.objects.create(dataflow=flow)
    page = browser_page
    login_in_browser(page, "acme-admin", "demo-pass-2026")

    page.goto(f"{page.base}/connect/runs/{run.pk}/")
    status = page.locator("#run-progress [data-status]")
    assert status.get_attribute("data-status") == "queued"
    assert "Waiting for a consumer" in page.locator("#run-progress").inner_text()
    page.evaluate("window.notReloaded = true")

    assert services.run_execute(run_id=run.pk) == "done"

    page.wait_for_selector('#run-progress [data-status="succeeded"]', timeout=8000)
    assert page.evaluate("window.notReloaded") is True  # the fragment was swapped in, the page stayed
    row = page.locator("#run-progress tbody tr").first.inner_text()
    assert "members.csv" in row and "delivered" in row
    # Finished: the new fragment carries no trigger, so polling has stopped.
    assert page.locator("#run-progress").get_attribute("hx-trigger") is None
