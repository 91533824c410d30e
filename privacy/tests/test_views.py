import csv
import io
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accessadmin.models import AuditEvent
from privacy import selectors, services
from privacy.models import DeletionRequest, Status
from shopperdata.models import Profile


def test_settings_page_shows_and_saves_for_administrators(acme, acme_admin, pages):
    client = pages(acme_admin)
    r = client.get("/privacy/settings/")
    assert r.status_code == 200 and b"Waiting period (days)" in r.content
    r = client.post("/privacy/settings/", {"deletion_enabled": "on", "waiting_period_days": "7"})
    assert r.status_code == 302
    current = selectors.settings_get(org=acme)
    assert (current.deletion_enabled, current.waiting_period_days, current.approval_required) == (True, 7, False)


def test_settings_page_refuses_changes_from_others(acme, maker, csr, pages):
    assert pages(csr).get("/privacy/settings/").status_code == 403
    assert pages(maker).get("/privacy/settings/").status_code == 200
    r = pages(maker).post("/privacy/settings/", {"deletion_enabled": "on", "waiting_period_days": "0"})
    assert r.status_code == 403
    assert selectors.settings_get(org=acme).pk is None
    r = pages(maker).post("/privacy/settings/", {"waiting_period_days": "91"})
    assert selectors.settings_get(org=acme).pk is None


# --- deletion requests on the pages ------------------------------------------------------------------------------

def profile(client, customer):
    return client.get(f"/shoppers/{customer.pk}/")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_request_from_the_profile_with_a_confirmation_of_what_is_erased(acme, maker, csr, shopper, enable, pages):
    enable(acme, waiting_period_days=14)
    customer = shopper(acme)
    Profile.objects.filter(pk=customer.pk).update(external_id="CRM-1")
    client = pages(maker)
    page = text(profile(client, customer))
    assert "Request deletion" in page and f"/privacy/customers/{customer.pk}/request/" in page
    assert "Request deletion" not in text(profile(pages(csr), customer))  # no privilege: no button
    confirm = client.get(f"/privacy/customers/{customer.pk}/request/")
    assert confirm.status_code == 200
    shown = text(confirm)
    assert "<strong>14 days</strong>" in shown and "after a second person approves it" in shown
    erased = re.findall(r'<code class="small">(\w+)</code>', confirm.content.decode())
    assert erased == ["dateOfBirth", "email", "externalId", "firstName", "gender", "lastName", "mobile", "nickname"]
    assert "shoeSize" not in shown and "ann1@example.com" not in shown  # what, never the values
    r = client.post(f"/privacy/customers/{customer.pk}/request/", {"comments": "asked by phone"})
    assert r.status_code == 400 and DeletionRequest.objects.count() == 0  # the confirmation box is required
    r = client.post(f"/privacy/customers/{customer.pk}/request/", {"comments": "asked by phone", "confirm": "on"})
    req = DeletionRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/privacy/requests/{req.pk}/"
    assert (req.status, req.source, req.comments, req.raised_by_key) == (
        Status.PENDING_APPROVAL, "PAGE", "asked by phone", f"user:{maker.pk}")
    page = text(profile(client, customer))
    assert "Deletion pending" in page and "Pending approval" in page and "Request deletion" not in page
    assert f'href="/privacy/requests/{req.pk}/"' in page
    assert "Deletion pending" in text(profile(pages(csr), customer))  # everyone who sees the profile
    assert 'id="deletion-requests"' not in text(profile(pages(csr), customer))  # the history: privileged only
    assert f'an open request, <a href="/privacy/requests/{req.pk}/">' in text(
        client.get(f"/privacy/customers/{customer.pk}/request/"))
    again = client.post(f"/privacy/customers/{customer.pk}/request/", {"confirm": "on"})
    assert again.status_code == 302 and DeletionRequest.objects.count() == 1  # the open one is returned


def test_pages_refuse_without_privileges_and_hide_other_orgs(acme, globex, globex_admin, csr, maker, checker,
                                                             shopper, enable, pages):
    enable(acme)
    customer = shopper(acme)
    req = services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=customer.pk).request
    for url in ("/privacy/requests/", f"/privacy/requests/{req.pk}/", "/privacy/requests/approvals/",
                "/privacy/requests/bulk/", f"/privacy/customers/{customer.pk}/request/"):
        assert pages(csr).get(url).status_code == 403, url
    assert pages(checker).get(f"/privacy/customers/{customer.pk}/request/").status_code == 403
    assert pages(maker).get("/privacy/requests/approvals/").status_code == 403
    for url in (f"/privacy/requests/{req.pk}/approve/", f"/privacy/requests/{req.pk}/reject/"):
        assert pages(maker).post(url, {"reason": "x"}).status_code == 403
    assert pages(csr).post(f"/privacy/requests/{req.pk}/cancel/").status_code == 403
    assert pages(globex_admin).get(f"/privacy/requests/{req.pk}/").status_code == 404
    assert pages(globex_admin).post(f"/privacy/requests/{req.pk}/approve/").status_code == 404
    assert pages(globex_admin).get(f"/privacy/customers/{customer.pk}/request/").status_code == 404
    req.refresh_from_db()
    assert req.status == Status.PENDING_APPROVAL


def test_navigation_links_follow_the_privileges(acme, csr, maker, checker, pages):
    assert "/privacy/requests/" not in pages(csr).get("/").content.decode()
    maker_nav = pages(maker).get("/").content.decode()
    assert "/privacy/requests/" in maker_nav and "/privacy/requests/bulk/" in maker_nav
    assert "/privacy/requests/approvals/" not in maker_nav
    checker_nav = pages(checker).get("/").content.decode()
    assert "/privacy/requests/approvals/" in checker_nav and "/privacy/requests/bulk/" not in checker_nav


def test_approval_queue_maker_checker_and_reject_with_reason(acme, acme_admin, maker, checker, shopper, enable,
                                                             pages):
    enable(acme, waiting_period_days=0)
    mine = services.request_raise(actor=acme_admin, org=acme, source="PAGE", customer_id=shopper(acme, 1).pk).request
    theirs = services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=shopper(acme, 2).pk).request
    third = services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=shopper(acme, 3).pk).request
    admin = pages(acme_admin)
    queue = admin.get("/privacy/requests/approvals/").content.decode()
    own_row = re.search(rf'<tr data-request="{mine.pk}">.*?</tr>', queue, re.S).group(0)
    assert "disabled" in own_row and "You raised this request" in own_row and "request-approve" not in own_row
    assert f'action="/privacy/requests/{mine.pk}/approve/"' not in queue
    assert f'action="/privacy/requests/{theirs.pk}/approve/"' in queue
    # The button is absent, and the POST is refused too.
    r = admin.post(f"/privacy/requests/{mine.pk}/approve/")
    assert r.status_code == 403 and "Nobody approves a request they raised" in r.content.decode()
    detail = text(admin.get(f"/privacy/requests/{mine.pk}/"))
    assert "You raised this request" in detail and "disabled" in detail
    mine.refresh_from_db()
    assert mine.status == Status.PENDING_APPROVAL
    r = admin.post(f"/privacy/requests/{theirs.pk}/approve/", {"next": "queue"})
    assert r.status_code == 302 and r["Location"] == "/privacy/requests/approvals/"
    theirs.refresh_from_db()
    assert theirs.status == Status.APPROVED and theirs.decided_by == acme_admin
    r = pages(checker).post(f"/privacy/requests/{third.pk}/reject/", {"reason": ""})
    assert r.status_code == 400
    r = pages(checker).post(f"/privacy/requests/{third.pk}/reject/", {"reason": "not the customer's signature"})
    assert r.status_code == 302
    third.refresh_from_db()
    assert (third.status, third.reason) == (Status.REJECTED, "not the customer's signature")
    r = pages(checker).post(f"/privacy/requests/{third.pk}/approve/")
    assert r.status_code == 409
    queue = pages(checker).get("/privacy/requests/approvals/").content.decode()
    assert f'data-request="{mine.pk}"' in queue and f'data-request="{third.pk}"' not in queue


def test_request_detail_shows_the_history_and_cancel(acme, maker, checker, shopper, enable, pages):
    enable(acme)
    req = services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=shopper(acme).pk,
                                 comments="in store").request
    r = pages(maker).post(f"/privacy/requests/{req.pk}/cancel/")
    assert r.status_code == 302
    page = text(pages(checker).get(f"/privacy/requests/{req.pk}/"))
    assert "Deletion requested" in page and "Deletion request cancelled" in page and "in store" in page
    assert "Cancelled" in page and "Cancel request" not in page


def test_requests_list_filters_csv_export_and_constant_queries(acme, maker, shopper, enable, pages,
                                                               constant_queries):
    enable(acme)
    client = pages(maker)
    first = shopper(acme, 1)
    services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=first.pk)

    def more():
        for n in range(2, 13):
            services.request_raise(actor=maker, org=acme, source="ADMIN_API", customer_id=shopper(acme, n).pk)

    page = constant_queries(client, "/privacy/requests/", 7, more)
    assert page.content.decode().count('<tr data-status="PENDING_APPROVAL">') == 12
    cancelled = DeletionRequest.objects.order_by("id").last()
    services.request_cancel(actor=maker, org=acme, request_id=cancelled.pk)
    only = client.get("/privacy/requests/", {"status": "CANCELLED"}).content.decode()
    assert only.count("<tr data-status=") == 1 and f'href="/privacy/requests/{cancelled.pk}/"' in only
    by_customer = client.get("/privacy/requests/", {"customer": first.pk}).content.decode()
    assert by_customer.count("<tr data-status=") == 1
    today = timezone.localdate()
    assert client.get("/privacy/requests/", {"created_from": str(today + timedelta(days=1))}).content.decode() \
        .count("<tr data-status=") == 0
    assert client.get("/privacy/requests/", {"created_to": str(today)}).content.decode() \
        .count("<tr data-status=") == 12
    bad = client.get("/privacy/requests/", {"created_from": "yesterday"})
    assert bad.status_code == 400 and "created_from must be a date" in bad.content.decode()
    export = client.get("/privacy/requests/", {"status": "PENDING_APPROVAL", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv") and "attachment" in export["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 11 and {r["Status"] for r in rows} == {"PENDING_APPROVAL"}
    assert rows[-1]["Customer"] == str(first.pk) and rows[-1]["Raised by"] == "acme-maker"
    assert int(rows[0]["Request"]) > int(rows[-1]["Request"])  # newest first (as numbers: "12" < "2" as text)
    by_customer_csv = client.get("/privacy/requests/", {"customer": first.pk, "format": "csv", "sort": "id"})
    assert len(list(csv.DictReader(io.StringIO(b"".join(by_customer_csv.streaming_content).decode())))) == 1
    chips = client.get("/privacy/requests/", {"status": "CANCELLED", "customer": first.pk}).content.decode()
    assert "Status: <strong>Cancelled</strong>" in chips and "Customer id: <strong>" in chips
    assert "ann1@example.com" not in str(rows)


def test_bulk_upload_page_template_and_per_row_results(acme, maker, shopper, enable, pages):
    enable(acme)
    a = shopper(acme, 1)
    client = pages(maker)
    page = client.get("/privacy/requests/bulk/")
    assert page.status_code == 200 and 'href="/privacy/requests/bulk/template.csv"' in page.content.decode()
    template = client.get("/privacy/requests/bulk/template.csv")
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode().splitlines()[0] == "identifierType,identifierValue,comments"
    body = (b"identifierType,identifierValue,comments\nmobile,+491700000001,by phone\n"
            b"email,nobody@example.com,\nemail,ann1@example.com,again\n")
    r = client.post("/privacy/requests/bulk/", {"file": SimpleUploadedFile("r.csv", body), "results": "page"})
    assert r.status_code == 200
    req = DeletionRequest.objects.get(customer=a)
    shown = text(r)
    assert "<strong>3</strong> rows: 1 filed, 1 already open, 1 in error." in shown
    assert f'<td>1</td><td><a href="/privacy/requests/{req.pk}/">{req.pk}</a></td>' in shown
    assert "<td>2</td><td>—</td> <td><code>customer_not_found</code></td>" in shown
    assert "<code>request_exists</code>" in shown
    r = client.post("/privacy/requests/bulk/", {"file": SimpleUploadedFile("r.csv", body), "results": "csv"})
    assert b"".join(r.streaming_content).decode() == (
        f"row,requestId,result\n1,{req.pk},request_exists\n2,,customer_not_found\n3,{req.pk},request_exists\n")
    bad = client.post("/privacy/requests/bulk/", {"file": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")})
    assert bad.status_code == 400 and "must start with the header" in bad.content.decode()
    assert DeletionRequest.objects.count() == 1


def test_a_deleted_customers_profile_says_so(acme, maker, checker, shopper, enable, pages):
    enable(acme, waiting_period_days=0)
    customer = shopper(acme)
    req = services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=customer.pk).request
    services.request_approve(actor=checker, org=acme, request_id=req.pk)
    assert services.execute_due() == {"completed": 1}
    page = text(profile(pages(maker), customer))
    assert "This customer has been deleted" in page and "Request deletion" not in page
    assert "ann1@example.com" not in page
    assert "Completed" in page
    assert AuditEvent.objects.filter(action="deletion_request.completed").count() == 1
