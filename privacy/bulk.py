"""Filing deletion requests from a CSV file (bulk upload page, Admin API, the Connect+ template).

Columns `identifierType,identifierValue,comments`. The file is read record by record and answered
per row (the request id, or the error code); each row is filed in a transaction of its own, so a
bad row creates nothing and good rows are filed whatever their neighbours. Nothing here keeps the
rows: a `Filing` yields each row's result as it is filed and keeps only counts, so a file of
100,000 rows takes the memory of one.
"""

import codecs
import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from accessadmin.errors import AppError, Forbidden, InvalidInput
from shopperdata import selectors as profiles

from . import policies, selectors, services
from .errors import Code
from .models import COMMENTS_MAX_LENGTH, IdentifierType

MAX_ROWS = 100_000
BATCH = 500  # rows whose customers are looked up together
COLUMNS = ["identifierType", "identifierValue", "comments"]
TEMPLATE = ("identifierType,identifierValue,comments\n"
            "mobile,+4917000000001,Asked by phone\n"
            "email,customer@example.com,Asked by email\n"
            "externalId,CRM-1234,\n")
RESULT_COLUMNS = ["row", "requestId", "result"]
REQUEST_EXISTS = "request_exists"  # a good row whose customer already had an open request (returned)
FILED = "FILED"


@dataclass(frozen=True)
class RowResult:
    row: int
    request_id: int | None
    code: str | None  # None: filed; REQUEST_EXISTS: the open request returned; else the error code

    def payload(self) -> dict:
        return {"row": self.row, "request_id": self.request_id, "code": self.code}

    def csv_line(self) -> str:
        rid = "" if self.request_id is None else self.request_id
        return f"{self.row},{rid},{self.code or FILED}\n"


class Filing:
    """Files the rows of one CSV file, fed in pieces of whole records; numbers and counts rows across pieces.

    The results never echo identifier values: a results file travels back to where the request file
    came from and should not carry personal data further.
    """

    def __init__(self, *, actor, org, source: str):
        who = services.principal(actor)
        if who.user is not None and not policies.can_raise(who.user):
            raise Forbidden("You may not request the deletion of personal data.", code=Code.DELETION_FORBIDDEN)
        self.actor, self.org, self.source = actor, org, source
        # Read once per file: switching deletion off while a file is filed takes effect with the next file.
        self.settings = selectors.settings_get(org=org)
        self.header_seen = False
        self.number = 0
        self.total = self.filed = self.existing = self.failed = 0

    def header(self, cells: list[str] | None) -> None:
        """Checks the header record; InvalidInput invalid_csv (nothing filed) when it is not COLUMNS."""
        if cells is None or [h.strip() for h in cells] != COLUMNS:
            raise InvalidInput(f"The file must start with the header {','.join(COLUMNS)}.", code=Code.INVALID_CSV,
                               fields={"file": [f"The first line must be {','.join(COLUMNS)}."]})
        self.header_seen = True

    def feed(self, lines: Iterable[str]) -> Iterator[RowResult]:
        """Yields the result of each row of `lines` (whole CSV records; the header first if not seen yet),
        filing BATCH rows at a time."""
        reader = csv.reader(lines)
        if not self.header_seen:
            self.header(next(reader, None))
        batch: list[tuple[int, list[str]]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            self.number += 1
            batch.append((self.number, cells))
            if len(batch) == BATCH:
                yield from self._batch(batch)
                batch = []
        yield from self._batch(batch)

    def _batch(self, batch: list[tuple[int, list[str]]]) -> Iterator[RowResult]:
        # One query per identifier type finds the customers of the batch; a row naming nobody is answered
        # customer_not_found at once (what request_raise would answer, without its transaction and lookup).
        # Found rows go through request_raise, which checks everything again.
        known: dict[str, dict[str, int]] = {}
        if self.settings.deletion_enabled:
            by_type: dict[str, list[str]] = {}
            for _number, cells in batch:
                if len(cells) in (2, 3) and cells[0].strip() in IdentifierType.values:
                    by_type.setdefault(cells[0].strip(), []).append(cells[1].strip())
            known = {kind: profiles.profile_ids_identify(org=self.org, identifier_type=kind, values=values)
                     for kind, values in by_type.items()}
        for number, cells in batch:
            yield self._row(number, cells, known)

    def _row(self, number: int, cells: list[str], known: dict[str, dict[str, int]]) -> RowResult:
        self.total += 1
        if number > MAX_ROWS:
            self.failed += 1
            return RowResult(number, None, Code.TOO_MANY_ROWS.value)
        if len(cells) not in (2, 3):
            self.failed += 1
            return RowResult(number, None, Code.INVALID_CSV.value)
        identifier_type, identifier_value, comments = (*cells, "")[:3]
        identifier_type, identifier_value = identifier_type.strip(), identifier_value.strip()
        if (identifier_type in known and identifier_value and identifier_value not in known[identifier_type]
                and len(comments) <= COMMENTS_MAX_LENGTH):
            self.failed += 1
            return RowResult(number, None, Code.CUSTOMER_NOT_FOUND.value)
        try:  # request_raise is atomic: a row in error rolls back alone
            raised = services.request_raise(actor=self.actor, org=self.org, source=self.source,
                                            identifier_type=identifier_type, identifier_value=identifier_value,
                                            comments=comments, org_settings=self.settings)
        except AppError as err:
            self.failed += 1
            return RowResult(number, None, str(err.code))
        if raised.created:
            self.filed += 1
            return RowResult(number, raised.request.pk, None)
        self.existing += 1
        return RowResult(number, raised.request.pk, REQUEST_EXISTS)

    def totals(self) -> dict:
        return {"total": self.total, "filed": self.filed, "existing": self.existing, "failed": self.failed}


def start(*, actor, org, source: str, lines: Iterable[str]) -> tuple[Filing, Iterator[RowResult]]:
    """Returns the filing and the iterator of its row results; reads and checks the header now
    (InvalidInput invalid_csv before anything is filed or answered), the rows as they are consumed."""
    lines = iter(lines)
    filing = Filing(actor=actor, org=org, source=source)
    filing.header(next(csv.reader(lines), None))
    return filing, filing.feed(lines)


def json_chunks(filing: Filing, results: Iterator[RowResult]) -> Iterator[str]:
    """Yields the Admin API's JSON answer piece by piece: {"rows": [...], "total", "filed", "failed"}."""
    yield '{"rows": ['
    for i, result in enumerate(results):
        yield ("," if i else "") + json.dumps(result.payload())
    counts = filing.totals()
    yield "], " + json.dumps(counts)[1:]


def csv_chunks(filing: Filing, results: Iterator[RowResult]) -> Iterator[str]:
    """Yields the results CSV (RESULT_COLUMNS) line by line."""
    yield ",".join(RESULT_COLUMNS) + "\n"
    for result in results:
        yield result.csv_line()


def text_lines(upload) -> Iterator[str]:
    """Returns the lines of an uploaded file decoded as UTF-8 (a BOM is dropped), read chunk by chunk."""
    return decoded_lines(upload.chunks())


def decoded_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """Returns the lines (with their newline) of a stream of UTF-8 bytes; invalid bytes become U+FFFD."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        if "\n" in pending:
            *complete, pending = pending.split("\n")
            for line in complete:
                yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def records_complete(text: str) -> bool:
    """Returns whether `text` (whole lines) ends outside a quoted CSV field, so it can be parsed apart
    from what follows (a quoted field may hold newlines)."""
    return text.count('"') % 2 == 0
