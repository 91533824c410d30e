"""The dataflow templates and their field schemas (served by /api/v1/connect/templates/).

A template says which fields a dataflow of its kind has; pages build their form
from it and services validate against it. `sftp-to-sftp` is the generic file
mover; other templates (PII deletion from CSV files on SFTP) register here too.
"""

from dataclasses import asdict, dataclass, field

from .models import AfterSuccess, OnConflict


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | boolean | regex | cron | connection | pgp_key | choice | path | object
    label: str
    required: bool = False
    default: object = None
    nullable: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    fields: tuple["Field", ...] = ()


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    description: str
    fields: tuple[Field, ...] = field(default=())

    def schema(self) -> dict:
        return {"key": self.key, "name": self.name, "description": self.description,
                "fields": [_field_schema(f) for f in self.fields]}


def _field_schema(f: Field) -> dict:
    data = {k: v for k, v in asdict(f).items() if k not in ("fields", "choices")}
    if f.choices:
        data["choices"] = list(f.choices)
    if f.fields:
        data["fields"] = [_field_schema(sub) for sub in f.fields]
    return data


SFTP_TO_SFTP = Template(
    key="sftp-to-sftp",
    name="SFTP to SFTP",
    description="Picks files from one SFTP location, optionally decrypts them (a private PGP key), "
                "optionally encrypts them (a public PGP key), and delivers them to another SFTP location.",
    fields=(
        Field("name", "string", "Name", required=True),
        Field("source", "object", "Source", required=True, fields=(
            Field("connection", "connection", "Connection", required=True),
            Field("path", "path", "Directory", default="", help="Relative to the connection's base path."),
            Field("pattern", "regex", "File name pattern", default=".*",
                  help="A regular expression matched against the whole file name."),
            Field("recursive", "boolean", "Include subdirectories", default=False),
        )),
        Field("destination", "object", "Destination", required=True, fields=(
            Field("connection", "connection", "Connection", required=True),
            Field("path", "path", "Directory", default=""),
            Field("create_directory", "boolean", "Create the directory if missing", default=False),
            Field("on_conflict", "choice", "When the file exists", default=OnConflict.FAIL.value,
                  choices=tuple(OnConflict.values)),
        )),
        Field("decrypt", "object", "Decrypt", nullable=True, default=None,
              help="Decrypts each file with a private key; .pgp/.gpg/.asc is removed from the name.", fields=(
                  Field("key", "pgp_key", "Private key", required=True),
              )),
        Field("encrypt", "object", "Encrypt", nullable=True, default=None,
              help="Encrypts each file to a public key; .pgp is added to the name.", fields=(
                  Field("key", "pgp_key", "Public key", required=True),
                  Field("armor", "boolean", "ASCII armor", default=False),
                  Field("compress", "boolean", "Compress", default=True,
                        help="Turn off for data that is already compressed or encrypted (zip, gz, jpg): "
                             "compressing it makes encryption about 8x slower and saves nothing."),
              )),
        Field("after_success", "choice", "After delivery", default=AfterSuccess.KEEP.value,
              choices=tuple(AfterSuccess.values)),
        Field("archive_path", "path", "Archive directory", default="",
              help="Where delivered source files are moved when After delivery is archive."),
        Field("schedule", "cron", "Schedule", nullable=True, default=None,
              help="A cron expression in UTC, e.g. */15 * * * *; empty for manual runs only."),
        Field("active", "boolean", "Active", default=True),
        Field("stable_seconds", "integer", "Wait until unchanged for (seconds)", default=30,
              help="A file changed more recently is left for the next run."),
    ),
)

_templates: dict[str, Template] = {}


def register(template: Template) -> None:
    _templates[template.key] = template


def get(key: str) -> Template | None:
    return _templates.get(key)


def all_templates() -> list[Template]:
    return sorted(_templates.values(), key=lambda t: t.key)


register(SFTP_TO_SFTP)
