"""Make the interface follow a user's preferred language: the URL prefix and Django's cookie."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import translate_url


def in_language(url: str, language: str) -> str:
    """The same page in `language` (/en/..., /nl/..., or unprefixed for French)."""
    return translate_url(url, language)


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Set the cookie that Django's LocaleMiddleware and set_language use (pages outside the
    language prefixes, like the API, then answer in that language too)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
