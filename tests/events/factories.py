"""Events test data: events (published, with or without meetings), registrations, requests."""

import datetime as dt

from django.utils import timezone

from filiere.accounts.models import Role
from filiere.events.models import (
    Event,
    EventKind,
    EventStatus,
    MeetingRequest,
    MeetingSlot,
    Registration,
    RegistrationStatus,
    RequestStatus,
)
from tests.accounts.factories import UserFactory, user_with_role


def staff():
    return user_with_role(Role.STAFF)


def event(*, capacity=None, meetings=False, slots=0, tables=2, days=10, **fields) -> Event:
    """A published partner day ``days`` from now, 9:00-17:00 UTC; ``slots`` 20-minute slots."""
    start = (timezone.now() + dt.timedelta(days=days)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    values = {
        "title_fr": "Journée partenaires",
        "title_en": "Partner day",
        "kind": EventKind.PARTNER_DAY,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=8),
        "venue": "Plaine Images",
        "address": "99A boulevard Descat, Tourcoing",
        "status": EventStatus.PUBLISHED,
        "capacity": capacity,
        "meetings_enabled": meetings,
        "tables": tables if meetings else 0,
        "created_by": fields.pop("created_by", None) or UserFactory(),
    }
    values.update(fields)
    created = Event.objects.create(**values)
    for k in range(slots):
        begin = start + dt.timedelta(hours=1, minutes=20 * k)
        MeetingSlot.objects.create(
            event=created, starts_at=begin, ends_at=begin + dt.timedelta(minutes=20)
        )
    return created


def registered(the_event: Event, user=None) -> Registration:
    return Registration.objects.create(
        event=the_event, user=user or UserFactory(), status=RegistrationStatus.REGISTERED
    )


def accepted(the_event: Event, a, b, message="") -> MeetingRequest:
    return MeetingRequest.objects.create(
        event=the_event, sender=a, recipient=b, message=message, status=RequestStatus.ACCEPTED
    )
