"""The Connect+ template `pii-deletion`: files deletion requests from CSV files on an SFTP server.

Each file (`identifierType,identifierValue,comments`, optionally PGP-encrypted) is read as a stream,
its rows are filed through the bulk service (bulk.Filing) BATCH rows at a time, and a results CSV
(`row,requestId,result`: the request id, or the error code, per row) is written back to the
destination, `<name>.results.csv`. Memory stays that of one batch whatever the file's size. The
requests are raised by the dataflow (`connect:<id>`), with the source CONNECT; the audit names the
Connect+ task and whoever started the run.

A file is processed once (Connect+ remembers delivered files). Should a run be interrupted after
some rows were filed, the next run files the file again: its rows then answer `request_exists`.
"""

import codecs
import posixpath
from collections.abc import AsyncIterator

from accessadmin.errors import AppError
from accessadmin.models import Org
from connect.flow_templates import SFTP_TO_SFTP, FileProcessor, FileRejected, FlowTemplate

from . import services
from .bulk import BATCH, RESULT_COLUMNS, Filing
from .errors import Code
from .models import Source

TEMPLATE_ID = "pii-deletion"
RESULTS_SUFFIX = ".results.csv"


def results_name(name: str) -> str:
    """Returns `requests.results.csv` for `requests.csv` (and for `requests`)."""
    head, base = posixpath.split(name)
    stem = base[:-4] if base.lower().endswith(".csv") and len(base) > 4 else base
    return posixpath.join(head, stem + RESULTS_SUFFIX) if head else stem + RESULTS_SUFFIX


def _open(context: dict) -> Filing:
    """Runs on the database thread: the filing of one file, raised by the dataflow."""
    org = Org.objects.get(pk=context["org_id"])
    who = services.Principal(key=f"connect:{context['dataflow_id']}",
                             label=f"Connect+ {context.get('dataflow_name', context['dataflow_id'])}"[:200])
    return Filing(actor=who, org=org, source=Source.CONNECT)


def _file(filing: Filing, lines: list[str]) -> str:
    """Runs on the database thread: files whole CSV records and returns their results' CSV lines."""
    return "".join(result.csv_line() for result in filing.feed(lines))


async def process(chunks: AsyncIterator[bytes], *, call, context: dict) -> AsyncIterator[bytes]:
    """Yields the results CSV of the request file read from `chunks` (see the module's docstring)."""
    filing = await call(_open, context)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    pending, batch, quotes, started = "", [], 0, False

    async def flush():
        nonlocal batch, quotes, started
        try:
            text = await call(_file, filing, batch)
        except AppError as err:  # a bad header (rows answer their own errors): nothing filed, nothing delivered
            raise FileRejected(err.code, err.message) from None
        batch, quotes = [], 0
        if not started:
            started = True
            text = ",".join(RESULT_COLUMNS) + "\n" + text
        return text.encode()

    async for chunk in chunks:
        pending += decoder.decode(chunk)
        if "\n" not in pending:
            continue
        complete, _, pending = pending.rpartition("\n")
        for line in complete.split("\n"):
            batch.append(line + "\n")
            quotes += line.count('"')
            # Cut between records only: an odd number of quotes means a quoted field goes on.
            if len(batch) >= BATCH and quotes % 2 == 0:
                yield await flush()
    pending += decoder.decode(b"", final=True)
    if pending:
        batch.append(pending)
    if batch or not started:
        if not batch and not filing.header_seen:
            raise FileRejected(Code.INVALID_CSV, "The file is empty.")
        yield await flush()


TEMPLATE = FlowTemplate(
    id=TEMPLATE_ID,
    name="PII deletion requests",
    description="Reads CSV files of deletion requests (identifierType,identifierValue,comments; optionally "
                "PGP-encrypted) from an SFTP location, files one request per row, and writes a results CSV "
                "(row,requestId,result) to another SFTP location, each file once.",
    sections=SFTP_TO_SFTP.sections,
    processor=FileProcessor(process=process, output_name=results_name),
)
