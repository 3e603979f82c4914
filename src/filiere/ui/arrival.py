"""When each request arrived at the platform (:mod:`filiere.engine.arrival`), read once.

The reverse proxy in front of the application servers stamps every request when it receives it
(nginx: ``proxy_set_header X-Request-Start "t=${msec}";``, which replaces whatever the client
sent). The stamp is believed only from a direct peer (``REMOTE_ADDR``) listed in
``FILIERE_TRUSTED_PROXIES`` (addresses or CIDR blocks; empty by default: nobody), and only
when it is at most ``FILIERE_ARRIVAL_MAX_AGE_SECONDS`` old (120 by default) and not in the
future. Otherwise the time of processing counts, as without a proxy.

:class:`ArrivalMiddleware` puts the engine's reading on the request: ``request.arrival`` (the
moment, its basis and the stamp as read) and ``request.arrived_at`` (the stamp's moment when it
counts, else ``None``). Views and API operations hand :func:`arrival_of` to the services that
compare a moment with a deadline; a service with no arrival (a task, a command) reads its own
clock. Here rather than in one app: the arrival is a property of every request, next to the
other request-wide middleware (``ui.middleware``); ``ui`` imports no app, so every app and the
API can read it.

See ``docs/deploy/arrival-time.md``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from filiere.engine.arrival import Arrival, arrival_time, is_trusted_peer, parse_networks

__all__ = ["HEADER", "ArrivalMiddleware", "arrival_of", "read_arrival"]

#: ``X-Request-Start`` as WSGI names it.
HEADER = "HTTP_X_REQUEST_START"


def read_arrival(request: HttpRequest) -> Arrival:
    """The engine's reading of ``request`` with the current settings and clock."""
    max_age = float(settings.FILIERE_ARRIVAL_MAX_AGE_SECONDS)
    # Read on each request (a few addresses: microseconds), so that a changed setting applies.
    networks = parse_networks(settings.FILIERE_TRUSTED_PROXIES)
    return arrival_time(
        header=request.META.get(HEADER),
        trusted_peer=is_trusted_peer(request.META.get("REMOTE_ADDR"), networks),
        max_age=max_age,
        now=timezone.now(),
    )


class ArrivalMiddleware:
    """Sets ``request.arrival`` and ``request.arrived_at`` (module docstring). First in the
    list: the stamp's age is measured as soon as the application sees the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # A wrong setting stops the server at start, with its name.
        try:
            parse_networks(settings.FILIERE_TRUSTED_PROXIES)
        except ValueError as error:
            raise ImproperlyConfigured(f"FILIERE_TRUSTED_PROXIES: {error}") from None
        if float(settings.FILIERE_ARRIVAL_MAX_AGE_SECONDS) < 0:
            raise ImproperlyConfigured("FILIERE_ARRIVAL_MAX_AGE_SECONDS must not be negative")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        arrival = read_arrival(request)
        request.arrival = arrival  # type: ignore[attr-defined]
        request.arrived_at = arrival.at if arrival.stamped else None  # type: ignore[attr-defined]
        return self.get_response(request)


def arrival_of(request: HttpRequest) -> Arrival | None:
    """What the middleware read, for a service; ``None`` without it (the service's clock)."""
    arrival = getattr(request, "arrival", None)
    return arrival if isinstance(arrival, Arrival) else None
