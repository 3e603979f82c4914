"""Who is calling the API: a personal token (API clients) or the browser's session.

Every operation names its rule with one of these:

- ``auth=SIGNED_IN`` — a valid ``Authorization: Bearer flr_…`` token, or the session of a signed-in
  browser (unsafe methods then need the CSRF token, as for any form). Anything else gets 401.
- ``auth=OPTIONAL`` — the same, but an anonymous caller is let through as ``AnonymousUser`` so the
  operation can serve public data to everyone and more to members (``request.user`` is set either
  way). A token that is wrong or revoked is refused (401) rather than silently treated as anonymous.

A token that exists but may not be used answers in the API's error shape with its own code:
401 ``token_expired``; 401 ``second_factor_required`` (its owner holds a role that requires a
second factor and has not activated one); 403 ``read_only_token`` (a read-only token on POST, PUT,
PATCH or DELETE).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from filiere.accounts.models import User
from filiere.accounts.services import authenticate_api_key
from filiere.accounts.types import AuthenticatedHttpRequest

from .errors import ApiError
from .throttling import count_unknown_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignedInRequest(AuthenticatedHttpRequest):
    """The request of an ``auth=SIGNED_IN`` operation: ninja sets ``auth`` to the caller's account
    (``user`` too). For annotations only; Django builds the requests."""

    auth: User


def _unknown_key() -> ApiError:
    message = _(
        "This API token is not valid (unknown or revoked): create a new one on your account page."
    )
    return ApiError(401, "unauthorized", message)


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a key created on the “My account” page."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        # A known token that may not be used now raises TokenRefused (a ServiceError: 401, or
        # 403 for a read-only one); ninja answers with the first exception an authenticator
        # raises, through api/errors.install.
        user = authenticate_api_key(token, write=request.method not in SAFE_METHODS)
        if user is None:
            # A wrong key is refused, whatever else the request carries (a session), and
            # counted: guessing keys is throttled like any anonymous caller.
            count_unknown_key(request)
            raise _unknown_key()
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser's session, with the CSRF check on unsafe methods.

    ninja's SessionAuth checks CSRF before looking at the session, so a caller with no session
    at all got 403 on POST/DELETE; without a signed-in session there is nothing to protect, and
    the caller is simply not authenticated (401)."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


class _Anonymous:
    """Last resort of OPTIONAL: lets anonymous callers in, but never with a bad token."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        if request.headers.get("Authorization"):
            raise AuthenticationError()
        return AnonymousUser()


token_auth = ApiTokenAuth()
# The class names are the OpenAPI security scheme names (ApiTokenAuth, SessionAuth).
session_auth = SessionAuth(csrf=True)

SIGNED_IN = [token_auth, session_auth]
OPTIONAL = [token_auth, session_auth, _Anonymous()]
