"""The staff's event pages: all events (upcoming, past) with their counts, the event form, the
participants (with a CSV export), the check-in list (printable; check in and undo) and the
meetings' schedule (run it in the background, follow its progress, read its outcome).

Every page: ``events_staff_required`` (global staff and administrators; 403 for other
signed-in people), then a gatekeeper (``access``).
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError

from . import phrases, selectors, services, services_schedule
from .access import event_for_staff, run_for_staff
from .forms import EventForm
from .models import Event, MeetingRequest, Registration, RequestStatus, RunStatus
from .permissions import events_staff_required


@events_staff_required
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the platform's staff (events_staff_required)
    now = timezone.now()
    context = {
        "upcoming": selectors.staff_events(now=now, past=False),
        "past": selectors.staff_events(now=now, past=True)[:50],
    }
    return render(request, "events/staff_list.html", context)


def _form_page(
    request: AuthenticatedHttpRequest, form: EventForm, event: Event | None, status: int = 200
) -> HttpResponse:
    return render(request, "events/event_form.html", {"form": form, "event": event}, status=status)


def _save(request: AuthenticatedHttpRequest, event: Event | None) -> HttpResponse:
    form = EventForm(request.POST, instance=event)
    if form.is_valid():
        try:
            saved = services.save_event(
                event=form.save(commit=False),
                slots=form.cleaned_data["slot_spans"],
                by=request.user,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:participants", pk=saved.pk)
    return _form_page(request, form, event, status=400)


@events_staff_required
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the platform's staff; audited
    if request.method == "POST":
        return _save(request, None)
    return _form_page(request, EventForm(), None)


@events_staff_required
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff); audited
    event = event_for_staff(request.user, pk)
    if request.method == "POST":
        return _save(request, event)
    return _form_page(request, EventForm(instance=event), event)


@events_staff_required
def participants(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff)
    event = event_for_staff(request.user, pk)
    rows = list(selectors.participants(event))
    context = {
        "event": event,
        "counts": selectors.counts(event),
        "registered": [r for r in rows if r.status == "registered"],
        "waitlisted": [r for r in rows if r.status == "waitlisted"],
    }
    return render(request, "events/participants.html", context)


@events_staff_required
def participants_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff)
    event = event_for_staff(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-participants.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["last_name", "first_name", "email", "status", "registered_at", "checked_in_at"]
    )
    for row in selectors.participants(event):
        writer.writerow(
            [
                _safe(row.user.last_name),
                _safe(row.user.first_name),
                _safe(row.user.email),
                row.status,
                row.created_at.isoformat(),
                row.checked_in_at.isoformat() if row.checked_in_at else "",
            ]
        )
    return response


def _safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula starts with a quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@events_staff_required
def check_in_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff)
    event = event_for_staff(request.user, pk)
    context = {
        "event": event,
        "rows": selectors.check_in_list(event),
        "counts": selectors.counts(event),
    }
    return render(request, "events/check_in.html", context)


@events_staff_required
@require_POST
def check_in(request: AuthenticatedHttpRequest, pk: int, registration: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff); a registration of this event only
    # (404 otherwise); audited
    event = event_for_staff(request.user, pk)
    found = Registration.objects.filter(event=event, pk=registration).first()
    if found is None:
        raise Http404
    try:
        services.check_in(
            registration=found, by=request.user, present=request.POST.get("undo") != "1"
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("events:check_in_list", pk=event.pk)


def _schedule_context(event: Event) -> dict[str, object]:
    accepted = MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED).count()
    return {
        "event": event,
        "accepted": accepted,
        "slots": selectors.slots_of(event),
        "runs": list(event.schedule_runs.order_by("-pk")[:10]),
    }


@events_staff_required
def schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff)
    event = event_for_staff(request.user, pk)
    return render(request, "events/schedule.html", _schedule_context(event))


@events_staff_required
@require_POST
def schedule_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff); audited
    event = event_for_staff(request.user, pk)
    try:
        run = services_schedule.request_schedule(event=event, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("events:schedule", pk=event.pk)
    return redirect("events:schedule_progress", pk=event.pk, run=run.pk)


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


@events_staff_required
def schedule_progress(request: AuthenticatedHttpRequest, pk: int, run: int) -> HttpResponse:
    # permission: the platform's staff (event_for_staff); a run of this event only (404)
    event = event_for_staff(request.user, pk)
    found = run_for_staff(request.user, event, run)
    reasons: dict[str, int] = {}
    for code in (found.unscheduled or {}).values():
        reasons[code] = reasons.get(code, 0) + 1
    context = {
        "event": event,
        "run": found,
        "finished": found.status in (RunStatus.DONE, RunStatus.FAILED),
        "error": phrases.run_error(found.error) if found.error else "",
        "reasons": [(phrases.unscheduled_reason(code), n) for code, n in sorted(reasons.items())],
        "gap_percent": round((found.gap or 0) * 100, 2),
        "left_out": [
            (row.first.name, row.second.name, phrases.unscheduled_reason(row.reason))
            for row in selectors.left_out(found)
        ],
    }
    template = "events/schedule_run.html"
    if _is_partial(request):
        template += "#progress"
    return render(request, template, context)
