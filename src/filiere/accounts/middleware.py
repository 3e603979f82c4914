from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import has_second_factor, requires_mfa


class RequireMFAMiddleware:
    """Send staff, committee members, experts and administrators to set up TOTP before anything
    else (FILIERE_MFA_REQUIRED_ROLES, global or scoped grants alike).

    allauth then asks for the code at every sign-in; this closes the gap of an account that
    was given such a role but never activated a second factor.
    """

    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/accounts/", "/en/accounts/", "/nl/accounts/")
    API_PREFIX = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not has_second_factor(user)
        ):
            if request.path.startswith(self.API_PREFIX):
                # A program cannot follow a redirect to a form: the API's error shape, as for
                # a token of the same account (api/auth.py).
                return JsonResponse(
                    {
                        "code": "second_factor_required",
                        "message": _(
                            "Your roles require a second factor: activate an authenticator app "
                            "on your account page."
                        ),
                        "params": {},
                        "fields": {},
                    },
                    status=401,
                )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
