"""OpenAPI description of the till API's authenticator (a drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TillAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "stores.enforcement.drf.TillAuthentication"
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
