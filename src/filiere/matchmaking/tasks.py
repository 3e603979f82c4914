"""Background work of matchmaking (django-tasks; run ``manage.py db_worker``): the suggestions
of a post or of a member. ``suggestion_runs`` publishes :class:`SuggestionsRequested` (or
dispatches it at once from a page) and the handler here enqueues the run."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from .suggestion_runs import SuggestionsRequested, execute_run


@task()
def compute_suggestions(run_id: int) -> str:
    return execute_run(run_id=run_id)


@events.handles(SuggestionsRequested)
def _compute_suggestions(event: SuggestionsRequested) -> None:
    compute_suggestions.enqueue(event.run_id)
