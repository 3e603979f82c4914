"""Requests refused before their view: a body too large, a NUL character in the address.

A cap on the size of every request body (POST, PUT, PATCH, DELETE).

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only counts form fields, not files, and nothing limits
a JSON body: without this cap any form or API operation would read whatever a client sends. A
body larger than ``FILIERE_MAX_BODY_BYTES`` (by its ``Content-Length``, which is all a WSGI
server lets Django read) is refused with 413 before the view or the CSRF check reads it. The
upload pages named in ``FILIERE_UPLOAD_BODY_LIMITS`` accept their own limit instead (their
largest file and the form around it), and check each file's own limit themselves.

The answer is the site's error page, or under ``/api/`` the API's error shape (``too_large``).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .views import error_page

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def body_limit(request: HttpRequest) -> int:
    match = request.resolver_match
    if match is not None and match.view_name in settings.FILIERE_UPLOAD_BODY_LIMITS:
        return settings.FILIERE_UPLOAD_BODY_LIMITS[match.view_name]
    return settings.FILIERE_MAX_BODY_BYTES


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot parse


class BodySizeLimitMiddleware:
    """Must come before CsrfViewMiddleware, whose process_view reads the form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method not in BODY_METHODS:
            return None
        limit = body_limit(request)
        if declared_length(request) <= limit:
            return None
        megabytes = f"{limit / (1024 * 1024):.0f}"
        message = _("The request is too large: at most %(size)s MB can be sent here.") % {
            "size": megabytes
        }
        if request.path.startswith("/api/"):
            body = {"code": "too_large", "message": message, "params": {"limit": limit}}
            return JsonResponse({**body, "fields": {}}, status=413)
        return error_page(request, 413, _("Request too large"), message)


class NulCharacterMiddleware:
    """Refuses a NUL character (``%00``) in the path or the query string before any view reads
    it: PostgreSQL cannot store or compare one, so a lookup with it would end in a server error.
    Form fields already refuse it (Django's ``ProhibitNullCharactersValidator``); query
    parameters and paths, read by the API and by lookups, did not. The answer is 422 with the
    API's error shape under ``/api/``, else the site's 400 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # A view is about to run (after the session, language and user are set, which the
        # error page needs): a path that resolves to no view is a 404 already.
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("The address contains a character that is not allowed (NUL).")
            if request.path.startswith("/api/"):
                body = {"code": "invalid_characters", "message": message, "params": {}}
                return JsonResponse({**body, "fields": {}}, status=422)
            return error_page(request, 400, _("Bad request"), message)
        return None
