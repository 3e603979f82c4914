"""The meetings' schedule: the staff ask for a run, the background task computes it with
``filiere.engine.schedule`` and stores the meetings.

``request_schedule`` creates the run (waiting) and publishes :class:`ScheduleRequested`;
``tasks.py`` enqueues ``run_schedule`` once it has committed, which calls
:func:`execute_schedule`: the event is read once into the engine's plain data (registered
participants, their unavailable slots, slots, tables, accepted requests between registered
participants), the engine decides, this module writes the meetings and audits.

Re-running keeps what can be kept: every request is worth ``K`` (more than all the others'
bonuses together) plus 1 when it was already scheduled, so the engine schedules as many
meetings as possible and, among such schedules, keeps as many of the current meetings as it can;
a meeting kept in its slot keeps its table. The people whose agenda changed are told once per
run (:class:`AgendasChanged`, after the commit).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events as bus
from filiere.engine import schedule as engine
from filiere.errors import NotAllowed, ServiceError

from .models import (
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Unavailability,
)
from .permissions import manages_events

logger = logging.getLogger(__name__)

#: Seconds the engine may search; it reports the proven gap when it stops before the optimum.
TIME_LIMIT = 10.0


@dataclass(frozen=True)
class ScheduleRequested:
    run_id: int


@dataclass(frozen=True)
class AgendasChanged:
    run_id: int
    event_id: int
    user_ids: tuple[int, ...]


@transaction.atomic
def request_schedule(*, event: Event, by: User) -> ScheduleRun:
    if not manages_events(by):
        raise NotAllowed("events.not_staff")
    if not event.meetings_enabled:
        raise ServiceError("events.meetings.off")
    if not event.slots.exists():
        raise ServiceError("events.schedule.no_slots")
    if event.tables < 1:
        raise ServiceError("events.schedule.no_tables")
    run = ScheduleRun.objects.create(event=event, requested_by=by)
    record(actor=by, action="events.schedule.requested", obj=event, data={"run": run.pk})
    bus.publish(ScheduleRequested(run_id=run.pk))
    return run


@dataclass(frozen=True)
class Snapshot:
    participants: list[engine.Participant]
    slots: list[engine.Slot]
    requests: list[engine.MeetingRequest]
    tables: int
    previous: dict[int, tuple[int, int]]  # request id -> (slot id, table)
    pairs: dict[int, tuple[int, int]]  # request id -> (sender, recipient)


def snapshot(event: Event) -> Snapshot:
    """The event as the engine's plain data, read once."""
    people = set(
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).values_list(
            "user_id", flat=True
        )
    )
    slots = list(event.slots.order_by("starts_at", "pk").values_list("pk", flat=True))
    unavailable: dict[int, set[str]] = defaultdict(set)
    for user_id, slot_id in Unavailability.objects.filter(slot__event=event).values_list(
        "user_id", "slot_id"
    ):
        unavailable[user_id].add(str(slot_id))
    accepted = [
        (pk, a, b)
        for pk, a, b in MeetingRequest.objects.filter(
            event=event, status=RequestStatus.ACCEPTED
        ).values_list("pk", "sender_id", "recipient_id")
        if a in people and b in people
    ]
    previous = {
        request_id: (slot_id, table)
        for request_id, slot_id, table in Meeting.objects.filter(request__event=event).values_list(
            "request_id", "slot_id", "table"
        )
    }
    worth = len(accepted) + 1
    return Snapshot(
        participants=[
            engine.Participant(str(pk), frozenset(unavailable[pk])) for pk in sorted(people)
        ],
        slots=[engine.Slot(str(pk), order=k) for k, pk in enumerate(slots)],
        requests=[
            engine.MeetingRequest(str(pk), str(a), str(b), worth + (pk in previous))
            for pk, a, b in accepted
        ],
        tables=event.tables,
        previous=previous,
        pairs={pk: (a, b) for pk, a, b in accepted},
    )


def execute_schedule(*, run_id: int) -> str:
    """The background part: compute, store, tell; returns the run's status. An engine refusal
    fails the run with its code; anything else is logged and fails it with ``failed``."""
    claimed = ScheduleRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING
    )
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    if not claimed:
        return run.status
    try:
        data = snapshot(run.event)
        result = engine.schedule(
            data.participants, data.slots, data.requests, data.tables, time_limit=TIME_LIMIT
        )
        store(run, data, result)
    except engine.ScheduleError as error:
        return _fail(run, error.code)
    except Exception:
        logger.exception("schedule run %s failed", run.pk)
        return _fail(run, "failed")
    return RunStatus.DONE


def _fail(run: ScheduleRun, code: str) -> str:
    ScheduleRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error=code, finished_at=timezone.now()
    )
    return RunStatus.FAILED


def _tables(
    result: engine.ScheduleResult, previous: dict[int, tuple[int, int]], tables: int
) -> dict[int, tuple[int, int]]:
    """request id -> (slot id, table): a meeting kept in its slot keeps its table."""
    by_slot: dict[int, list[int]] = defaultdict(list)
    for meeting in result.meetings:
        by_slot[int(meeting.slot)].append(int(meeting.request))
    placed: dict[int, tuple[int, int]] = {}
    for slot, requests in by_slot.items():
        taken: set[int] = set()
        moving = []
        for request in sorted(requests):
            before = previous.get(request)
            if before and before[0] == slot and before[1] <= tables and before[1] not in taken:
                placed[request] = (slot, before[1])
                taken.add(before[1])
            else:
                moving.append(request)
        free = (t for t in range(1, max(tables, len(requests)) + 1) if t not in taken)
        for request in moving:
            placed[request] = (slot, next(free))
    return placed


def _agendas(
    meetings: dict[int, tuple[int, int]], pairs: dict[int, tuple[int, int]]
) -> dict[int, set[tuple[int, int, int]]]:
    agendas: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    for request, (slot, table) in meetings.items():
        for person in pairs[request]:
            agendas[person].add((request, slot, table))
    return agendas


@transaction.atomic
def store(run: ScheduleRun, data: Snapshot, result: engine.ScheduleResult) -> None:
    event = Event.objects.select_for_update().get(pk=run.event_id)
    placed = _tables(result, data.previous, data.tables)
    before_pairs = {
        pk: (a, b)
        for pk, a, b in MeetingRequest.objects.filter(pk__in=list(data.previous)).values_list(
            "pk", "sender_id", "recipient_id"
        )
    }
    before = _agendas(data.previous, before_pairs)
    after = _agendas(placed, data.pairs)
    changed = tuple(sorted(p for p in set(before) | set(after) if before[p] != after[p]))
    Meeting.objects.filter(request__event=event).delete()
    Meeting.objects.bulk_create(
        Meeting(request_id=request, slot_id=slot, table=table, run=run)
        for request, (slot, table) in sorted(placed.items())
    )
    worth = len(data.requests) + 1
    fields: dict[str, Any] = {
        "status": RunStatus.DONE,
        "finished_at": timezone.now(),
        "outcome": result.status,
        "gap": result.gap,
        "scheduled": len(result.meetings),
        "bound": result.bound // worth,
        "accepted": len(data.requests),
        "seconds": round(result.seconds, 3),
        "unscheduled": {u.request: u.reason for u in result.unscheduled},
        "notified": len(changed),
    }
    ScheduleRun.objects.filter(pk=run.pk).update(**fields)
    record(
        actor=run.requested_by,
        action="events.schedule.done",
        obj=event,
        data={
            "run": run.pk,
            "outcome": result.status,
            "scheduled": len(result.meetings),
            "bound": fields["bound"],
            "gap": result.gap,
            "changed": len(changed),
        },
    )
    if changed:
        bus.publish(AgendasChanged(run_id=run.pk, event_id=event.pk, user_ids=changed))
