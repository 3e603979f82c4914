"""Public and members' pages of the events: the lists (upcoming, past), an event's page and its
iCalendar file, registration and cancellation, "my events" and the private calendar.

Thin adapters: a gatekeeper (``access``), one service or selector, a template or a file.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError
from filiere.ui.pagination import page_nav

from . import calendars, selectors, services
from .access import calendar_owner, event_for_staff, public_event
from .models import Event, RegistrationStatus
from .permissions import manages_events

PAGE_SIZE = 20


def _list(request: HttpRequest, *, past: bool) -> HttpResponse:
    events = selectors.published_events(now=timezone.now(), past=past)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    nav = page_nav(request.GET, "page", page, _("Pages of the events"))
    return render(request, "events/list.html", {"page": page, "nav": nav, "past": past})


def event_list(request: HttpRequest) -> HttpResponse:
    # permission: public; published events not yet over
    return _list(request, past=False)


def past_events(request: HttpRequest) -> HttpResponse:
    # permission: public; published events that are over
    return _list(request, past=True)


def _event(request: HttpRequest, pk: int) -> Event:
    if manages_events(request.user):
        return event_for_staff(request.user, pk)  # the staff preview drafts
    return public_event(pk)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    # permission: public for published (and cancelled) events; drafts for the staff only (404)
    event = _event(request, pk)
    registration = selectors.registration_of(
        request.user if request.user.is_authenticated else None, event
    )
    counts = selectors.counts(event)
    context = {
        "event": event,
        "registration": registration,
        "position": selectors.waitlist_position(registration) if registration else 0,
        "counts": counts,
        "places_left": counts.places_left(event.capacity),
        "participant": registration is not None
        and registration.status == RegistrationStatus.REGISTERED,
    }
    return render(request, "events/detail.html", context)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    # permission: public, as the event's page (drafts: staff only)
    event = _event(request, pk)
    url = request.build_absolute_uri(reverse("events:detail", args=[event.pk]))
    return _ics(calendars.event_calendar(event, now=timezone.now(), url=url), f"event-{pk}.ics")


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: any signed-in person, on a published event open to registration; audited
    event = public_event(pk)
    try:
        registration = services.register(event=event, user=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.success(
                request,
                _(
                    "The event is full: you are on the waiting list. You will get an e-mail if a "
                    "place frees up."
                ),
            )
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the signed-in person's own registration only; audited
    event = public_event(pk)
    try:
        services.cancel_registration(event=event, user=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", pk=event.pk)


@login_required
def my_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: any signed-in person; their own registrations only
    token = selectors.calendar_token(request.user)
    feed = (
        request.build_absolute_uri(reverse("events:private_calendar", args=[token]))
        if token
        else ""
    )
    context = {"registrations": selectors.my_registrations(request.user), "feed": feed}
    return render(request, "events/mine.html", context)


@login_required
@require_POST
def calendar_key(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: any signed-in person; makes (or renews) their own private calendar address
    renew = request.POST.get("renew") == "1"
    services.calendar_key(user=request.user, renew=renew)
    messages.success(
        request,
        _("Your calendar has a new address: the old one no longer works.")
        if renew
        else _("Your private calendar address is ready."),
    )
    return redirect("events:mine")


def private_calendar(request: HttpRequest, token: str) -> HttpResponse:
    # permission: whoever holds the unguessable key (calendar programs cannot sign in); a
    # wrong key is a 404; the key's owner's registered events and meetings only
    user = calendar_owner(token)
    entries = []
    for registration in selectors.my_registrations(user):
        if registration.status != RegistrationStatus.REGISTERED:
            continue
        event = registration.event
        entries.append((event, selectors.agenda_of(event, user) if event.meetings_enabled else []))
    body = calendars.personal_calendar(
        entries,
        now=timezone.now(),
        url_of=lambda e: request.build_absolute_uri(reverse("events:detail", args=[e.pk])),
        agenda_url_of=lambda e: request.build_absolute_uri(reverse("events:agenda", args=[e.pk])),
    )
    return _ics(body, "my-events.ics")
