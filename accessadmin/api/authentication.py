from rest_framework import authentication, exceptions

from ..services import token_user


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` with a key from POST /ccadmin/v1/login."""

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed bearer token header.")
        user = token_user(header[1])
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return user, header[1]

    def authenticate_header(self, request):
        return 'Bearer realm="accessadmin"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with DRF's CSRF check on unsafe methods."""
