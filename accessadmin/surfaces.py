"""The machine-facing API surfaces and the one error shape of each.

A surface is a path prefix (`/api/v1/`, `/ccadmin/v1/`, `/oauth/`, the till
API's `/v2/` ...) with a function that turns an AppError into that surface's
error body. The core registers its own surfaces; apps register theirs in
`AppConfig.ready()`, so the core never imports them. The DRF exception handler
and the API error middleware both ask `for_request()`, so an error looks the
same whichever layer answers it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

from .errors import AppError

ErrorBody = Callable[[AppError], dict]


@dataclass(frozen=True)
class Surface:
    prefix: str
    body: ErrorBody
    # How the OpenAPI schema documents the errors (accessadmin.api.schema): the component's name, its JSON
    # schema, and the statuses every operation of the surface may answer. No schema: not in the OpenAPI schema.
    schema_name: str = ""
    schema: dict | None = field(default=None, compare=False)
    always: tuple[int, ...] = ()


_surfaces: dict[str, Surface] = {}


def register(prefix: str, body: ErrorBody, *, schema_name: str = "", schema: dict | None = None,
             always: tuple[int, ...] = ()) -> None:
    """Declares that errors under `prefix` (e.g. "/v2/") are shaped by `body` (described by `schema`)."""
    _surfaces[prefix] = Surface(prefix, body, schema_name, schema, always)


def prefixes() -> list[str]:
    return sorted(_surfaces)


def for_path(path: str) -> Surface | None:
    """Returns the surface with the longest prefix of `path`, or None for pages and everything else."""
    found = None
    for prefix, surface in _surfaces.items():
        if path.startswith(prefix) and (found is None or len(prefix) > len(found.prefix)):
            found = surface
    return found


def for_request(request) -> Surface | None:
    # path_info is the path below the script prefix: the prefixes are those of the URLconf.
    return for_path(getattr(request, "path_info", None) or request.path)


def error_response(surface: Surface, err: AppError) -> HttpResponse:
    """Returns `err` as a JSON response in `surface`'s shape (with Retry-After when it has one)."""
    response = HttpResponse(JSONRenderer().render(surface.body(err)), status=err.status,
                            content_type="application/json")
    retry_after = getattr(err, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(int(retry_after))
    return response
