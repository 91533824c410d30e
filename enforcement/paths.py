"""Mapping a request path to (resource, part) with the catalogue's path patterns.

A pattern is a path whose segments may be `*` (exactly one segment) or, last, `**` (the rest: zero or
more segments). Paths are normalised first (query string, percent-escapes, `.`/`..`, trailing slash),
so `/v2/customers/../stores` is judged as `/v2/stores`, what the upstream will serve.

The compiled catalogue is kept per process under the catalogue version token (models.EnforcementState),
which the enforcement query reads with the caller on every request. Saving or deleting a catalogue
entry replaces the token (signal below: cache invalidation is infrastructure), so every process
recompiles on its next request. Rows changed behind Django's back (raw SQL, a data migration) are seen
after a restart, or after any save through the ORM.
"""

import posixpath
import re
import threading
import uuid
from urllib.parse import unquote, urlsplit

from django.db.models.signals import post_delete, post_save

from groups.models import ApiResource

from .models import EnforcementState

_lock = threading.Lock()
_compiled: tuple[str, list] | None = None


def compile_pattern(pattern: str) -> re.Pattern:
    parts = [p for p in pattern.strip("/").split("/") if p]
    out = ""
    for i, part in enumerate(parts):
        if part == "**" and i == len(parts) - 1:
            out += "(?:/.*)?"
        elif part == "*":
            out += "/[^/]+"
        else:
            out += "/" + re.escape(part)
    return re.compile(f"^{out}$")


def normalise(uri: str) -> str:
    path = urlsplit(uri or "/").path or "/"
    path = posixpath.normpath(unquote(path))
    if not path.startswith("/"):
        path = "/" + path
    return "/" if path in ("/", "//") else path.rstrip("/")


def _table(version: str) -> list:
    global _compiled
    current = _compiled
    if current is not None and current[0] == version:
        return current[1]
    table = []
    for key, data_paths, config_paths in ApiResource.objects.order_by("position", "name").values_list(
            "key", "data_paths", "config_paths"):
        for api, patterns in (("data", data_paths), ("config", config_paths)):
            for pattern in patterns or []:
                table.append((compile_pattern(pattern), key, api, "*" in pattern))
    # An exact path wins over a wildcard of an earlier resource (/v2/customers/userEntityTrackers is User Groups,
    # though /v2/customers/* is Customer); otherwise catalogue order decides (the sort is stable).
    table = [(regex, key, api) for regex, key, api, _ in sorted(table, key=lambda row: row[3])]
    with _lock:
        _compiled = (version, table)
    return table


_resolved: dict = {}  # (version, uri) → answer; the gateway sees the same few URIs again and again
_RESOLVED_MAX = 20_000


def resolve(uri: str, version: str) -> tuple[str | None, str | None, str]:
    """Returns (resource key, api, normalised path); (None, None, path) when no pattern matches.
    `version` is the catalogue version read with the caller (Caller.catalogue_version)."""
    found = _resolved.get((version, uri))
    if found is not None:
        return found
    path = normalise(uri)
    found = None, None, path
    for regex, key, api in _table(version):
        if regex.match(path):
            found = key, api, path
            break
    if len(_resolved) >= _RESOLVED_MAX:
        _resolved.clear()
    _resolved[(version, uri)] = found
    return found


def catalogue_changed(**kwargs) -> None:
    EnforcementState.objects.update_or_create(pk=1, defaults={"catalogue_version": uuid.uuid4().hex})


post_save.connect(catalogue_changed, sender=ApiResource, dispatch_uid="authz-catalogue-saved")
post_delete.connect(catalogue_changed, sender=ApiResource, dispatch_uid="authz-catalogue-deleted")
