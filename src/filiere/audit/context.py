"""Where the current action comes from, so that services can audit without taking `request`."""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None


# RequestOrigin is a frozen dataclass: sharing one default instance is safe.
current_origin: ContextVar[RequestOrigin] = ContextVar(
    "current_origin",
    default=RequestOrigin(),  # noqa: B039
)
# The id of the request being answered (set by filiere.ops' middleware), or of the request that
# enqueued the task being run (set by the worker): one id ties the logs and the audit entries of
# one action together. Empty outside both.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind FILIERE_TRUSTED_PROXY_COUNT reverse proxies,
    the address the outermost trusted proxy saw (the same rule as allauth's login throttling).
    X-Forwarded-For is ignored when no proxy is trusted: a client could write anything in it."""
    candidate = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "FILIERE_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address((candidate or "").strip("[]")))
    except ValueError:
        return None


class AuditOriginMiddleware:
    """Remember the client address for the duration of one request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = current_origin.set(RequestOrigin(ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
