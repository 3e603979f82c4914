"""The events app's codes in words: its services' refusals (registered for the ``events.``
prefix in ``apps.py``), and the meeting scheduler's codes (``engine.schedule``): why an accepted
request was left out of the schedule, and why a run failed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFUSALS: dict[str, Promise] = {
    "events.not_staff": gettext_lazy("Only the platform's staff manage events."),
    "events.dates_order": gettext_lazy("The event must end after it starts."),
    "events.window_order": gettext_lazy("Registration must close after it opens."),
    "events.window_after_end": gettext_lazy("Registration must open before the event ends."),
    "events.tables_missing": gettext_lazy(
        "Give at least one table: one-to-one meetings need somewhere to sit."
    ),
    "events.capacity_below_registered": gettext_lazy(
        "%(registered)s people are already registered: the capacity cannot be lower."
    ),
    "events.slot_order": gettext_lazy("Slot %(number)s must end after it starts."),
    "events.slot_outside": gettext_lazy("Slot %(number)s must lie within the event's dates."),
    "events.slot_overlap": gettext_lazy("Slots %(first)s and %(second)s overlap."),
    "events.slots_have_meetings": gettext_lazy(
        "Meetings are scheduled in the slots you removed or changed: run the schedule again "
        "after the change, or keep those slots."
    ),
    "events.not_published": gettext_lazy("This event is not open to registration."),
    "events.cancelled": gettext_lazy("This event was cancelled."),
    "events.over": gettext_lazy("This event is over."),
    "events.registration_not_open": gettext_lazy("Registration opens on %(opens)s."),
    "events.registration_closed": gettext_lazy("Registration is closed."),
    "events.already_registered": gettext_lazy("You are already registered for this event."),
    "events.already_waitlisted": gettext_lazy("You are already on the waiting list."),
    "events.not_registered": gettext_lazy("You are not registered for this event."),
    "events.checkin.not_registered": gettext_lazy(
        "Only registered participants are checked in (not the waiting list)."
    ),
    "events.meetings.off": gettext_lazy("This event has no one-to-one meetings."),
    "events.meetings.not_participant": gettext_lazy(
        "Meetings are between registered participants of the event."
    ),
    "events.meetings.self": gettext_lazy("You cannot request a meeting with yourself."),
    "events.meetings.already": gettext_lazy(
        "There is already a meeting request between you and this person."
    ),
    "events.meetings.not_recipient": gettext_lazy("Only the person asked answers this request."),
    "events.meetings.answered": gettext_lazy("This request was already answered."),
    "events.meetings.message_too_long": gettext_lazy(
        "Keep the message under %(limit)s characters."
    ),
    "events.meetings.slot_unknown": gettext_lazy("Choose slots of this event."),
    "events.schedule.no_slots": gettext_lazy("Add the meeting slots before scheduling."),
    "events.schedule.no_tables": gettext_lazy("Give the number of tables before scheduling."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for an ``events.`` code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)


#: Why the engine left an accepted request out (``engine.schedule``'s reason codes).
UNSCHEDULED: dict[str, Promise] = {
    "participant_unavailable": gettext_lazy(
        "One of the two people is unavailable in every slot that has a table."
    ),
    "no_common_slot": gettext_lazy("The two people have no free slot in common."),
    "capacity": gettext_lazy(
        "They share free slots, but those slots' tables or their agendas were needed for "
        "other meetings: no schedule fits more meetings."
    ),
}

#: Why a run failed (``engine.schedule.ScheduleError`` codes, and ``failed`` for the rest).
RUN_ERRORS: dict[str, Promise] = {
    "duplicate_participant": gettext_lazy("A participant was counted twice."),
    "duplicate_slot": gettext_lazy("A slot was counted twice."),
    "duplicate_request": gettext_lazy("A meeting request was counted twice."),
    "duplicate_pair": gettext_lazy("Two accepted requests join the same two people."),
    "unknown_slot": gettext_lazy("An unavailability names a slot the event does not have."),
    "unknown_participant": gettext_lazy("A request names someone who is not a participant."),
    "self_meeting": gettext_lazy("A request asks someone to meet themselves."),
    "bad_weight": gettext_lazy("A request has an invalid weight."),
    "negative_tables": gettext_lazy("The number of tables cannot be negative."),
    "bad_time_limit": gettext_lazy("The time limit must be positive."),
    "bad_num_workers": gettext_lazy("The solver needs at least one worker."),
    "solver_failed": gettext_lazy("The solver failed; run the schedule again."),
    "failed": gettext_lazy("The computation failed; run the schedule again."),
}


def unscheduled_reason(code: str) -> str:
    text = UNSCHEDULED.get(code)
    return str(text) if text is not None else _("Not scheduled (%(code)s).") % {"code": code}


def run_error(code: str) -> str:
    text = RUN_ERRORS.get(code)
    return str(text) if text is not None else str(RUN_ERRORS["failed"])
