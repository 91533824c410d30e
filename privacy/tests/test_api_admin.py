import json

from django.core.files.uploadedfile import SimpleUploadedFile

from privacy.models import DeletionRequest, Status

SETTINGS = "/api/v1/privacy/settings/"
REQUESTS = "/api/v1/privacy/deletion-requests/"


def test_settings_read_and_patch(acme_admin, maker, api):
    assert api(acme_admin).get(SETTINGS).json() == {"deletion_enabled": False, "waiting_period_days": 30,
                                                    "approval_required": True}
    r = api(acme_admin).patch(SETTINGS, {"deletion_enabled": True, "waiting_period_days": 0}, format="json")
    assert r.status_code == 200
    assert r.json() == {"deletion_enabled": True, "waiting_period_days": 0, "approval_required": True}
    assert api(acme_admin).patch(SETTINGS, {"waiting_period_days": 91}, format="json").status_code == 400
    r = api(maker).patch(SETTINGS, {"approval_required": False}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "privacy_settings_forbidden"
    assert api(maker).get(SETTINGS).json()["approval_required"] is True


def test_full_life_through_the_api_with_maker_checker(acme, maker, checker, csr, shopper, enable, api):
    enable(acme)
    customer = shopper(acme)
    assert api(csr).post(REQUESTS, {"customer_id": customer.pk}, format="json").status_code == 403
    assert DeletionRequest.objects.count() == 0
    r = api(maker).post(REQUESTS, {"identifierType": "mobile", "identifierValue": "+491700000001",
                                   "comments": "by phone"}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "PENDING_APPROVAL" and r.json()["warnings"] == []
    pk = r.json()["id"]
    again = api(maker).post(REQUESTS, {"customer_id": customer.pk}, format="json")
    assert again.status_code == 201 and again.json()["id"] == pk
    assert again.json()["warnings"][0]["code"] == "request_exists"
    r = api(maker).post(f"{REQUESTS}{pk}/approve/", {}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "pii_approval_forbidden"
    r = api(checker).post(f"{REQUESTS}{pk}/reject", {}, format="json")
    assert r.status_code == 400
    r = api(checker).post(f"{REQUESTS}{pk}/approve", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "APPROVED" and r.json()["decided_by"] == "acme-checker"
    assert api(checker).get(f"{REQUESTS}{pk}/").json()["status"] == "APPROVED"
    r = api(maker).post(f"{REQUESTS}{pk}/cancel/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "CANCELLED"


def test_other_orgs_requests_are_404_and_customers_customer_not_found(acme, globex, globex_admin, maker, shopper,
                                                                       enable, api):
    enable(acme)
    enable(globex)
    ours = shopper(acme)
    pk = api(maker).post(REQUESTS, {"customer_id": ours.pk}, format="json").json()["id"]
    assert api(globex_admin).get(f"{REQUESTS}{pk}/").status_code == 404
    assert api(globex_admin).post(f"{REQUESTS}{pk}/approve/", {}, format="json").status_code == 404
    unknown = api(globex_admin).post(REQUESTS, {"customer_id": 10**9}, format="json")
    theirs = api(globex_admin).post(REQUESTS, {"customer_id": ours.pk}, format="json")
    assert unknown.status_code == theirs.status_code == 400
    assert unknown.json() == theirs.json()
    assert theirs.json()["code"] == "customer_not_found"
    assert DeletionRequest.objects.filter(org=globex).count() == 0


def test_list_filters_and_constant_query_count(acme, maker, shopper, enable, api, django_assert_num_queries):
    enable(acme)
    client = api(maker)
    client.post(REQUESTS, {"customer_id": shopper(acme, 1).pk}, format="json")
    with django_assert_num_queries(4):
        assert client.get(REQUESTS).json()["count"] == 1
    for n in range(2, 12):
        client.post(REQUESTS, {"customer_id": shopper(acme, n).pk}, format="json")
    with django_assert_num_queries(4):
        assert client.get(REQUESTS).json()["count"] == 11
    assert client.get(REQUESTS, {"status": "APPROVED"}).json()["count"] == 0
    assert client.get(REQUESTS, {"status": "PENDING_APPROVAL", "created_from": "2000-01-01"}).json()["count"] == 11
    assert client.get(REQUESTS, {"created_to": "2000-01-01"}).json()["count"] == 0
    r = client.get(REQUESTS, {"status": "DONE"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_status"


def test_bulk_file_with_good_bad_and_duplicate_rows(acme, maker, shopper, enable, api):
    enable(acme)
    a, b = shopper(acme, 1), shopper(acme, 2)
    csv = ("identifierType,identifierValue,comments\n"
           "mobile,+491700000001,first\n"
           "email,nobody@example.com,unknown\n"
           "fax,123,bad type\n"
           f"id,{b.pk},by id\n"
           "email,ANN1@example.com,duplicate of row 1\n")
    upload = SimpleUploadedFile("requests.csv", csv.encode(), content_type="text/csv")
    r = api(maker).post(f"{REQUESTS}bulk/", {"file": upload}, format="multipart")
    assert r.status_code == 200 and r.streaming and r["Content-Type"] == "application/json"
    body = json.loads(b"".join(r.streaming_content))
    first = DeletionRequest.objects.get(customer=a).pk
    second = DeletionRequest.objects.get(customer=b).pk
    assert body["rows"] == [
        {"row": 1, "request_id": first, "code": None},
        {"row": 2, "request_id": None, "code": "customer_not_found"},
        {"row": 3, "request_id": None, "code": "invalid_identifier_type"},
        {"row": 4, "request_id": second, "code": None},
        {"row": 5, "request_id": first, "code": "request_exists"},
    ]
    assert (body["total"], body["filed"], body["existing"], body["failed"]) == (5, 2, 1, 2)
    assert DeletionRequest.objects.filter(status=Status.PENDING_APPROVAL).count() == 2
    bad = SimpleUploadedFile("x.csv", b"mobile,number\n1,2\n", content_type="text/csv")
    r = api(maker).post(f"{REQUESTS}bulk/", {"file": bad}, format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "invalid_csv"
