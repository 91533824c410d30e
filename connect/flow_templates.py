"""Dataflow templates and their field schemas.

A template names the fields a dataflow of its kind has, grouped in sections. The
API lists them (`/api/v1/connect/templates/`) and the pages build a dataflow's form
from them, so a new template needs no new page. A section with `nullable` may be
left out entirely (a dataflow without decryption sends `"decrypt": null`); the
fields of the section named "" sit at the top level of a dataflow.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field

from .models import AfterSuccess, OnConflict

# Field types: how a page shows the field and what the API accepts.
STRING = "string"        # free text
PATH = "path"            # a directory on the SFTP server, relative to the connection's base path
REGEX = "regex"          # a regular expression
BOOLEAN = "boolean"
CHOICE = "choice"        # one of `choices`
CONNECTION = "connection"  # the id of one of the org's SFTP connections
PGP_KEY = "pgp_key"      # the id of one of the org's PGP keys (`key_use`: what it must be able to do)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool = False
    default: object = None
    choices: tuple = ()
    help: str = ""
    key_use: str = ""

    def payload(self) -> dict:
        body = asdict(self)
        body["choices"] = [{"value": v, "label": label} for v, label in self.choices]
        if self.type != PGP_KEY:
            body.pop("key_use")
        return body


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    fields: tuple[Field, ...]
    nullable: bool = False
    help: str = ""

    def payload(self) -> dict:
        return {"name": self.name, "label": self.label, "nullable": self.nullable, "help": self.help,
                "fields": [f.payload() for f in self.fields]}


class FileRejected(Exception):
    """A processor refuses a file's content: the file fails with `code` and `detail`, and is not retried."""

    retryable = False

    def __init__(self, code: str, detail: str):
        self.code, self.detail = str(code), detail
        super().__init__(f"{code}: {detail}")


@dataclass(frozen=True)
class FileProcessor:
    """What a template of another app does with each file instead of delivering it as it is.

    `process(chunks, *, call, context)` is an async generator: it reads the source file's bytes
    (decrypted when the dataflow decrypts) and yields the bytes to deliver (encrypted after, when the
    dataflow encrypts). It runs on the engine's event loop and reaches the database only through
    `await call(fn, *args)`, which runs `fn` on the run's database thread. `context` holds the
    dataflow's `org_id`, `dataflow_id` and `dataflow_name`. It raises FileRejected for a file it
    refuses. `output_name(name)` names the delivered file after the source file's (decrypted) name.
    """

    process: Callable[..., AsyncIterator[bytes]]
    output_name: Callable[[str], str]


@dataclass(frozen=True)
class FlowTemplate:
    id: str
    name: str
    description: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    processor: FileProcessor | None = None  # None: files are delivered as they are (sftp-to-sftp)

    def payload(self) -> dict:
        return {"id": self.id, "name": self.name, "description": self.description,
                "sections": [s.payload() for s in self.sections]}

    def section(self, name: str) -> Section:
        return next(s for s in self.sections if s.name == name)


SFTP_TO_SFTP = FlowTemplate(
    id="sftp-to-sftp",
    name="SFTP to SFTP",
    description="Picks files from one SFTP location, optionally decrypts and encrypts them with PGP, "
                "and delivers them to another SFTP location, each file once.",
    sections=(
        Section("source", "Source", (
            Field("connection", "Connection", CONNECTION, required=True),
            Field("path", "Directory", PATH, default="", help="Relative to the connection's base path."),
            Field("pattern", "File name pattern", REGEX, default=".*",
                  help="A regular expression matched against the whole file name, e.g. export_.*\\.csv"),
            Field("recursive", "Include subdirectories", BOOLEAN, default=False),
        )),
        Section("destination", "Destination", (
            Field("connection", "Connection", CONNECTION, required=True),
            Field("path", "Directory", PATH, default="", help="Relative to the connection's base path."),
            Field("create_directory", "Create the directory when missing", BOOLEAN, default=False),
            Field("on_conflict", "When a file of that name exists", CHOICE, default=OnConflict.FAIL.value,
                  choices=tuple(OnConflict.choices)),
        )),
        Section("decrypt", "Decrypt", (
            Field("key", "Private key", PGP_KEY, required=True, key_use="decrypt"),
        ), nullable=True, help="Decrypts each file first (.pgp, .gpg and .asc are removed from the name)."),
        Section("encrypt", "Encrypt", (
            Field("key", "Public key", PGP_KEY, required=True, key_use="encrypt"),
            Field("armor", "ASCII armor", BOOLEAN, default=False),
            Field("compress", "Compress before encrypting", BOOLEAN, default=True,
                  help="Turn off for data that is already compressed (zip, gz, images): "
                       "compression then only costs time."),
        ), nullable=True, help="Encrypts each file to the recipient's public key (.pgp is added to the name)."),
        Section("", "After delivery", (
            Field("after_success", "Source file after delivery", CHOICE, default=AfterSuccess.KEEP.value,
                  choices=tuple(AfterSuccess.choices)),
            Field("archive_path", "Archive directory", PATH, default="",
                  help="Where delivered files are moved when they are archived."),
        )),
    ),
)

TEMPLATES = {t.id: t for t in (SFTP_TO_SFTP,)}


def template_list() -> list[FlowTemplate]:
    return list(TEMPLATES.values())


def template_get(template_id: str) -> FlowTemplate | None:
    return TEMPLATES.get(template_id)


def register(template: FlowTemplate) -> None:
    """Adds a template of another app (called from its AppConfig.ready())."""
    TEMPLATES[template.id] = template
