"""The OpenAPI schema's shared parts: the authenticators' security schemes (drf-spectacular extensions)
and the error responses of every API surface (a postprocessing hook)."""

import inspect

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.plumbing import get_doc
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from .. import surfaces
from ..limits import PAGING_MAX_NUMBER


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accessadmin.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A token from POST /ccadmin/v1/login (grant_type=password)."}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, but an operation is described by its own view's docstring (or its
    method's), never by one its view inherits from a base class or mixin (e.g. OrgScopedMixin's)."""

    def get_description(self) -> str:
        method = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        own = type(self.view).__dict__.get("__doc__")
        return get_doc(method) or (inspect.cleandoc(own) if own else "")


class InputSchema(OpenApiSerializerExtension):
    """Input serializers (accessadmin.api.fields.Input) refuse keys that name no field: the schema says so."""

    target_class = "accessadmin.api.fields.Input"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        for name in sorted(getattr(self.target, "echoed_fields", ())):
            # Read-only keys of the resource's representation: a PUT of what a GET returned stays valid.
            schema.setdefault("properties", {}).setdefault(name, {"description": "Read-only: accepted and ignored."})
        if not type(self.target).__dict__.get("__doc__"):
            schema.pop("description", None)  # not the base class's docstring
        return schema


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "accessadmin.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The session of a signed-in browser (/login/); POST, PUT, PATCH and DELETE also "
                               "need the csrftoken cookie's value in the X-CSRFToken header."}


# --- error responses -----------------------------------------------------------------------------------------
#
# Every operation documents the errors its surface can answer, in that surface's error shape: the surfaces
# (accessadmin.surfaces) carry the schema of their error body. The core describes its own two shapes here;
# other surfaces (the till API under /v2/) register theirs from their AppConfig.ready().

FIELDS_SCHEMA = {
    "type": "object",
    "description": "Per input field, what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}

API_ERROR = {
    "type": "object",
    "description": "The error body of /api/v1/: a stable code, a readable message and, for bad input, "
                   "the fields at fault. Some errors add details of their own (e.g. the clients that use a group).",
    "properties": {
        "code": {"type": "string", "description": "Stable, machine-readable code (e.g. not_found, invalid)."},
        "message": {"type": "string"},
        "fields": FIELDS_SCHEMA,
    },
    "required": ["code", "message"],
}

CCADMIN_ERROR = {
    "type": "object",
    "description": "The commerce admin error body of /ccadmin/v1/ (e.g. errorCode 22064 for invalid input).",
    "properties": {
        "errorCode": {"type": "string"},
        "message": {"type": "string"},
        "status": {"type": "string", "description": "The HTTP status, as a string."},
        "fields": FIELDS_SCHEMA,
    },
    "required": ["errorCode", "message", "status"],
}

STATUS_TEXT = {
    400: "The request is malformed or its input is not valid; nothing was changed.",
    401: "Credentials are missing, wrong or expired.",
    403: "The caller may not do this.",
    404: "No such object, or one the request refers to (or not visible to the caller).",
    409: "The request conflicts with the current state; nothing was changed.",
    413: "The request body is larger than the server accepts.",
    415: "The request body is not JSON.",
    429: "Too many failed attempts; retry after the number of seconds in Retry-After.",
    503: "A backing service (database or cache) is unreachable; retry later.",
}

RESPONSE_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "The authentication scheme to use."}},
    429: {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}},
}

UNSAFE_METHODS = ("post", "put", "patch", "delete")


ERRORS_KEY, NO_ERRORS_KEY = "x-errors", "x-no-errors"


def errors(*statuses: int, omit: tuple[int, ...] = ()) -> dict:
    """`extend_schema(extensions=errors(401, 429, omit=(409,)))`: error statuses an operation answers besides
    those the hook infers from it (e.g. a login that checks credentials), and inferred ones it cannot answer."""
    return {ERRORS_KEY: list(statuses), NO_ERRORS_KEY: list(omit)}


BODY_KEY = "x-body"


def body_rules(**rules) -> dict:
    """`extend_schema(extensions=body_rules(required=["name"]))`: JSON schema rules the request body of this
    operation must also meet, when its serializer is shared with operations that need less (a create that
    needs a name its update may leave out; "mobile or email")."""
    return {BODY_KEY: rules}


def _apply_body_rules(operation: dict) -> None:
    rules = operation.pop(BODY_KEY, None)
    if rules and "requestBody" in operation:
        for media in operation["requestBody"]["content"].values():
            media["schema"] = {"allOf": [media["schema"], rules]}


def _error_statuses(method: str, operation: dict, surface: surfaces.Surface) -> set[int]:
    statuses = {503, *surface.always, *operation.pop(ERRORS_KEY, [])}
    if operation.get("security"):
        statuses |= {401, 403}
    parameters = operation.get("parameters", [])
    if any(p.get("in") == "path" for p in parameters):
        statuses |= {400, 404}  # 400: a value of the right form that no object can have (e.g. id 0)
    if any(p.get("in") in ("query", "header") for p in parameters):
        statuses.add(400)
    if any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
        statuses.add(404)  # a page past the last one
    if "requestBody" in operation:
        statuses |= {400, 404, 413, 415}  # 404: an object the body names (a customer, a group...) is missing
    if method in UNSAFE_METHODS:
        statuses.add(409)
    return statuses - set(operation.pop(NO_ERRORS_KEY, []))


def attach_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: adds each surface's error component and, to every operation,
    the error responses it can answer (an operation's own description of a status wins), all in the
    surface's error shape."""
    used = {}
    for path, item in result.get("paths", {}).items():
        surface = surfaces.for_path(path)
        if surface is None or surface.schema is None:
            continue
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            _apply_body_rules(operation)
            responses = operation.setdefault("responses", {})
            content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{surface.schema_name}"}}}
            for status in sorted(_error_statuses(method, operation, surface)):
                if str(status) in responses:
                    continue
                response = {"description": STATUS_TEXT[status]}
                if status in RESPONSE_HEADERS:
                    response["headers"] = RESPONSE_HEADERS[status]
                responses[str(status)] = response
            for status, response in responses.items():
                if status[0] in "45":
                    response.setdefault("content", content)  # errors an operation names come in the same shape
            operation["responses"] = dict(sorted(responses.items()))
            used[surface.schema_name] = surface
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for component, surface in used.items():
        schemas.setdefault(component, surface.schema)
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result


# --- list envelopes ------------------------------------------------------------------------------------------


def page_of(item, name: str):
    """The schema of a /api/v1/ list page of `item` (PageNumberPagination: count, next, previous, results)."""
    return inline_serializer(name, {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
    })


class SortKey(serializers.Serializer):
    property = serializers.CharField()
    order = serializers.ChoiceField(choices=["asc", "desc"])


class Link(serializers.Serializer):
    rel = serializers.CharField()
    href = serializers.URLField()


def offset_page_of(item, name: str):
    """The schema of a /ccadmin/v1/ list (OffsetLimit: items, total, totalResults, offset, limit, sort, links)."""
    return inline_serializer(name, {
        "items": item(many=True),
        "total": serializers.IntegerField(),
        "totalResults": serializers.IntegerField(),
        "offset": serializers.IntegerField(),
        "limit": serializers.IntegerField(),
        "sort": SortKey(many=True),
        "links": Link(many=True),
    })


OFFSET_LIMIT = [
    OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": PAGING_MAX_NUMBER},
                     description="Rows to skip (default 0)."),
    OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 1000},
                     description="Rows per page (default 250, at most 1000)."),
]
PAGE_NUMBER = [
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": PAGING_MAX_NUMBER},
                     description="Page number (default 1)."),
    OpenApiParameter("page_size", {"type": "integer", "minimum": 1, "maximum": 500},
                     description="Rows per page (default 50, at most 500)."),
]
X_ORG = OpenApiParameter("X-Org", str, OpenApiParameter.HEADER, required=False,
                         description="Platform staff only: the code of the org to act in.")
