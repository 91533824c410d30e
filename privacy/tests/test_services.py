from datetime import timedelta

import pytest
from django.utils import timezone

from accessadmin.errors import Conflict, Forbidden, InvalidInput
from accessadmin.models import AuditEvent
from privacy import selectors, services, tasks
from privacy.models import DeletionRequest, Status
from shopperdata import selectors as profile_selectors
from shopperdata import services as profile_services
from shopperdata.models import Profile

T0 = timezone.now().replace(microsecond=0)


def raise_for(actor, org, customer, now=T0, **kw):
    return services.request_raise(actor=actor, org=org, source="PAGE", customer_id=customer.pk, now=now, **kw)


def test_requests_are_refused_while_deletion_is_disabled(acme, maker, shopper):
    customer = shopper(acme)
    with pytest.raises(InvalidInput) as err:
        raise_for(maker, acme, customer)
    assert err.value.code == "deletion_disabled"
    assert DeletionRequest.objects.count() == 0


def test_settings_defaults_and_limits(acme, acme_admin, maker):
    current = selectors.settings_get(org=acme)
    assert (current.deletion_enabled, current.waiting_period_days, current.approval_required) == (False, 30, True)
    with pytest.raises(InvalidInput) as err:
        services.settings_update(actor=acme_admin, org=acme, changes={"waiting_period_days": 91})
    assert err.value.code == "invalid_waiting_period"
    with pytest.raises(Forbidden):
        services.settings_update(actor=maker, org=acme, changes={"deletion_enabled": True})
    assert selectors.settings_get(org=acme).pk is None


def test_life_with_approval_and_a_30_day_wait(acme, maker, checker, shopper, enable):
    enable(acme)
    customer = shopper(acme)
    raised = raise_for(maker, acme, customer, comments="asked in store")
    req = raised.request
    assert raised.created and req.status == Status.PENDING_APPROVAL and req.due_at is None
    assert Profile.objects.get(pk=customer.pk).deletion_pending is True
    with pytest.raises(Forbidden) as err:
        services.request_approve(actor=maker, org=acme, request_id=req.pk)
    assert err.value.code == "pii_approval_forbidden"
    approved_at = T0 + timedelta(days=2)
    req = services.request_approve(actor=checker, org=acme, request_id=req.pk, now=approved_at)
    assert req.status == Status.APPROVED and req.due_at == approved_at + timedelta(days=30)
    assert services.execute_due(now=approved_at + timedelta(days=29)) == {}
    assert Profile.objects.get(pk=customer.pk).email == "ann1@example.com"
    assert services.execute_due(now=approved_at + timedelta(days=30)) == {"completed": 1}
    req.refresh_from_db()
    assert req.status == Status.COMPLETED
    profile = Profile.objects.get(pk=customer.pk)
    assert (profile.email, profile.mobile, profile.first_name, profile.last_name) == (None, None, None, None)
    assert profile.properties == {"shoeSize": 38, "GDPRProfileP13nConsentGranted": False, "receiveEmail": "no"}
    assert profile.deleted_at == approved_at + timedelta(days=30) and profile.deletion_pending is False


def test_without_approval_and_no_wait_it_runs_at_once(acme, maker, shopper, enable):
    enable(acme, approval_required=False, waiting_period_days=0)
    customer = shopper(acme)
    req = raise_for(maker, acme, customer).request
    assert req.status == Status.APPROVED and req.due_at == T0
    tasks.execute_deletion.call_local(req.pk)
    req.refresh_from_db()
    assert req.status == Status.COMPLETED


def test_nobody_approves_their_own_request_not_even_an_administrator(acme, acme_admin, shopper, enable):
    enable(acme)
    req = raise_for(acme_admin, acme, shopper(acme)).request
    with pytest.raises(Forbidden) as err:
        services.request_approve(actor=acme_admin, org=acme, request_id=req.pk)
    assert err.value.code == "own_request"
    req.refresh_from_db()
    assert req.status == Status.PENDING_APPROVAL


def test_one_open_request_per_customer(acme, maker, acme_admin, shopper, enable):
    enable(acme)
    customer = shopper(acme)
    first = raise_for(maker, acme, customer).request
    again = services.request_raise(actor=acme_admin, org=acme, source="ADMIN_API", identifier_type="email",
                                   identifier_value="ANN1@example.com")
    assert not again.created and again.request.pk == first.pk
    assert again.warnings[0]["code"] == "request_exists"
    assert DeletionRequest.objects.count() == 1


def test_reject_needs_a_reason_and_cancel_ends_an_open_request(acme, maker, checker, shopper, enable):
    enable(acme)
    customer = shopper(acme)
    req = raise_for(maker, acme, customer).request
    with pytest.raises(InvalidInput) as err:
        services.request_reject(actor=checker, org=acme, request_id=req.pk, reason=" ")
    assert err.value.code == "reason_required"
    req = services.request_reject(actor=checker, org=acme, request_id=req.pk, reason="customer withdrew")
    assert req.status == Status.REJECTED and req.reason == "customer withdrew"
    assert Profile.objects.get(pk=customer.pk).deletion_pending is False
    second = raise_for(maker, acme, customer).request
    assert second.pk != req.pk
    cancelled = services.request_cancel(actor=maker, org=acme, request_id=second.pk)
    assert cancelled.status == Status.CANCELLED
    with pytest.raises(Conflict) as err:
        services.request_cancel(actor=maker, org=acme, request_id=second.pk)
    assert err.value.code == "invalid_transition"


def test_unknown_and_other_orgs_customers_answer_the_same(acme, globex, maker, shopper, enable):
    enable(acme)
    enable(globex)
    theirs = shopper(globex, 7)
    codes = []
    for kwargs in ({"customer_id": theirs.pk}, {"customer_id": 999999},
                   {"identifier_type": "email", "identifier_value": "ann7@example.com"},
                   {"identifier_type": "mobile", "identifier_value": "+491700000999"}):
        with pytest.raises(InvalidInput) as err:
            services.request_raise(actor=maker, org=acme, source="PAGE", **kwargs)
        codes.append((err.value.code, err.value.status))
    assert codes == [("customer_not_found", 400)] * 4


def test_execution_redacts_history_forgets_identifiers_and_is_idempotent(acme, maker, checker, shopper, enable):
    enable(acme, waiting_period_days=0)
    customer = shopper(acme)
    profile_services.profile_update(actor=None, profile=customer, values={"lastName": "Lee-Smith", "shoeSize": 39})
    req = raise_for(maker, acme, customer).request
    services.request_approve(actor=checker, org=acme, request_id=req.pk, now=T0)
    assert services.request_execute(request_id=req.pk, now=T0) == "completed"
    history = list(profile_selectors.profile_history(org=acme, profile=customer).order_by("id"))
    assert [e.action for e in history] == ["profile.create", "profile.update", "profile.erase"]
    assert history[0].after["email"] == "(erased)" and history[0].after["nickname"] == "(erased)"
    assert history[0].after["shoeSize"] == 38
    assert history[1].before == {"lastName": "(erased)", "shoeSize": 38}
    assert "ann1@example.com" not in str(list(AuditEvent.objects.values_list("before", "after", "target_repr")))
    assert history[2].after["erased"] == ["dateOfBirth", "email", "firstName", "gender", "lastName", "mobile",
                                          "nickname"]
    assert list(profile_selectors.profile_list(org=acme, email="ann1@example.com")) == []
    assert list(profile_selectors.profile_list(org=acme, mobile="+491700000001")) == []
    assert list(profile_selectors.profile_list(org=acme, q="ann")) == []
    events = AuditEvent.objects.count()
    assert services.request_execute(request_id=req.pk, now=T0 + timedelta(days=1)) == "skipped"
    assert profile_services.profile_erase(profile_id=customer.pk, now=T0) is None
    assert AuditEvent.objects.count() == events
    with pytest.raises(InvalidInput) as err:
        raise_for(maker, acme, customer)
    assert err.value.code == "customer_deleted"


@pytest.mark.django_db(transaction=True)
def test_the_open_request_constraint_holds_in_the_database(acme, maker, shopper, enable):
    from django.db import IntegrityError, transaction

    enable(acme)
    customer = shopper(acme)
    raise_for(maker, acme, customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeletionRequest.objects.create(org=acme, customer=customer, status=Status.APPROVED, source="PAGE",
                                       raised_by_key="user:0", created_at=T0)


def test_execution_fails_with_its_reason_is_retried_and_completes_once_possible(acme, acme_admin, maker, checker,
                                                                                shopper, enable):
    enable(acme, waiting_period_days=0)
    customer = shopper(acme)
    req = raise_for(maker, acme, customer).request
    services.request_approve(actor=checker, org=acme, request_id=req.pk, now=T0)
    # Switched off after approval: the execution refuses to erase, for a reason the request keeps.
    services.settings_update(actor=acme_admin, org=acme, changes={"deletion_enabled": False})
    assert services.execute_due(now=T0) == {"failed": 1}
    req.refresh_from_db()
    assert req.status == Status.FAILED and req.attempts == 1
    assert req.failure_reason == "deletion_disabled: PII deletion is switched off for the organization."
    profile = Profile.objects.get(pk=customer.pk)
    assert profile.email == "ann1@example.com" and profile.deleted_at is None and profile.deletion_pending
    # The periodic task retries it until MAX_ATTEMPTS.
    for minute in range(1, services.MAX_ATTEMPTS):
        assert services.execute_due(now=T0 + timedelta(minutes=minute)) == {"failed": 1}
    assert services.execute_due(now=T0 + timedelta(hours=1)) == {}  # given up: waits for a person
    req.refresh_from_db()
    assert (req.status, req.attempts) == (Status.FAILED, services.MAX_ATTEMPTS)
    with pytest.raises(Forbidden):
        services.request_retry(actor=maker, org=acme, request_id=req.pk)
    services.settings_update(actor=acme_admin, org=acme, changes={"deletion_enabled": True})
    # FAILED stays open: raising another request returns it.
    again = services.request_raise(actor=maker, org=acme, source="PAGE", customer_id=customer.pk)
    assert not again.created and again.request.pk == req.pk
    retried = services.request_retry(actor=checker, org=acme, request_id=req.pk, now=T0 + timedelta(hours=2))
    assert (retried.status, retried.attempts, retried.due_at) == (Status.APPROVED, 0, T0 + timedelta(hours=2))
    assert services.execute_due(now=T0 + timedelta(hours=2)) == {"completed": 1}
    req.refresh_from_db()
    assert (req.status, req.failure_reason, req.attempts) == (Status.COMPLETED, "", 1)
    assert Profile.objects.get(pk=customer.pk).email is None
    actions = [e.action for e in selectors.request_history(org=acme, request=req)]
    assert actions == ["deletion_request.create", "deletion_request.approved"] + ["deletion_request.failed"] * 5 + [
        "deletion_request.retry", "deletion_request.completed"]
    with pytest.raises(Conflict):
        services.request_retry(actor=checker, org=acme, request_id=req.pk)


def test_exports_and_the_search_forget_a_deleted_customer(acme, acme_admin, maker, checker, shopper, enable):
    from accessadmin import registry

    enable(acme, waiting_period_days=0)
    customer = shopper(acme)
    before = "".join(profile_services.profile_export(actor=acme_admin, org=acme))
    assert "ann1@example.com" in before and "+491700000001" in before and "annie" in before
    assert [h for _, hits in registry.search(actor=acme_admin, org=acme, query="ann1@example.com")
            for h in hits] != []
    req = raise_for(maker, acme, customer).request
    services.request_approve(actor=checker, org=acme, request_id=req.pk, now=T0)
    assert services.request_execute(request_id=req.pk, now=T0) == "completed"
    after = "".join(profile_services.profile_export(actor=acme_admin, org=acme))
    row = next(line for line in after.splitlines() if line.startswith(f"{customer.pk},"))
    assert "ann1@example.com" not in after and "+491700000001" not in after and "annie" not in after
    assert "Lee" not in row and "38" in row  # the non-personal shoe size stays
    for query in ("ann1@example.com", "+491700000001", "491700000001", "Ann"):
        assert [h for _, hits in registry.search(actor=acme_admin, org=acme, query=query) for h in hits] == [], query
    events = AuditEvent.objects.filter(target_type="shopperdata.profile", target_id=str(customer.pk))
    assert "ann1@example.com" not in str(list(events.values_list("before", "after")))


def test_executing_due_requests_takes_the_same_queries_per_request(acme, maker, shopper, enable):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enable(acme, waiting_period_days=0, approval_required=False)

    def queries_for(first: int, n: int) -> int:
        for i in range(first, first + n):
            raise_for(maker, acme, shopper(acme, i))
        with CaptureQueriesContext(connection) as ctx:
            assert services.execute_due(now=T0 + timedelta(days=1)) == {"completed": n}
        return len(ctx.captured_queries)

    # The list of due ids and the org's settings once, then 13 per request (4 of them savepoints here: the
    # test runs in a transaction): lock the request, lock the profile with its org, the PII property ids,
    # erase, read and redact the profile's history, audit the erasure, complete the request, audit it.
    per_request = 13 + (connection.vendor == "postgresql")  # SET LOCAL lock_timeout
    assert queries_for(1, 2) == 2 + 2 * per_request
    assert queries_for(3, 6) == 2 + 6 * per_request


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_profile_locked_by_another_change_fails_the_execution_which_a_later_run_completes(
        acme, maker, checker, shopper, enable, settings, monkeypatch):
    import threading

    from django.db import connection, transaction

    monkeypatch.setattr(services, "LOCK_TIMEOUT_MS", 300)
    enable(acme, waiting_period_days=0)
    customer = shopper(acme)
    req = raise_for(maker, acme, customer).request
    services.request_approve(actor=checker, org=acme, request_id=req.pk, now=T0)
    locked, release = threading.Event(), threading.Event()

    def hold_the_profile():  # another change of the profile, on a connection of its own, that takes its time
        try:
            with transaction.atomic():
                Profile.objects.select_for_update().get(pk=customer.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_profile)
    holder.start()
    assert locked.wait(10)
    try:
        assert services.execute_due(now=T0) == {"failed": 1}
    finally:
        release.set()
        holder.join()
    req.refresh_from_db()
    assert req.status == Status.FAILED and req.failure_reason.startswith("profile_locked: ")
    assert Profile.objects.get(pk=customer.pk).email == "ann1@example.com"  # nothing half erased
    assert services.execute_due(now=T0 + timedelta(minutes=1)) == {"completed": 1}
    req.refresh_from_db()
    assert (req.status, req.attempts, req.failure_reason) == (Status.COMPLETED, 2, "")
