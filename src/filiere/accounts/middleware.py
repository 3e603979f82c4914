from django.shortcuts import redirect
from django.urls import reverse

from .permissions import has_second_factor, requires_mfa


class RequireMFAMiddleware:
    """Send staff, committee members, experts and administrators to set up TOTP before anything
    else (FILIERE_MFA_REQUIRED_ROLES, global or scoped grants alike).

    allauth then asks for the code at every sign-in; this closes the gap of an account that
    was given such a role but never activated a second factor.
    """

    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/accounts/", "/en/accounts/", "/nl/accounts/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not has_second_factor(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
