"""Background work of the events app (django-tasks; run ``manage.py db_worker``). Tasks are thin:
each runs one service or notification; services publish an event (``calls.events``) and the
handlers here enqueue the task once the transaction has committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events as bus

from . import notifications
from .services import WaitlistPromoted
from .services_meetings import MeetingRequested, RequestAnswered
from .services_schedule import AgendasChanged, ScheduleRequested, execute_schedule


@task()
def run_schedule(run_id: int) -> str:
    return execute_schedule(run_id=run_id)


@task()
def send_promoted(registration_id: int) -> int:
    return notifications.send_promoted(registration_id=registration_id)


@task()
def send_request(request_id: int) -> int:
    return notifications.send_request(request_id=request_id)


@task()
def send_answer(request_id: int) -> int:
    return notifications.send_answer(request_id=request_id)


@task()
def send_agenda_changed(event_id: int, user_ids: list[int]) -> int:
    return notifications.send_agenda_changed(event_id=event_id, user_ids=user_ids)


@bus.handles(ScheduleRequested)
def _run_schedule(event: ScheduleRequested) -> None:
    run_schedule.enqueue(event.run_id)


@bus.handles(WaitlistPromoted)
def _promoted(event: WaitlistPromoted) -> None:
    send_promoted.enqueue(event.registration_id)


@bus.handles(MeetingRequested)
def _requested(event: MeetingRequested) -> None:
    send_request.enqueue(event.request_id)


@bus.handles(RequestAnswered)
def _answered(event: RequestAnswered) -> None:
    send_answer.enqueue(event.request_id)


@bus.handles(AgendasChanged)
def _agendas(event: AgendasChanged) -> None:
    send_agenda_changed.enqueue(event.event_id, list(event.user_ids))
