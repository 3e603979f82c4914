"""Who is calling the API: a personal token (API clients) or the browser's session.

Every operation names its rule with one of these:

- ``auth=SIGNED_IN`` — a valid ``Authorization: Bearer flr_…`` token, or the session of a signed-in
  browser (unsafe methods then need the CSRF token, as for any form). Anything else gets 401.
- ``auth=OPTIONAL`` — the same, but an anonymous caller is let through as ``AnonymousUser`` so the
  operation can serve public data to everyone and more to members (``request.user`` is set either
  way). A token that is wrong or revoked is refused (401) rather than silently treated as anonymous.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from filiere.accounts.services import authenticate_api_key


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a key created on the “My account” page."""

    def authenticate(self, request: HttpRequest, token: str):
        user = authenticate_api_key(token)
        if user is not None:
            request.user = user
        return user


class _Anonymous:
    """Last resort of OPTIONAL: lets anonymous callers in, but never with a bad token."""

    def __call__(self, request: HttpRequest):
        if request.headers.get("Authorization"):
            raise AuthenticationError()
        return AnonymousUser()


token_auth = ApiTokenAuth()
session_auth = SessionAuth(csrf=True)

SIGNED_IN = [token_auth, session_auth]
OPTIONAL = [token_auth, session_auth, _Anonymous()]
# For the OpenAPI document of OPTIONAL operations (``openapi_extra=OPTIONAL_OPENAPI``): a token,
# a session, or nothing at all (the empty requirement).
OPTIONAL_OPENAPI = {"security": [{"ApiTokenAuth": []}, {"SessionAuth": []}, {}]}
