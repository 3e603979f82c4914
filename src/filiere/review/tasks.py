"""Background work of the review app (django-tasks; run ``manage.py db_worker``).

Tasks are thin: each runs one service. Services never import this module: they publish an event
(``calls.events``) in their transaction, and the handler below enqueues the task once it has
committed.
"""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from .services_assignment import AssignmentRequested, execute_assignment_run


@task()
def run_assignment(run_id: int) -> str:
    return execute_assignment_run(run_id=run_id)


@events.handles(AssignmentRequested)
def _run_assignment(event: AssignmentRequested) -> None:
    run_assignment.enqueue(event.run_id)
