"""The observatory's pages: the public statistics (figures, charts, tables, CSV files) and the
staff's refresh with its progress. The public pages read the published snapshot only."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.exports import guard_cell
from filiere.errors import ServiceError
from filiere.ui.page_cache import public_page

from . import phrases, presentation, selectors, services
from .access import snapshot_for_staff
from .models import Snapshot
from .permissions import manages_observatory, observatory_staff_required


def _year(request: HttpRequest, published: selectors.Published) -> str:
    year = request.GET.get("year", presentation.ALL)
    known = {str(y) for y in published.figures.get("years", [])}
    return year if year in known else presentation.ALL


@public_page("observatory", params=("year",))
def index(request: HttpRequest) -> HttpResponse:
    # permission: public (published figures, small counts suppressed)
    published = selectors.published()
    context: dict[str, object] = {
        "published": published,
        "manages": manages_observatory(request.user),
    }
    if published is not None:
        year = _year(request, published)
        context.update(
            presentation.page(published, year),
            year=year,
            years=published.figures.get("years", []),
        )
    return render(request, "observatory/index.html", context)


def table_csv(request: HttpRequest, key: str) -> HttpResponse:
    # permission: public (the published table as CSV)
    published = selectors.published()
    if published is None:
        raise Http404
    year = _year(request, published)
    table = presentation.table_for(published, key, year)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{year}" if key in published.figures.get("breakdowns", {}) else ""
    response["Content-Disposition"] = f'attachment; filename="observatory-{key}{suffix}.csv"'
    writer = csv.writer(response)
    # Labels come from the calls' and reference tables: none runs as a formula.
    writer.writerows([[guard_cell(cell) for cell in row] for row in presentation.csv_rows(table)])
    return response


@observatory_staff_required
def staff(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the platform's staff (observatory_staff_required)
    context = {
        "snapshots": [
            (snapshot, phrases.step_label(snapshot.step))
            for snapshot in selectors.recent_snapshots()
        ],
        "under_way": selectors.refresh_under_way(),
        "published": selectors.published(),
    }
    return render(request, "observatory/staff.html", context)


@require_POST
@observatory_staff_required
def refresh(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the platform's staff (observatory_staff_required; request_refresh checks again)
    try:
        snapshot = services.request_refresh(by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("observatory:staff")
    messages.success(request, _("The refresh is queued."))
    return redirect("observatory:progress", pk=snapshot.pk)


@observatory_staff_required
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (snapshot_for_staff: 404 for an unknown refresh)
    snapshot = snapshot_for_staff(request.user, pk)
    context = {
        "snapshot": snapshot,
        "step": phrases.step_label(snapshot.step),
        "finished": snapshot.status in (Snapshot.Status.DONE, Snapshot.Status.FAILED),
        "error": phrases.refusal("observatory.failed", {}) if snapshot.error else "",
    }
    template = "observatory/progress.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template += "#progress"
    return render(request, template, context)
