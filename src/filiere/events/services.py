"""Writes of the events app: events and their meeting slots (staff), registrations with a
waiting list, check-in, the private calendar key.

Registrations run under a lock on the event's row (``select_for_update``; on SQLite the
transaction's immediate mode serialises writers), so two people can never take the last place
together: capacity is never exceeded. When a registered person cancels, or the staff raise the
capacity, the first people on the waiting list (first come, first served) are registered and
:class:`WaitlistPromoted` is published; its handler (``tasks.py``) e-mails them after the commit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events as bus
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import (
    CalendarToken,
    Event,
    EventStatus,
    Meeting,
    MeetingSlot,
    Registration,
    RegistrationStatus,
)
from .permissions import manages_events

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class WaitlistPromoted:
    registration_id: int


# --- events (staff) -----------------------------------------------------------------------------


def _check_event(event: Event, slots: Sequence[Span]) -> None:
    if event.ends_at <= event.starts_at:
        raise Invalid("events.dates_order", field="ends_at")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        raise Invalid("events.window_order", field="registration_closes_at")
    if opens and opens >= event.ends_at:
        raise Invalid("events.window_after_end", field="registration_opens_at")
    if event.meetings_enabled and event.tables < 1:
        raise Invalid("events.tables_missing", field="tables")
    ordered = sorted(enumerate(slots, start=1), key=lambda item: item[1][0])
    for number, (start, end) in ordered:
        if end <= start:
            raise Invalid("events.slot_order", {"number": number}, field="slots")
        if start < event.starts_at or end > event.ends_at:
            raise Invalid("events.slot_outside", {"number": number}, field="slots")
    for (first, (_s1, end1)), (second, (start2, _e2)) in itertools.pairwise(ordered):
        if start2 < end1:
            raise Invalid("events.slot_overlap", {"first": first, "second": second}, field="slots")


@transaction.atomic
def save_event(*, event: Event, slots: Sequence[Span], by: User) -> Event:
    """Create or update ``event`` (built by the form) and its meeting slots: a slot whose times
    stay keeps its meetings and unavailabilities; one that goes must have no meeting."""
    if not manages_events(by):
        raise NotAllowed("events.not_staff")
    _check_event(event, slots)
    creating = event.pk is None
    if not creating:
        Event.objects.select_for_update().filter(pk=event.pk).first()
        registered = Registration.objects.filter(
            event_id=event.pk, status=RegistrationStatus.REGISTERED
        ).count()
        if event.capacity is not None and event.capacity < registered:
            raise Invalid(
                "events.capacity_below_registered", {"registered": registered}, field="capacity"
            )
    else:
        event.created_by = by
    event.save()
    wanted = {(start, end) for start, end in slots}
    existing = {(s.starts_at, s.ends_at): s for s in event.slots.all()}
    gone = [s.pk for key, s in existing.items() if key not in wanted]
    if gone and Meeting.objects.filter(slot_id__in=gone).exists():
        raise ServiceError("events.slots_have_meetings", field="slots")
    MeetingSlot.objects.filter(pk__in=gone).delete()
    MeetingSlot.objects.bulk_create(
        MeetingSlot(event=event, starts_at=start, ends_at=end)
        for start, end in sorted(wanted - set(existing))
    )
    if not creating:
        _promote(event)
    record(
        actor=by,
        action="events.event.created" if creating else "events.event.updated",
        obj=event,
        data={"status": event.status, "capacity": event.capacity, "slots": len(wanted)},
    )
    return event


# --- registrations ------------------------------------------------------------------------------


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _open_for_registration(event: Event, now: datetime) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ServiceError("events.cancelled")
    if event.status != EventStatus.PUBLISHED:
        raise ServiceError("events.not_published")
    if event.ends_at <= now:
        raise ServiceError("events.over")
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at).strftime("%d/%m/%Y %H:%M")
        raise ServiceError("events.registration_not_open", {"opens": opens})
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise ServiceError("events.registration_closed")


def _registered(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def register(*, event: Event, user: User, now: datetime | None = None) -> Registration:
    """Register ``user``: a place if one is left, else the end of the waiting list."""
    now = now or timezone.now()
    event = _locked(event)
    _open_for_registration(event, now)
    current = Registration.objects.filter(
        event=event,
        user=user,
        status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED),
    ).first()
    if current is not None:
        code = (
            "events.already_waitlisted"
            if current.status == RegistrationStatus.WAITLISTED
            else "events.already_registered"
        )
        raise ServiceError(code)
    full = event.capacity is not None and _registered(event) >= event.capacity
    registration = Registration.objects.create(
        event=event,
        user=user,
        status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
    )
    record(
        actor=user,
        action="events.registration.created",
        obj=event,
        data={"registration": registration.pk, "status": registration.status},
    )
    return registration


@transaction.atomic
def cancel_registration(*, event: Event, user: User, now: datetime | None = None) -> Registration:
    """Cancel ``user``'s registration (or place on the waiting list); their scheduled meetings
    are removed and the first on the waiting list takes the place."""
    now = now or timezone.now()
    event = _locked(event)
    registration = Registration.objects.filter(
        event=event,
        user=user,
        status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED),
    ).first()
    if registration is None:
        raise ServiceError("events.not_registered")
    if event.ends_at <= now:
        raise ServiceError("events.over")
    was = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    Meeting.objects.filter(request__event=event, request__sender=user).delete()
    Meeting.objects.filter(request__event=event, request__recipient=user).delete()
    record(
        actor=user,
        action="events.registration.cancelled",
        obj=event,
        data={"registration": registration.pk, "was": was},
    )
    if was == RegistrationStatus.REGISTERED:
        _promote(event, now=now)
    return registration


def _promote(event: Event, now: datetime | None = None) -> list[Registration]:
    """Inside the lock: fill the free places from the waiting list, in order of arrival."""
    if event.status == EventStatus.CANCELLED:
        return []
    waiting = Registration.objects.filter(
        event=event, status=RegistrationStatus.WAITLISTED
    ).order_by("pk")
    if event.capacity is not None:
        free = event.capacity - _registered(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now or timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        record(
            actor=None,
            action="events.registration.promoted",
            obj=event,
            data={"registration": registration.pk},
        )
        bus.publish(WaitlistPromoted(registration_id=registration.pk))
    return promoted


# --- check-in (staff) ---------------------------------------------------------------------------


@transaction.atomic
def check_in(*, registration: Registration, by: User, present: bool = True) -> Registration:
    """Mark ``registration`` present (or undo it)."""
    if not manages_events(by):
        raise NotAllowed("events.not_staff")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise ServiceError("events.checkin.not_registered")
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    record(
        actor=by,
        action="events.checkin.done" if present else "events.checkin.undone",
        obj=registration.event,
        data={"registration": registration.pk},
    )
    return registration


# --- the private calendar -----------------------------------------------------------------------


def calendar_key(*, user: User, renew: bool = False) -> str:
    """The key of ``user``'s private calendar URL, made on first use; ``renew`` replaces it
    (the old URL stops working)."""
    token, created = CalendarToken.objects.get_or_create(user=user)
    if renew and not created:
        token.delete()
        token = CalendarToken.objects.create(user=user)
    return token.token
