"""Request → approve (by a second person) → executed, through the pages in headless Chromium."""

import pytest

from privacy import tasks
from privacy.models import DeletionRequest, Status
from shopperdata.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_approve_and_execute_through_the_pages(acme, maker, checker, shopper, enable, browser_page,
                                                       login_in_browser):
    enable(acme, waiting_period_days=0)
    customer = shopper(acme)
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations before approving
    login_in_browser(page, "acme-maker", "pw-for-tests-1")
    page.goto(f"{page.base}/shoppers/{customer.pk}/")
    page.get_by_role("link", name="Request deletion").click()
    assert "the same day" in page.locator("#what-happens").inner_text()
    assert "Email Address" in page.locator("#erased").inner_text()
    page.get_by_label("Comments").fill("asked at the counter")
    page.get_by_label("I have checked that this is the customer who asked").check()
    page.get_by_role("button", name="Request deletion").click()
    req = DeletionRequest.objects.get(customer_id=customer.pk)
    assert page.url.endswith(f"/privacy/requests/{req.pk}/")
    assert "Pending approval" in page.locator("#request").inner_text()
    page.goto(f"{page.base}/shoppers/{customer.pk}/")
    assert "Deletion pending" in page.locator("#deletion").inner_text()

    page.context.clear_cookies()
    login_in_browser(page, "acme-checker", "pw-for-tests-1")
    page.get_by_role("link", name="Deletion approvals").click()
    row = page.locator(f'tr[data-request="{req.pk}"]')
    row.get_by_role("button", name="Approve").click()
    assert "approved" in page.locator(".messages").inner_text()
    assert page.locator(f'tr[data-request="{req.pk}"]').count() == 0
    req.refresh_from_db()
    assert req.status == Status.APPROVED and req.decided_by == checker

    tasks.execute_due_deletions.call_local()  # the periodic task, run here as the consumer would
    req.refresh_from_db()
    assert req.status == Status.COMPLETED
    page.context.clear_cookies()
    login_in_browser(page, "acme-maker", "pw-for-tests-1")
    page.goto(f"{page.base}/shoppers/{customer.pk}/")
    assert "This customer has been deleted" in page.locator("#deletion").inner_text()
    assert "ann1@example.com" not in page.content()
    assert Profile.objects.get(pk=customer.pk).email is None
