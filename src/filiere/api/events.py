"""Events: ``/api/v1/events``, with the permissions of the pages.

- ``GET /events`` — published events, upcoming (default, soonest first) or past (``when=past``,
  latest first); public.
- ``GET /events/{id}`` — a published (or cancelled) event; public; with the caller's own
  registration when signed in. A draft is a 404.
- ``POST /events/{id}/registration`` — register the caller (``registered``, or ``waitlisted``
  when full: first come, first served); ``DELETE`` cancels it (the first on the waiting list
  then takes the place). 409 when the event does not take registrations, with the reason.
- ``GET /events/{id}/participants`` — for registered participants of an event with one-to-one
  meetings: the others' names, organisations and headlines (never an e-mail address).
- ``GET /events/{id}/agenda`` — the caller's scheduled meetings (slot, table, whom) and the
  accepted requests left out with the scheduler's reason.
- ``GET /events/{id}/meeting-requests`` (the caller's, sent and received), ``POST`` to ask a
  participant (``{"recipient": <user id>, "message": "..."}``), ``POST .../{request_id}/accept``
  and ``.../decline`` (the person asked only: 403 otherwise; once: 409).

Event-specific operations other than the public ones answer 404 to whoever is not a registered
participant (``access.event_for_participant``), as the pages do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from filiere.events import phrases, selectors, services, services_meetings
from filiere.events.access import event_for_participant, public_event, request_for_party
from filiere.events.models import Event, Registration
from filiere.events.selectors import Card, RequestRow

from .auth import OPTIONAL, SIGNED_IN, SignedInRequest
from .errors import DETAIL_ERRORS, READ_ERRORS, ErrorOut, invalid_input
from .filters import reject_unknown_parameters
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["events"])

_WRITE = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TextsOut(Schema):
    fr: str
    en: str
    nl: str


class EventOut(Schema):
    id: int
    title: str
    description: str
    #: ``meetup``, ``pitch_day``, ``partner_day`` or ``workshop``.
    kind: str
    kind_label: str
    #: ``published`` or ``cancelled``.
    status: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    territory: str | None = Field(description="The territory's code, if any.")
    capacity: int | None = Field(description="Null: no limit.")
    places_left: int | None = Field(description="Null: no limit.")
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    meetings_enabled: bool
    url: str
    ics_url: str
    texts: dict[str, TextsOut]


class RegistrationOut(Schema):
    event: int
    #: ``registered``, ``waitlisted`` or ``cancelled``.
    status: str
    #: Place on the waiting list (1: the next to get a place); 0 otherwise.
    position: int
    checked_in: bool


class EventDetailOut(EventOut):
    #: The caller's registration (null when anonymous or not registered).
    registration: RegistrationOut | None


class EventsQuery(PageQuery):
    when: Literal["upcoming", "past"] = Field(
        "upcoming", description="`upcoming` (not over yet) or `past`."
    )


class ParticipantOut(Schema):
    user: int
    name: str
    organisation: str
    headline: str


class RequestOut(Schema):
    id: int
    #: ``sent`` by the caller or ``received``.
    direction: str
    other: ParticipantOut
    message: str
    #: ``pending``, ``accepted`` or ``declined``.
    status: str
    created_at: datetime
    answered_at: datetime | None


class MeetingOut(Schema):
    starts_at: datetime
    ends_at: datetime
    table: int
    other: ParticipantOut


class UnscheduledOut(Schema):
    other: ParticipantOut
    #: The scheduler's code: ``participant_unavailable``, ``no_common_slot`` or ``capacity``.
    reason: str
    reason_text: str


class AgendaOut(Schema):
    event: int
    meetings: list[MeetingOut]
    unscheduled: list[UnscheduledOut]


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    recipient: int = Field(ge=1, le=2**62)
    message: str = Field("", max_length=services_meetings.MESSAGE_LIMIT)


REQUEST_BODY = {
    "title": "RequestIn",
    "type": "object",
    "required": ["recipient"],
    "additionalProperties": False,
    "properties": {
        "recipient": {"type": "integer", "minimum": 1, "maximum": 2**62},
        "message": {"type": "string", "maxLength": services_meetings.MESSAGE_LIMIT},
    },
}


def _event(request: HttpRequest, event: Event) -> dict[str, Any]:
    registered = getattr(event, "registered_count", None)
    return {
        "id": event.pk,
        "title": event.title,
        "description": event.description,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "status": event.status,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "venue": event.venue,
        "address": event.address,
        "territory": event.territory.code if event.territory else None,
        "capacity": event.capacity,
        "places_left": None
        if event.capacity is None
        else max(0, event.capacity - (registered or 0)),
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
        "meetings_enabled": event.meetings_enabled,
        "url": request.build_absolute_uri(reverse("events:detail", args=[event.pk])),
        "ics_url": request.build_absolute_uri(reverse("events:ics", args=[event.pk])),
        "texts": {
            name: {code: getattr(event, f"{name}_{code}") for code in ("fr", "en", "nl")}
            for name in ("title", "description")
        },
    }


def _registration(registration: Registration) -> dict[str, Any]:
    return {
        "event": registration.event_id,
        "status": registration.status,
        "position": selectors.waitlist_position(registration),
        "checked_in": registration.checked_in_at is not None,
    }


def _card(card: Card) -> dict[str, Any]:
    return {
        "user": card.user_id,
        "name": card.name,
        "organisation": card.organisation,
        "headline": card.headline,
    }


def _request(row: RequestRow) -> dict[str, Any]:
    found = row.request
    return {
        "id": found.pk,
        "direction": "sent" if row.sent else "received",
        "other": _card(row.other),
        "message": found.message,
        "status": found.status,
        "created_at": found.created_at,
        "answered_at": found.answered_at,
    }


@router.get(
    "",
    response={200: page_of(EventOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Events",
    description="Published events: upcoming (soonest first) or past (latest first).",
)
def list_events(request: HttpRequest, query: Query[EventsQuery]) -> dict[str, Any]:
    # permission: public; published events only
    reject_unknown_parameters(request, EventsQuery)
    rows = selectors.with_counts(
        selectors.published_events(now=timezone.now(), past=query.when == "past")
    )
    page = paginate(request, rows, query)
    return {**page, "results": [_event(request, e) for e in page["results"]]}


@router.get(
    "/{event_id}",
    response={200: EventDetailOut, **DETAIL_ERRORS},
    auth=OPTIONAL,
    summary="An event",
)
def event_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    # permission: public; a published or cancelled event (404 for a draft or a missing one);
    # the caller's own registration only
    event = public_event(event_id)
    event.registered_count = selectors.counts(event).registered  # type: ignore[attr-defined]
    user = request.user if request.user.is_authenticated else None
    registration = selectors.registration_of(user, event)
    return {
        **_event(request, event),
        "registration": _registration(registration) if registration else None,
    }


@router.post(
    "/{event_id}/registration",
    response={201: RegistrationOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Register for an event (or join its waiting list when full)",
)
def register(request: SignedInRequest, event_id: int) -> Status:
    # permission: signed in; a published event (404 otherwise) open to registration (409 with
    # the reason otherwise); the caller's own registration; audited
    event = public_event(event_id)
    registration = services.register(event=event, user=request.auth)
    return Status(201, _registration(registration))


@router.delete(
    "/{event_id}/registration",
    response={200: RegistrationOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Cancel my registration (the first on the waiting list gets the place)",
)
def cancel(request: SignedInRequest, event_id: int) -> dict[str, Any]:
    # permission: signed in; a published event (404 otherwise); the caller's own registration
    # (409 when there is none); audited
    event = public_event(event_id)
    registration = services.cancel_registration(event=event, user=request.auth)
    return _registration(registration)


@router.get(
    "/{event_id}/participants",
    response={200: list[ParticipantOut], **DETAIL_ERRORS},
    auth=SIGNED_IN,
    summary="The other registered participants (to request meetings)",
)
def participants(request: SignedInRequest, event_id: int) -> list[dict[str, Any]]:
    # permission: registered participants of an event with meetings (404 otherwise); names,
    # organisations and headlines only, never an e-mail address
    event, _registration = event_for_participant(request.auth, event_id)
    return [_card(card) for card in selectors.fellow_participants(event, request.auth)]


@router.get(
    "/{event_id}/agenda",
    response={200: AgendaOut, **DETAIL_ERRORS},
    auth=SIGNED_IN,
    summary="My scheduled meetings at an event",
)
def agenda(request: SignedInRequest, event_id: int) -> dict[str, Any]:
    # permission: registered participants of an event with meetings, their own agenda only
    # (404 otherwise)
    event, _registration = event_for_participant(request.auth, event_id)
    return {
        "event": event.pk,
        "meetings": [
            {
                "starts_at": row.slot.starts_at,
                "ends_at": row.slot.ends_at,
                "table": row.table,
                "other": _card(row.other),
            }
            for row in selectors.agenda_of(event, request.auth)
        ],
        "unscheduled": [
            {
                "other": _card(item.other),
                "reason": item.reason,
                "reason_text": phrases.unscheduled_reason(item.reason),
            }
            for item in selectors.unscheduled_of(event, request.auth)
        ],
    }


class RequestsQuery(PageQuery):
    pass


@router.get(
    "/{event_id}/meeting-requests",
    response={200: page_of(RequestOut), **DETAIL_ERRORS, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="My meeting requests at an event, sent and received",
)
def meeting_requests(
    request: SignedInRequest, event_id: int, query: Query[RequestsQuery]
) -> dict[str, Any]:
    # permission: registered participants of an event with meetings (404 otherwise); their
    # own requests only
    event, _registration = event_for_participant(request.auth, event_id)
    page = paginate(request, selectors.requests_of(event, request.auth), query)
    return {**page, "results": [_request(row) for row in page["results"]]}


@router.post(
    "/{event_id}/meeting-requests",
    response={201: RequestOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Ask another participant for a one-to-one meeting",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": REQUEST_BODY}},
        }
    },
)
def create_request(request: SignedInRequest, event_id: int) -> Status:
    # permission: registered participants of an event with meetings (404 otherwise, before the
    # body is read); the recipient must be another registered participant (422); one request
    # per pair (409); audited, the recipient told by e-mail
    event, _registration = event_for_participant(request.auth, event_id)
    try:
        payload = RequestIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]) or "__all__"
            fields.setdefault(name, []).append(_("This value is not valid."))
        raise invalid_input(fields) from None
    created = services_meetings.request_meeting(
        event=event, sender=request.auth, recipient_id=payload.recipient, message=payload.message
    )
    (row,) = [r for r in selectors.requests_of(event, request.auth) if r.request.pk == created.pk]
    return Status(201, _request(row))


def _answer(
    request: SignedInRequest, event_id: int, request_id: int, accept: bool
) -> dict[str, Any]:
    event, _registration = event_for_participant(request.auth, event_id)
    found = request_for_party(request.auth, event, request_id)
    services_meetings.answer_request(request=found, by=request.auth, accept=accept)
    (row,) = [r for r in selectors.requests_of(event, request.auth) if r.request.pk == found.pk]
    return _request(row)


@router.post(
    "/{event_id}/meeting-requests/{request_id}/accept",
    response={200: RequestOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Accept a meeting request",
)
def accept(request: SignedInRequest, event_id: int, request_id: int) -> dict[str, Any]:
    # permission: registered participants (404 otherwise); a request they sent or received
    # (404 otherwise); only the person asked (403); once (409); audited, the asker told
    return _answer(request, event_id, request_id, True)


@router.post(
    "/{event_id}/meeting-requests/{request_id}/decline",
    response={200: RequestOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Decline a meeting request",
)
def decline(request: SignedInRequest, event_id: int, request_id: int) -> dict[str, Any]:
    # permission: as accept
    return _answer(request, event_id, request_id, False)
