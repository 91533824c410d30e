"""Reads of Connect+, scoped to what the actor may see (policies.visible): another org's object is
NotFound, exactly like a missing one."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from accessadmin.errors import NotFound

from . import policies
from .models import Dataflow, DataflowRun, PgpKey, RunFile, SftpConnection

MAX_ID = 2**63 - 1  # ids beyond the column's range cannot exist (and would make the database raise)


def _get(queryset: QuerySet, what: str, pk):
    try:
        pk = int(pk)
        if not 1 <= pk <= MAX_ID:
            raise ValueError(pk)
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise NotFound(f"{what} not found.") from None


def connection_list(*, actor, org) -> QuerySet:
    """Returns the org's SFTP connections, by name."""
    return policies.visible(SftpConnection.objects.select_related("created_by", "updated_by"), actor=actor, org=org)


def connection_get(*, actor, org, connection_id) -> SftpConnection:
    return _get(connection_list(actor=actor, org=org), "Connection", connection_id)


def pgp_key_list(*, actor, org) -> QuerySet:
    """Returns the org's PGP keys, by name."""
    return policies.visible(PgpKey.objects.select_related("created_by"), actor=actor, org=org)


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


# --- what the API and pages show: search, each dataflow's latest run, runs with their files -------------------

def search(queryset: QuerySet, text: str, *fields: str) -> QuerySet:
    """Returns the rows of `queryset` with `text` in one of `fields` (all rows for no text)."""
    text = (text or "").strip()
    if not text:
        return queryset
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": text})
    return queryset.filter(q)


def _latest_run(field: str) -> Subquery:
    return Subquery(DataflowRun.objects.filter(dataflow=OuterRef("pk")).order_by("-created_at", "-id")
                    .values(field)[:1])


def dataflow_overview(*, actor, org) -> QuerySet:
    """Returns dataflow_list() with who made and changed each, and the id, status and time of its latest
    run (`last_run_id`, `last_run_status`, `last_run_at`), in one query."""
    return (dataflow_list(actor=actor, org=org).select_related("created_by", "updated_by")
            .annotate(last_run_id=_latest_run("id"), last_run_status=_latest_run("status"),
                      last_run_at=_latest_run("created_at")))


def dataflow_runs(*, actor, org, dataflow: Dataflow) -> QuerySet:
    """Returns the runs of `dataflow`, newest first, with their files (one more query per page)."""
    return (run_list(actor=actor, org=org, dataflow_id=dataflow.pk)
            .prefetch_related(Prefetch("files", queryset=RunFile.objects.order_by("id"))))


def dataflows_using_connection(connection: SftpConnection) -> QuerySet:
    return Dataflow.objects.filter(Q(source_connection=connection) | Q(destination_connection=connection))


def dataflows_using_key(key: PgpKey) -> QuerySet:
    return Dataflow.objects.filter(Q(decrypt_key=key) | Q(encrypt_key=key))


def dataflow_overview_get(*, actor, org, dataflow_id) -> Dataflow:
    return _get(dataflow_overview(actor=actor, org=org), "Dataflow", dataflow_id)
