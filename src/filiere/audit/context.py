"""Where the current action comes from, so that services can audit without taking `request`."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None


# The default is a frozen (immutable) dataclass, so sharing it is safe.
current_origin: ContextVar[RequestOrigin] = ContextVar(
    "current_origin",
    default=RequestOrigin(),  # noqa: B039
)


class AuditOriginMiddleware:
    """Remember the client address for the duration of one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(RequestOrigin(ip_address=request.META.get("REMOTE_ADDR")))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
