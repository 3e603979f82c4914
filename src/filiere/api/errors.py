"""One shape for every error of the API, with a translated message.

Every error answer is JSON ``{"code": ..., "message": ..., "params": {...}, "fields": {...}}``:

- ``code`` — stable, for programs (``not_found``, ``invalid_input``, ``unauthorized``...);
- ``message`` — a sentence for people, in the caller's language (Accept-Language);
- ``params`` — the values quoted in the message, if any;
- ``fields`` — for ``invalid_input`` (422): the messages per input field (query parameter or
  body field), e.g. ``{"page_size": ["Enter a number greater than or equal to 1."]}``.

Operations raise ``ApiError`` for their input (or Django's ``Http404`` / ``PermissionDenied``) and
let the services' refusals (``filiere.errors.ServiceError``) through; the handlers that ``install``
adds to the NinjaAPI turn them, and ninja's own validation and authentication errors, into this
shape. A refusal answers with its class's ``status`` (403 not allowed, 409 the state of things,
422 invalid, 429 throttled with ``Retry-After``), its code, its translated message, its params
made JSON-safe and, when it names a ``field``, the message under that field.

Declare the answers in each operation's ``response=`` with the dictionaries below
(``READ_ERRORS``, ``DETAIL_ERRORS``...) so that the OpenAPI document shows them.
"""

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from filiere import errors


class ErrorOut(Schema):
    code: str
    message: str
    params: dict[str, Any] = {}
    fields: dict[str, list[str]] = {}


# What operations declare besides their success answer.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut}
READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
DETAIL_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut}


# The answers every operation may give by the way it is declared (see ``document_answers``).
ANSWERS = {
    401: "Missing, invalid, expired or refused credentials (`unauthorized`...).",
    403: "Not allowed (`forbidden`), or a session without its CSRF token.",
    404: "Not found, or hidden from the caller (`not_found`): the same answer.",
    413: "The request body is larger than the platform accepts (`too_large`).",
    422: "Invalid input (`invalid_input`): `fields` has the messages per parameter or field.",
    429: "Too many requests (`throttled`): wait the seconds given in `Retry-After`.",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def document_answers(schema: dict[str, Any], operations: dict[str, Any]) -> None:
    """Complete the OpenAPI ``schema`` with the answers that follow from each operation's
    declaration (``operations``: operationId → ninja Operation); answers an operation declares
    itself are kept as they are."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for item in schema["paths"].values():
        for method, details in item.items():
            operation = operations.get(details.get("operationId"))
            if method not in UNSAFE_METHODS | {"get"} or operation is None:
                continue
            callbacks = operation.auth_callbacks
            if callbacks:
                # A callback with no security scheme is the anonymous one of auth.OPTIONAL.
                schemes = [type(c).__name__ for c in callbacks if _is_scheme(c)]
                security: list[dict[str, list[str]]] = [
                    {name: []} for name in dict.fromkeys(schemes)
                ]
                if len(schemes) < len(callbacks):
                    security.append({})
                details["security"] = security
            parameters = details.get("parameters", [])
            codes = set()
            if callbacks:
                codes.add(401)
            if method in UNSAFE_METHODS:
                codes.add(403)
            if any(p["in"] == "path" for p in parameters):
                codes.add(404)
            if "requestBody" in details:
                codes |= {413, 422}
            if any(p["in"] != "path" or _typed(p) for p in parameters):
                codes.add(422)
            if operation.throttle_objects:
                codes.add(429)
            # ninja keys the answers by int (JSON turns them into strings).
            answers = details.setdefault("responses", {})
            for code in sorted(codes):
                answers.setdefault(code, {"description": ANSWERS[code], "content": error})
            if 429 in answers:
                answers[429].setdefault("headers", {})["Retry-After"] = {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer", "minimum": 1},
                }


def _is_scheme(callback: Any) -> bool:
    return hasattr(callback, "openapi_security_schema")


def _typed(parameter: dict[str, Any]) -> bool:
    """A path parameter that is not free text (an id) can be refused as invalid."""
    return parameter.get("schema", {}).get("type", "string") != "string"


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


def json_safe(value: Any) -> Any:
    """``value`` as plain JSON: datetimes and dates in ISO 8601, decimals as strings (exact),
    tuples and sets as lists, lazy translations as text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def service_error_body(error: errors.ServiceError) -> dict[str, Any]:
    """A service's refusal in the API's shape."""
    message = error.message
    return {
        "code": error.code,
        "message": message,
        "params": json_safe(error.details()),
        "fields": {error.field: [message]} if error.field else {},
    }


def _respond(api: NinjaAPI, request: HttpRequest, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, {"params": {}, "fields": {}, **body}, status=status)


Error = TypeVar("Error", bound=Exception)


def _handle(
    api: NinjaAPI, error: type[Error], handler: Callable[[HttpRequest, Error], HttpResponse]
) -> None:
    # ninja types a handler's argument as "the exception or its class"; it always passes the
    # exception itself, which is what the handlers below are written for.
    api.add_exception_handler(error, handler)  # type: ignore[arg-type]


def install(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer in the shape above."""

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _respond(api, request, exc.status, exc.body)

    def service_error(request: HttpRequest, exc: errors.ServiceError) -> HttpResponse:
        response = _respond(api, request, exc.status, service_error_body(exc))
        if isinstance(exc, errors.Throttled):
            response["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # The same answer whether the object is missing or hidden from the caller.
        return _respond(api, request, 404, {"code": "not_found", "message": _("Not found.")})

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = _("You are not allowed to do this.")
        return _respond(api, request, 403, {"code": "forbidden", "message": message})

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
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
        response = _respond(api, request, exc.status_code, {"code": code, "message": message})
        wait = getattr(exc, "wait", None)
        if exc.status_code == 429 and wait:
            response["Retry-After"] = str(math.ceil(wait))
        return response

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(
                _validation_message(error)
            )
        return _respond(api, request, 422, invalid_input(fields).body)

    _handle(api, ApiError, api_error)
    _handle(api, errors.ServiceError, service_error)
    _handle(api, Http404, not_found)
    _handle(api, PermissionDenied, forbidden)
    _handle(api, HttpError, http_error)
    _handle(api, ValidationError, validation_error)


# --- Django's own error answers under /api/ ---------------------------------------------------
# A URL that matches no operation (``/api/v1/nope``, ``/api/v1/me/tokens/x``), or an exception no
# operation handled, reaches Django's error handlers (``urls.py``): under ``/api/`` they answer
# in the shape above, elsewhere with the site's pages.

API_PREFIX = "/api/"


def _django_error(status: int) -> tuple[str, str]:
    if status == 400:
        return "bad_request", _("The request could not be understood.")
    if status == 403:
        return "forbidden", _("You are not allowed to do this.")
    if status == 404:
        return "not_found", _("Not found.")
    return "server_error", _("Something went wrong on our side: please try again later.")


def or_api_error(
    page_view: Callable[..., HttpResponse], status: int
) -> Callable[..., HttpResponse]:
    """Django's ``handler<status>`` that answers ``page_view`` for pages and JSON under /api/."""

    def handler(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return page_view(request, *args, **kwargs)
        code, message = _django_error(status)
        body = {"code": code, "message": message, "params": {}, "fields": {}}
        return JsonResponse(body, status=status)

    handler.__name__ = getattr(page_view, "__name__", "handler")
    return handler
