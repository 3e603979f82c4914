"""Background work of the observatory (django-tasks; run ``manage.py db_worker``). The task is
thin: it runs one service; ``services.request_refresh`` publishes :class:`RefreshRequested` and
the handler here enqueues the refresh once the transaction has committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from .services import RefreshRequested, execute_refresh


@task()
def refresh_figures(snapshot_id: int) -> str:
    return execute_refresh(snapshot_id=snapshot_id)


@events.handles(RefreshRequested)
def _refresh_figures(event: RefreshRequested) -> None:
    refresh_figures.enqueue(event.snapshot_id)
