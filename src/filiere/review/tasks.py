"""Background work of the review app (django-tasks; run ``manage.py db_worker``).

Tasks are thin: each runs one service. Services never import this module: they publish an event
(``calls.events``) in their transaction, and the handler below enqueues the task once it has
committed.
"""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from .services_assignment import (
    AssignmentRequested,
    AssignmentsPublished,
    execute_assignment_run,
    send_assignment_emails,
)


@task()
def run_assignment(run_id: int) -> str:
    return execute_assignment_run(run_id=run_id)


@events.handles(AssignmentRequested)
def _run_assignment(event: AssignmentRequested) -> None:
    run_assignment.enqueue(event.run_id)


@task()
def tell_assigned_experts(call_id: int, expert_ids: list[int]) -> int:
    return send_assignment_emails(call_id=call_id, expert_ids=expert_ids)


@events.handles(AssignmentsPublished)
def _tell_assigned_experts(event: AssignmentsPublished) -> None:
    tell_assigned_experts.enqueue(event.call_id, list(event.expert_ids))
