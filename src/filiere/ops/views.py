"""``/health/`` and ``/metrics``, answered before the session, sign-in and second-factor
middleware (``middleware.MonitoringEndpointsMiddleware``): no cookie, no query of their own
beyond the checks, and a database that is down gives 503, never 500."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4

from . import access, health, metrics


@require_safe
def health_view(request: HttpRequest) -> HttpResponse:
    # permission: public; the checks' details only for monitoring callers (access.py)
    report = health.run_checks()
    body = report.as_dict(detailed=access.is_monitoring_caller(request))
    response = JsonResponse(body, status=200 if report.healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def metrics_view(request: HttpRequest) -> HttpResponse:
    # permission: monitoring callers (a bearer token or an allowed address); 404 for others
    if not access.is_monitoring_caller(request):
        return HttpResponseNotFound("Not Found", content_type="text/plain")
    response = HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response["Cache-Control"] = "no-store"
    return response
