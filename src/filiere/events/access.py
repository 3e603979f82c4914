"""The events' gatekeepers: each answers the same 404 for "missing" and "not yours".

- ``public_event``: a published (or cancelled) event, for everyone.
- ``event_for_staff``: any event, for the staff.
- ``event_for_participant``: an event with one-to-one meetings the user is registered for
  (not on the waiting list), with the registration.
- ``request_for_party``: a meeting request of that event the user sent or received.
- ``calendar_owner``: the account whose private calendar key this is.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from filiere.accounts.models import User
from filiere.accounts.types import AnyUser

from .models import (
    CalendarToken,
    Event,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    ScheduleRun,
)
from .permissions import is_public, manages_events


def public_event(pk: int) -> Event:
    event = Event.objects.select_related("territory").filter(pk=pk).first()
    if event is None or not is_public(event):
        raise Http404
    return event


def event_for_staff(user: AnyUser, pk: int) -> Event:
    event = Event.objects.select_related("territory").filter(pk=pk).first()
    if event is None or not manages_events(user):
        raise Http404
    return event


def event_for_participant(user: AnyUser, pk: int) -> tuple[Event, Registration]:
    event = public_event(pk)
    registration = None
    if user.is_authenticated and event.meetings_enabled:
        registration = Registration.objects.filter(
            event=event, user_id=user.pk, status=RegistrationStatus.REGISTERED
        ).first()
    if registration is None:
        raise Http404
    return event, registration


def request_for_party(user: AnyUser, event: Event, pk: int) -> MeetingRequest:
    found = (
        MeetingRequest.objects.filter(event=event, pk=pk)
        .filter(Q(sender_id=user.pk) | Q(recipient_id=user.pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def run_for_staff(user: AnyUser, event: Event, pk: int) -> ScheduleRun:
    run = ScheduleRun.objects.filter(event=event, pk=pk).first()
    if run is None or not manages_events(user):
        raise Http404
    return run


def calendar_owner(token: str) -> User:
    if not token or len(token) > 64:
        raise Http404
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    return found.user
