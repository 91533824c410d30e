"""The split of the old stores app (loyalty and enforcement models moved out) keeps every row.

A database at the schema the project had before the split is populated through the historical models,
migrated to the latest schema, and read back through today's models — on SQLite and on PostgreSQL
(this test is not marked `postgres`, so it runs on both). Content types keep their ids, so permissions
and admin log entries that point at a moved model stay valid; unapplying the split renames them back.
"""

from decimal import Decimal

import pytest
from django.apps import apps as current_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The schema before the split: stores still held the loyalty and enforcement models; the apps that
# took them over did not exist yet. Every other app stays at its latest migration.
STORES_BEFORE_SPLIT = ("stores", "0003_enforcement_state")
NEW_APPS = ("loyalty", "enforcement")
MOVED = {"loyalty": ["transaction", "pointsaccount", "pointsentry", "behavioraleventdefinition", "behavioralevent"],
         "enforcement": ["usagerecord", "enforcementstate"]}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _before_split(executor) -> list:
    """Returns the graph's leaf nodes with stores before the split and without the apps it made."""
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in (*NEW_APPS, "stores")]
    return [*leaves, STORES_BEFORE_SPLIT]


@pytest.mark.django_db(transaction=True)
def test_moving_models_out_of_stores_keeps_every_row_and_content_type():
    executor = MigrationExecutor(connection)
    before = _before_split(executor)
    executor = _migrate([*before, *((app, None) for app in NEW_APPS)])
    old = executor.loader.project_state(before).apps
    with pytest.raises(LookupError):
        old.get_model("loyalty", "Transaction")

    Org = old.get_model("accessadmin", "Org")
    AccessGroup = old.get_model("groups", "AccessGroup")
    OldContentType = old.get_model("contenttypes", "ContentType")
    model = {name: old.get_model("stores", name) for name in (
        "Store", "Till", "ApiClient", "Transaction", "PointsAccount", "PointsEntry", "BehavioralEventDefinition",
        "BehavioralEvent", "UsageRecord", "EnforcementState")}

    org = Org.objects.create(code="split", name="Split Org")
    pos = AccessGroup.objects.get(org__isnull=True, name="POS")
    store = model["Store"].objects.create(org=org, code="split-s1", name="Split store", city="Oslo")
    till = model["Till"].objects.create(org=org, store=store, code="split-s1-t1", secret_hash="x")
    client = model["ApiClient"].objects.create(org=org, name="ERP", client_id="split-client", access_group=pos)
    txn = model["Transaction"].objects.create(org=org, customer_id=7, bill_number="B-1", amount=Decimal("12.50"),
                                              points=12, store=store, till=till)
    account = model["PointsAccount"].objects.create(org=org, customer_id=7, balance=12)
    entry = model["PointsEntry"].objects.create(org=org, customer_id=7, kind="earn", points=12, balance_after=12,
                                                transaction=txn, till=till)
    definition = model["BehavioralEventDefinition"].objects.create(org=org, name="visit", attributes=["channel"])
    event = model["BehavioralEvent"].objects.create(org=org, definition=definition, customer_id=7,
                                                    attributes={"channel": "web"}, api_client=client)
    usage = model["UsageRecord"].objects.create(org=org, caller_kind="till", caller=till.code, store_code=store.code,
                                                resource="points", api="data", method="GET", outcome="allowed",
                                                access_group="POS", day=timezone.now().date(), count=3,
                                                last_seen_at=timezone.now())
    state = model["EnforcementState"].objects.update_or_create(pk=1, defaults={"catalogue_version": "v-split"})[0]
    # Content types of the moved models as they were (made by post_migrate, or here on a fresh database),
    # with what points at them: a permission and an admin log entry.
    old_types = {name: OldContentType.objects.get_or_create(app_label="stores", model=name)[0].pk
                 for names in MOVED.values() for name in names}
    Permission = current_apps.get_model("auth", "Permission")
    LogEntry = current_apps.get_model("admin", "LogEntry")
    permission = Permission.objects.create(content_type_id=old_types["transaction"], codename="audit_transaction",
                                           name="Can audit transactions")
    staff = old.get_model("accessadmin", "User").objects.create(username="split-staff", is_staff=True)
    log = LogEntry.objects.create(content_type_id=old_types["usagerecord"], object_id=str(usage.pk),
                                  object_repr="usage", action_flag=2, change_message="[]",
                                  action_time=timezone.now(), user_id=staff.pk)

    _migrate(executor.loader.graph.leaf_nodes())

    Transaction = current_apps.get_model("loyalty", "Transaction")
    got = Transaction.objects.get(pk=txn.pk)
    assert (got.org_id, got.customer_id, got.bill_number, got.amount, got.points, got.store_id, got.till_id) == \
        (org.pk, 7, "B-1", Decimal("12.50"), 12, store.pk, till.pk)
    assert current_apps.get_model("loyalty", "PointsAccount").objects.get(pk=account.pk).balance == 12
    got_entry = current_apps.get_model("loyalty", "PointsEntry").objects.get(pk=entry.pk)
    assert (got_entry.kind, got_entry.points, got_entry.transaction_id, got_entry.till_id) == ("earn", 12, txn.pk,
                                                                                                till.pk)
    got_definition = current_apps.get_model("loyalty", "BehavioralEventDefinition").objects.get(pk=definition.pk)
    assert (got_definition.name, got_definition.attributes) == ("visit", ["channel"])
    got_event = current_apps.get_model("loyalty", "BehavioralEvent").objects.get(pk=event.pk)
    assert (got_event.definition_id, got_event.attributes, got_event.api_client_id) == (definition.pk,
                                                                                        {"channel": "web"}, client.pk)
    got_usage = current_apps.get_model("enforcement", "UsageRecord").objects.get(pk=usage.pk)
    assert (got_usage.caller, got_usage.count, got_usage.outcome) == (till.code, 3, "allowed")
    assert current_apps.get_model("enforcement", "EnforcementState").objects.get(pk=state.pk).catalogue_version \
        == "v-split"
    assert current_apps.get_model("stores", "Till").objects.get(pk=till.pk).store_id == store.pk

    # Every moved model's content type kept its id under its new app; what pointed at it still does.
    for app_label, names in MOVED.items():
        for name in names:
            moved = ContentType.objects.get(app_label=app_label, model=name)
            assert moved.pk == old_types[name]
            assert moved.model_class() is current_apps.get_model(app_label, name)
            assert not ContentType.objects.filter(app_label="stores", model=name).exists()
    permission.refresh_from_db()
    assert permission.content_type.app_label == "loyalty"
    log.refresh_from_db()
    assert log.content_type.app_label == "enforcement"
    assert log.get_edited_object().pk == usage.pk
