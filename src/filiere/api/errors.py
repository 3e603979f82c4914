"""One shape for every error of the API, with a translated message.

Every error answer is JSON ``{"code": ..., "message": ..., "params": {...}, "fields": {...}}``:

- ``code`` — stable, for programs (``not_found``, ``invalid_input``, ``unauthorized``...);
- ``message`` — a sentence for people, in the caller's language (Accept-Language);
- ``params`` — the values quoted in the message, if any;
- ``fields`` — for ``invalid_input`` (422): the messages per input field (query parameter or
  body field), e.g. ``{"page_size": ["Enter a number greater than or equal to 1."]}``.

Operations raise ``ApiError`` (or Django's ``Http404`` / ``PermissionDenied``); the handlers that
``install`` adds to the NinjaAPI turn them, and ninja's own validation and authentication errors,
into this shape. Declare the answers in each operation's ``response=`` with the dictionaries
below (``READ_ERRORS``, ``DETAIL_ERRORS``...) so that the OpenAPI document shows them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError


class ErrorOut(Schema):
    code: str
    message: str
    params: dict[str, Any] = {}
    fields: dict[str, list[str]] = {}


# What operations declare besides their success answer.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut}
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
DETAIL_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut}


class ApiError(Exception):
    """An error answer: ``raise ApiError(422, "invalid_input", _("..."), fields={...})``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        params: dict[str, Any] | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = {
            "code": code,
            "message": message,
            "params": params or {},
            "fields": fields or {},
        }


def invalid_input(fields: dict[str, list[str]]) -> ApiError:
    return ApiError(
        422,
        "invalid_input",
        _("The request is not valid: see the messages for each field."),
        fields=fields,
    )


def _field_name(loc: tuple | list) -> str:
    """``("query", "page")`` → ``page``; ``("body", "payload", "name")`` → ``name``."""
    parts = [str(part) for part in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _validation_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Enter a number greater than or equal to %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Enter a number less than or equal to %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Enter at least %(limit)s characters.") % {"limit": ctx.get("min_length")}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    return _("This value is not valid.")


def _respond(api: NinjaAPI, request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, {"params": {}, "fields": {}, **body}, status=status)


def install(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer in the shape above."""

    def api_error(request, exc: ApiError):
        return _respond(api, request, exc.status, exc.body)

    def not_found(request, exc: Http404):
        # The same answer whether the object is missing or hidden from the caller.
        return _respond(api, request, 404, {"code": "not_found", "message": _("Not found.")})

    def forbidden(request, exc: PermissionDenied):
        message = _("You are not allowed to do this.")
        return _respond(api, request, 403, {"code": "forbidden", "message": message})

    def http_error(request, exc: HttpError):
        if exc.status_code == 401:
            code = "unauthorized"
            message = _(
                "Authentication required: send a valid API token (Authorization: Bearer) "
                "or sign in."
            )
        elif exc.status_code == 403:
            code, message = "forbidden", _("You are not allowed to do this.")
        elif exc.status_code == 429:
            code, message = "throttled", _("Too many requests: try again later.")
        else:
            code, message = "error", str(exc)
        return _respond(api, request, exc.status_code, {"code": code, "message": message})

    def validation_error(request, exc: ValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(
                _validation_message(error)
            )
        return _respond(api, request, 422, invalid_input(fields).body)

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, validation_error)
