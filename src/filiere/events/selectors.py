"""Reads of the events app: lists, counts, a person's registrations, the participants' cards
(name, organisation, headline: never an e-mail address) and meeting requests, agendas."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from filiere.accounts.models import User
from filiere.community.models import Affiliation, Person, Visibility

from .models import (
    CalendarToken,
    Event,
    EventStatus,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    Registration,
    RegistrationStatus,
    RequestStatus,
    ScheduleRun,
    Unavailability,
)

LIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


def published_events(*, now: datetime, past: bool) -> QuerySet[Event]:
    """Published events: upcoming (not yet over, soonest first) or past (latest first)."""
    events = Event.objects.filter(status=EventStatus.PUBLISHED).select_related("territory")
    if past:
        return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return events.filter(ends_at__gt=now).order_by("starts_at", "pk")


def staff_events(*, now: datetime, past: bool) -> QuerySet[Event]:
    """Every event, drafts and cancelled ones included, with its counts."""
    events = with_counts(Event.objects.select_related("territory"))
    if past:
        return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return events.filter(ends_at__gt=now).order_by("starts_at", "pk")


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
        attended_count=Count(
            "registrations",
            filter=Q(
                registrations__status=RegistrationStatus.REGISTERED,
                registrations__checked_in_at__isnull=False,
            ),
        ),
    )


@dataclass(frozen=True)
class Counts:
    registered: int
    waitlisted: int
    checked_in: int

    def places_left(self, capacity: int | None) -> int | None:
        return None if capacity is None else max(0, capacity - self.registered)


def counts(event: Event) -> Counts:
    rows = Registration.objects.filter(event=event)
    found = rows.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        checked_in=Count(
            "pk", filter=Q(status=RegistrationStatus.REGISTERED, checked_in_at__isnull=False)
        ),
    )
    return Counts(found["registered"], found["waitlisted"], found["checked_in"])


def registration_of(user: User | None, event: Event) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user_id=user.pk, status__in=LIVE).first()


def waitlist_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            pk__lte=registration.pk,
        ).count()
        if registration.status == RegistrationStatus.WAITLISTED
        else 0
    )


def my_registrations(user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user, status__in=LIVE)
        .select_related("event__territory")
        .order_by("-event__starts_at", "-pk")
    )


def participants(event: Event, *, statuses: Iterable[str] = LIVE) -> QuerySet[Registration]:
    """For the staff: registrations with their account, in order of arrival."""
    return (
        Registration.objects.filter(event=event, status__in=list(statuses))
        .select_related("user")
        .order_by("pk")
    )


def check_in_list(event: Event) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def slots_of(event: Event) -> list[MeetingSlot]:
    return list(event.slots.order_by("starts_at", "pk"))


# --- participants' cards ------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """What a participant shows the others: never their e-mail address."""

    user_id: int
    name: str
    organisation: str
    headline: str


def _shown(person: Person, field: str) -> bool:
    visibility = (person.field_visibility or {}).get(field, person.visibility)
    return visibility != Visibility.PRIVATE and person.visibility != Visibility.PRIVATE


def cards(user_ids: Iterable[int]) -> dict[int, Card]:
    ids = sorted(set(user_ids))
    people = {
        p.user_id: p
        for p in Person.objects.filter(user_id__in=ids).prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.filter(end_date__isnull=True).select_related(
                    "organisation"
                ),
            )
        )
    }
    found = {}
    for user in User.objects.filter(pk__in=ids).only("pk", "first_name", "last_name"):
        person = people.get(user.pk)
        name = user.get_full_name()
        organisation = headline = ""
        if person is not None:
            name = person.display_name or name
            if _shown(person, "organisations"):
                names = [a.organisation.name for a in person.affiliations.all()]
                organisation = ", ".join(dict.fromkeys(names))
            if _shown(person, "headline"):
                headline = person.headline
        found[user.pk] = Card(user.pk, name or _("A participant"), organisation, headline)
    return found


def fellow_participants(event: Event, viewer: User) -> list[Card]:
    """The other registered participants, by name."""
    ids = (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
        .exclude(user_id=viewer.pk)
        .values_list("user_id", flat=True)
    )
    return sorted(cards(ids).values(), key=lambda c: (c.name.lower(), c.user_id))


def is_participant(event: Event, user_id: int) -> bool:
    return Registration.objects.filter(
        event=event, user_id=user_id, status=RegistrationStatus.REGISTERED
    ).exists()


# --- meeting requests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    request: MeetingRequest
    other: Card
    sent: bool
    meeting: Meeting | None


def requests_of(event: Event, user: User) -> list[RequestRow]:
    found = list(
        MeetingRequest.objects.filter(event=event)
        .filter(Q(sender=user) | Q(recipient=user))
        .select_related("meeting__slot")
        .order_by("-pk")
    )
    others = cards(r.recipient_id if r.sender_id == user.pk else r.sender_id for r in found)
    return [
        RequestRow(
            request=r,
            other=others[r.recipient_id if r.sender_id == user.pk else r.sender_id],
            sent=r.sender_id == user.pk,
            meeting=getattr(r, "meeting", None),
        )
        for r in found
    ]


def unavailable_slot_ids(event: Event, user: User) -> set[int]:
    return set(
        Unavailability.objects.filter(slot__event=event, user=user).values_list(
            "slot_id", flat=True
        )
    )


# --- agendas ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    meeting: Meeting
    slot: MeetingSlot
    table: int
    other: Card
    message: str


def agenda_of(event: Event, user: User) -> list[AgendaRow]:
    meetings = list(
        Meeting.objects.filter(request__event=event)
        .filter(Q(request__sender=user) | Q(request__recipient=user))
        .select_related("slot", "request")
        .order_by("slot__starts_at", "table")
    )
    others = cards(
        m.request.recipient_id if m.request.sender_id == user.pk else m.request.sender_id
        for m in meetings
    )
    return [
        AgendaRow(
            meeting=m,
            slot=m.slot,
            table=m.table,
            other=others[
                m.request.recipient_id if m.request.sender_id == user.pk else m.request.sender_id
            ],
            message=m.request.message,
        )
        for m in meetings
    ]


@dataclass(frozen=True)
class UnscheduledRow:
    other: Card
    reason: str


def unscheduled_of(event: Event, user: User) -> list[UnscheduledRow]:
    """The user's accepted requests the latest finished run left out, with the engine's code."""
    run = latest_finished_run(event)
    if run is None or not run.unscheduled:
        return []
    ids = [int(pk) for pk in run.unscheduled]
    found = list(
        MeetingRequest.objects.filter(
            event=event, pk__in=ids, status=RequestStatus.ACCEPTED, meeting__isnull=True
        ).filter(Q(sender=user) | Q(recipient=user))
    )
    others = cards(r.recipient_id if r.sender_id == user.pk else r.sender_id for r in found)
    return [
        UnscheduledRow(
            other=others[r.recipient_id if r.sender_id == user.pk else r.sender_id],
            reason=run.unscheduled[str(r.pk)],
        )
        for r in found
    ]


@dataclass(frozen=True)
class LeftOut:
    first: Card
    second: Card
    reason: str


def left_out(run: ScheduleRun) -> list[LeftOut]:
    """For the staff: each accepted request the run left out, its two sides and reason code."""
    codes = run.unscheduled or {}
    found = list(
        MeetingRequest.objects.filter(event_id=run.event_id, pk__in=[int(pk) for pk in codes])
    )
    people = cards([r.sender_id for r in found] + [r.recipient_id for r in found])
    return [LeftOut(people[r.sender_id], people[r.recipient_id], codes[str(r.pk)]) for r in found]


def latest_run(event: Event) -> ScheduleRun | None:
    return event.schedule_runs.order_by("-pk").first()


def latest_finished_run(event: Event) -> ScheduleRun | None:
    return event.schedule_runs.filter(status="done").order_by("-pk").first()


def calendar_token(user: User) -> str | None:
    """The key of the user's private calendar, if they made one."""
    return CalendarToken.objects.filter(user=user).values_list("token", flat=True).first()
