from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from . import services
from .i18n import in_language, remember_language

if TYPE_CHECKING:
    from django.forms import Form
    from django.http import HttpRequest, HttpResponse

    from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        # Remember the language the person signed up in: e-mails are sent in it.
        user.preferred_language = (translation.get_language() or "fr")[:2]
        return super().save_user(request, user, form, commit=commit)

    def set_password(self, user: User, password: str) -> None:
        # allauth's one door for a password change, a reset by e-mail and a first password:
        # API keys made under the old password stop working.
        super().set_password(user, password)
        services.password_changed(user=user)

    def post_login(self, request: HttpRequest, user: User, **kwargs: Any) -> HttpResponse:
        # The interface follows the language chosen on "My account": the next page is in it, and
        # so is everything outside the language prefixes (Django's language cookie).
        response = super().post_login(request, user, **kwargs)
        language = user.preferred_language
        if response.status_code in (301, 302) and response.get("Location"):
            response["Location"] = in_language(response["Location"], language)
            remember_language(response, language)
        return response
