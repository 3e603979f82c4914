"""Writes of the one-to-one meetings: a participant asks another for a meeting with a short
message, the other side accepts or declines, each marks the slots they cannot attend.

Only registered participants (not the waiting list) of an event with meetings take part; one
request per pair, whichever side asked first. The person asked is told by e-mail, and the
asker of the answer (:class:`MeetingRequested`, :class:`RequestAnswered`, after the commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events as bus
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import Event, MeetingRequest, MeetingSlot, RequestStatus, Unavailability
from .selectors import is_participant

MESSAGE_LIMIT = 500


@dataclass(frozen=True)
class MeetingRequested:
    request_id: int


@dataclass(frozen=True)
class RequestAnswered:
    request_id: int


def _participant(event: Event, user: User) -> None:
    if not event.meetings_enabled:
        raise ServiceError("events.meetings.off")
    if not is_participant(event, user.pk):
        raise NotAllowed("events.meetings.not_participant")


@transaction.atomic
def request_meeting(
    *, event: Event, sender: User, recipient_id: int, message: str = ""
) -> MeetingRequest:
    _participant(event, sender)
    message = (message or "").strip()
    if len(message) > MESSAGE_LIMIT:
        raise Invalid("events.meetings.message_too_long", {"limit": MESSAGE_LIMIT}, field="message")
    # Well-formed requests that today's participants refuse: conflicts (409), not bad input.
    if recipient_id == sender.pk:
        raise ServiceError("events.meetings.self", field="recipient")
    if not is_participant(event, recipient_id):
        raise ServiceError("events.meetings.not_participant", field="recipient")
    Event.objects.select_for_update().filter(pk=event.pk).first()  # one request per pair
    pair = Q(sender=sender, recipient_id=recipient_id) | Q(sender_id=recipient_id, recipient=sender)
    if MeetingRequest.objects.filter(pair, event=event).exists():
        raise ServiceError("events.meetings.already")
    request = MeetingRequest.objects.create(
        event=event, sender=sender, recipient_id=recipient_id, message=message
    )
    record(
        actor=sender,
        action="events.meeting.requested",
        obj=event,
        data={"request": request.pk, "recipient": recipient_id},
    )
    bus.publish(MeetingRequested(request_id=request.pk))
    return request


@transaction.atomic
def answer_request(*, request: MeetingRequest, by: User, accept: bool) -> MeetingRequest:
    """The person asked accepts or declines; the answer is final."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.recipient_id != by.pk:
        raise NotAllowed("events.meetings.not_recipient")
    _participant(request.event, by)
    if request.status != RequestStatus.PENDING:
        raise ServiceError("events.meetings.answered")
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    record(
        actor=by,
        action="events.meeting.accepted" if accept else "events.meeting.declined",
        obj=request.event,
        data={"request": request.pk},
    )
    bus.publish(RequestAnswered(request_id=request.pk))
    return request


@transaction.atomic
def set_unavailable_slots(*, event: Event, user: User, slot_ids: Iterable[int]) -> set[int]:
    """Replace ``user``'s unavailable slots of ``event`` with ``slot_ids``; the schedule
    respects them from its next run."""
    _participant(event, user)
    wanted = {int(pk) for pk in slot_ids}
    known = set(MeetingSlot.objects.filter(event=event).values_list("pk", flat=True))
    if wanted - known:
        raise Invalid("events.meetings.slot_unknown", field="slots")
    current = set(
        Unavailability.objects.filter(slot__event=event, user=user).values_list(
            "slot_id", flat=True
        )
    )
    Unavailability.objects.filter(user=user, slot_id__in=current - wanted).delete()
    Unavailability.objects.bulk_create(
        Unavailability(slot_id=pk, user=user) for pk in sorted(wanted - current)
    )
    if wanted != current:
        record(
            actor=user,
            action="events.meeting.unavailability",
            obj=event,
            data={"slots": sorted(wanted)},
        )
    return wanted
