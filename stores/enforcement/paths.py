"""Mapping a request path to (resource, part) with the catalogue's path patterns.

A pattern is a path whose segments may be `*` (exactly one segment) or, last, `**` (the rest: zero or
more segments). Paths are normalised first (query string, percent-escapes, `.`/`..`, trailing slash),
so `/v2/customers/../stores` is judged as `/v2/stores`, what the upstream will serve.

The compiled catalogue is kept per process under a generation token held in the shared cache; saving
or deleting a catalogue entry replaces the token (signal below), so every process recompiles on its
next request.
"""

import posixpath
import re
import threading
import uuid
from urllib.parse import unquote, urlsplit

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from groups.models import ApiResource

GENERATION_KEY = "authz:catalogue:generation"
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


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY) or ""
    return token


def _table(generation: str) -> list:
    global _compiled
    current = _compiled
    if current is not None and current[0] == generation and generation:
        return current[1]
    table = []
    for key, data_paths, config_paths in ApiResource.objects.order_by("position", "name").values_list(
            "key", "data_paths", "config_paths"):
        for api, patterns in (("data", data_paths), ("config", config_paths)):
            for pattern in patterns or []:
                table.append((compile_pattern(pattern), key, api))
    with _lock:
        _compiled = (generation, table)
    return table


def resolve(uri: str) -> tuple[str | None, str | None, str]:
    """Returns (resource key, api, normalised path); (None, None, path) when no pattern matches."""
    path = normalise(uri)
    for regex, key, api in _table(_generation()):
        if regex.match(path):
            return key, api, path
    return None, None, path


def catalogue_changed(**kwargs) -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


post_save.connect(catalogue_changed, sender=ApiResource, dispatch_uid="authz-catalogue-saved")
post_delete.connect(catalogue_changed, sender=ApiResource, dispatch_uid="authz-catalogue-deleted")
