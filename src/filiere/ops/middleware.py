"""Every request gets an id, an access log line and its place in the request counters; the
monitoring endpoints are answered before the rest of the stack.

``RequestContextMiddleware`` comes first in ``MIDDLEWARE``: it keeps an incoming safe
``X-Request-ID`` or makes one, sets it for the log lines, the audit entries and the tasks enqueued
meanwhile, returns it in the response's ``X-Request-ID``, then logs one ``filiere.request`` line
(method, path without the query string, route, status, duration, user id) and counts the request
(``metrics.py``).

``MonitoringEndpointsMiddleware`` comes right after ``SecurityMiddleware``: ``/health/`` and
``/metrics`` are answered there, before the session, CSRF, sign-in and second-factor middleware,
so that they read no session (none to read for a prober, and a database that is down must give
503, not the 500 of a session that cannot be loaded), need no second factor and no language.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve, reverse

from filiere.audit.context import current_request_id

from . import metrics
from .context import current_request
from .logs import META_KEY, signed_in_user_id
from .request_ids import HEADER, request_id_from

access_log = logging.getLogger("filiere.request")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestContextMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.headers.get(HEADER))
        request.META[META_KEY] = request_id
        id_token = current_request_id.set(request_id)
        request_token = current_request.set(request)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - start
            response[HEADER] = request_id
            match = request.resolver_match
            route = match.view_name if match is not None else ""
            method = request.method or ""
            metrics.observe(
                method=method, route=route, status=response.status_code, seconds=seconds
            )
            access_log.info(
                "%s %s %s",
                method,
                request.path,
                response.status_code,
                extra={
                    "route": route or metrics.UNMATCHED,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                    "user_id": signed_in_user_id(request),
                },
            )
            return response
        finally:
            current_request.reset(request_token)
            current_request_id.reset(id_token)


@cache
def monitoring_paths() -> frozenset[str]:
    return frozenset({reverse("ops:health"), reverse("ops:metrics")})


class MonitoringEndpointsMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # request.path, like reverse(), includes the script prefix of a deployment under a path.
        if request.path in monitoring_paths():
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            request.resolver_match = match
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)
