"""Reads of Connect+, scoped to what the actor may see (policies.visible): another org's object is
NotFound, exactly like a missing one."""

from django.db.models import Prefetch, QuerySet

from accessadmin.errors import NotFound

from . import policies
from .models import Dataflow, DataflowRun, PgpKey, RunFile, SftpConnection


def _get(queryset: QuerySet, what: str, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise NotFound(f"{what} not found.") from None


def connection_list(*, actor, org) -> QuerySet:
    """Returns the org's SFTP connections, by name."""
    return policies.visible(SftpConnection.objects.all(), actor=actor, org=org)


def connection_get(*, actor, org, connection_id) -> SftpConnection:
    return _get(connection_list(actor=actor, org=org), "Connection", connection_id)


def pgp_key_list(*, actor, org) -> QuerySet:
    """Returns the org's PGP keys, by name."""
    return policies.visible(PgpKey.objects.all(), actor=actor, org=org)


def pgp_key_get(*, actor, org, key_id) -> PgpKey:
    return _get(pgp_key_list(actor=actor, org=org), "PGP key", key_id)


def dataflow_list(*, actor, org) -> QuerySet:
    """Returns the org's dataflows with their connections and keys (one query)."""
    return policies.visible(Dataflow.objects.all(), actor=actor, org=org).select_related(
        "source_connection", "destination_connection", "decrypt_key", "encrypt_key")


def dataflow_get(*, actor, org, dataflow_id) -> Dataflow:
    return _get(dataflow_list(actor=actor, org=org), "Dataflow", dataflow_id)


def run_list(*, actor, org, dataflow_id=None) -> QuerySet:
    """Returns the org's runs, newest first (of one dataflow when `dataflow_id` is given)."""
    runs = policies.visible(DataflowRun.objects.all(), actor=actor, org=org, field="dataflow__org")
    if dataflow_id is not None:
        runs = runs.filter(dataflow_id=dataflow_id)
    return runs.select_related("dataflow", "started_by")


def run_get(*, actor, org, run_id) -> DataflowRun:
    """Returns one run with its files (prefetched, in order)."""
    runs = run_list(actor=actor, org=org).prefetch_related(Prefetch("files", queryset=RunFile.objects.order_by("id")))
    return _get(runs, "Run", run_id)
