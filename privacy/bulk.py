"""Filing deletion requests from a CSV file (bulk upload page, Admin API, the Connect+ template).

Columns `identifierType,identifierValue,comments`. The file is read line by line and answered per
row (the request id, or the error code); each row is filed in a transaction of its own, so a bad row
creates nothing and good rows are filed whatever their neighbours.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from accessadmin.errors import AppError, InvalidInput

from . import services
from .errors import Code

MAX_ROWS = 100_000
COLUMNS = ["identifierType", "identifierValue", "comments"]
TEMPLATE = "identifierType,identifierValue,comments\nmobile,+4917000000001,Asked by phone\n"


@dataclass
class BulkResult:
    rows: list = field(default_factory=list)  # (row number, request id or None, code or None)
    filed: int = 0
    failed: int = 0

    def payload(self) -> dict:
        return {"rows": [{"row": n, "request_id": rid, "code": code} for n, rid, code in self.rows],
                "total": len(self.rows), "filed": self.filed, "failed": self.failed}

    def csv_lines(self) -> Iterator[str]:
        yield "row,requestId,result\n"
        for n, rid, code in self.rows:
            yield f"{n},{rid if rid is not None else ''},{code or 'FILED'}\n"


def text_lines(upload) -> Iterator[str]:
    """Returns the lines of an uploaded file decoded as UTF-8 (a BOM is dropped), read chunk by chunk."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    pending = ""
    for chunk in upload.chunks():
        pending += decoder.decode(chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def file_requests(*, actor, org, lines: Iterable[str], source: str) -> BulkResult:
    """Returns the per-row result of filing one request per CSV row of `lines` (the header first).

    A header other than COLUMNS is InvalidInput invalid_csv (nothing filed). Rows past MAX_ROWS are
    answered too_many_rows and not filed.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != COLUMNS:
        raise InvalidInput(f"The file must start with the header {','.join(COLUMNS)}.", code=Code.INVALID_CSV)
    result = BulkResult()
    for number, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if number > MAX_ROWS:
            result.rows.append((number, None, Code.TOO_MANY_ROWS.value))
            result.failed += 1
            continue
        if len(row) not in (2, 3):
            result.rows.append((number, None, Code.INVALID_CSV.value))
            result.failed += 1
            continue
        identifier_type, identifier_value, comments = (*row, "")[:3]
        try:
            with transaction.atomic():
                raised = services.request_raise(actor=actor, org=org, source=source,
                                                identifier_type=identifier_type.strip(),
                                                identifier_value=identifier_value.strip(), comments=comments)
        except AppError as err:
            result.rows.append((number, None, str(err.code)))
            result.failed += 1
            continue
        result.rows.append((number, raised.request.pk, None if raised.created else "request_exists"))
        result.filed += 1 if raised.created else 0
    return result


def lines_of_bytes(data: bytes) -> Iterator[str]:
    """Returns the lines of a small in-memory file (tests, Connect+ after decryption)."""
    return iter(io.StringIO(data.decode("utf-8-sig")))
