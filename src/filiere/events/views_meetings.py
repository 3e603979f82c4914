"""The one-to-one meetings' pages, for the registered participants of an event with meetings:
the other participants (name, organisation, headline; never an e-mail address), requests sent
and received (accept, decline), the slots one cannot attend; and one's agenda as a page, a PDF
and an iCalendar file. Anyone else gets a 404 (``access.event_for_participant``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError

from . import calendars, phrases, selectors, services_meetings
from .access import event_for_participant, request_for_party
from .agenda_pdf import agenda_pdf
from .forms import MeetingRequestForm, UnavailabilityForm
from .models import Event
from .selectors import Card


def _page(
    request: AuthenticatedHttpRequest,
    event: Event,
    form: MeetingRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    people = selectors.fellow_participants(event, request.user)
    rows = selectors.requests_of(event, request.user)
    asked = {row.other.user_id for row in rows}
    slots = selectors.slots_of(event)
    unavailable = selectors.unavailable_slot_ids(event, request.user)
    context = {
        "event": event,
        "people": people,
        "asked": asked,
        "received": [r for r in rows if not r.sent],
        "sent": [r for r in rows if r.sent],
        "form": form or MeetingRequestForm(people=[p for p in people if p.user_id not in asked]),
        "availability": UnavailabilityForm(slots=slots, initial={"slots": sorted(unavailable)}),
    }
    return render(request, "events/meetings.html", context, status=status)


@login_required
def meetings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: registered participants of an event with meetings (event_for_participant:
    # 404 for anyone else); other participants' names, organisations and headlines only
    event, _registration = event_for_participant(request.user, pk)
    return _page(request, event)


@login_required
@require_POST
def request_meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: registered participants (event_for_participant: 404 otherwise); the recipient
    # must be another registered participant (the service); audited
    event, _registration = event_for_participant(request.user, pk)
    people: list[Card] = selectors.fellow_participants(event, request.user)
    form = MeetingRequestForm(request.POST, people=people)
    if form.is_valid():
        try:
            services_meetings.request_meeting(
                event=event,
                sender=request.user,
                recipient_id=form.cleaned_data["recipient"],
                message=form.cleaned_data["message"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your request was sent."))
            return redirect("events:meetings", pk=event.pk)
    return _page(request, event, form, status=400)


@login_required
@require_POST
def answer_request(request: AuthenticatedHttpRequest, pk: int, request_id: int) -> HttpResponse:
    # permission: registered participants (event_for_participant); a request they sent or
    # received (request_for_party: 404 otherwise); only the person asked answers (the service);
    # audited
    event, _registration = event_for_participant(request.user, pk)
    meeting_request = request_for_party(request.user, event, request_id)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline."))
        return redirect("events:meetings", pk=event.pk)
    try:
        services_meetings.answer_request(
            request=meeting_request, by=request.user, accept=decision == "accept"
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You accepted the meeting.") if decision == "accept" else _("You declined."),
        )
    return redirect("events:meetings", pk=event.pk)


@login_required
@require_POST
def unavailability(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: registered participants (event_for_participant); their own slots only
    event, _registration = event_for_participant(request.user, pk)
    form = UnavailabilityForm(request.POST, slots=selectors.slots_of(event))
    if not form.is_valid():
        messages.error(request, _("Choose slots of this event."))
        return redirect("events:meetings", pk=event.pk)
    try:
        services_meetings.set_unavailable_slots(
            event=event, user=request.user, slot_ids=form.cleaned_data["slots"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your unavailable slots are saved."))
    return redirect("events:meetings", pk=event.pk)


def _agenda(request: AuthenticatedHttpRequest, pk: int) -> tuple[Event, dict[str, object]]:
    event, _registration = event_for_participant(request.user, pk)
    unscheduled = selectors.unscheduled_of(event, request.user)
    return event, {
        "event": event,
        "rows": selectors.agenda_of(event, request.user),
        "unscheduled": [(u.other, phrases.unscheduled_reason(u.reason)) for u in unscheduled],
        "unscheduled_rows": unscheduled,
        "name": selectors.cards([request.user.pk])[request.user.pk].name,
    }


@login_required
def agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: registered participants, their own agenda only (event_for_participant: 404
    # for anyone else; there is no way to name another person's agenda)
    _event, context = _agenda(request, pk)
    return render(request, "events/agenda.html", context)


@login_required
def agenda_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: as the agenda page
    event, context = _agenda(request, pk)
    body = agenda_pdf(
        event=event,
        name=str(context["name"]),
        rows=context["rows"],  # type: ignore[arg-type]
        unscheduled=context["unscheduled_rows"],  # type: ignore[arg-type]
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{event.pk}.pdf"'
    return response


@login_required
def agenda_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: as the agenda page
    event, _registration = event_for_participant(request.user, pk)
    body = calendars.personal_calendar(
        [(event, selectors.agenda_of(event, request.user))],
        now=timezone.now(),
        url_of=lambda e: request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
        agenda_url_of=lambda e: request.build_absolute_uri(reverse("events:agenda", args=[e.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="agenda-{event.pk}.ics"'
    return response
