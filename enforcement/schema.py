"""OpenAPI descriptions of the till API: its authenticator (a drf-spectacular extension) and its error body."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from accessadmin.api.schema import FIELDS_SCHEMA

from .errors import TillCode


class TillAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "enforcement.drf.TillAuthentication"
    name = ["tillBasicAuth", "apiClientBearerAuth"]

    def get_security_requirement(self, auto_schema):
        # Either scheme on its own (a list of requirements), not both at once (one requirement naming two).
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "basic",
             "description": "Till code and secret (or the lowercase hex MD5 of the secret)."},
            {"type": "http", "scheme": "bearer",
             "description": "An OAuth2 access token from POST /oauth/token (grant_type=client_credentials)."},
        ]


TILL_ERROR = {
    "type": "object",
    "description": "The till API's error body (the source platform's shape). Denials add `explanation` "
                   "(resource, part, permission, group); bad input adds `fields`.",
    "properties": {
        "warnings": {"type": "array", "items": {}},
        "errors": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "properties": {
                "status": {"type": "boolean", "enum": [False]},
                "code": {"type": "integer", "enum": sorted(int(c) for c in TillCode),
                         "description": "; ".join(f"{int(c)} {c.name.lower()}" for c in sorted(TillCode))},
                "message": {"type": "string"},
            },
            "required": ["status", "code", "message"],
        }},
        "fields": FIELDS_SCHEMA,
        "explanation": {"type": "object", "additionalProperties": {}},
    },
    "required": ["warnings", "errors"],
}
