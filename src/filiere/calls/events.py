"""What a service did, for the background work that follows once its transaction commits.

Services never enqueue a task themselves (``tasks.py`` imports the services it runs, so the
reverse would be a cycle): a service publishes an event, a plain record of what happened (an
upload, a submission, a transition with its code), with :func:`publish` inside its transaction.
The handler that ``tasks.py`` registered for the event's type enqueues the task (an antivirus
scan, the receipt, the e-mails built from the event by ``notifications.py``): in the same
transaction when the queue is a table of the database, else once it commits. Nothing follows a
change that was rolled back.

One handler per event type; ``CallsConfig.ready()`` imports ``tasks.py``, so every handler is
registered before a request or a worker runs. An event without a handler is a programming error:
:func:`dispatch` raises instead of losing the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

__all__ = [
    "ApplicationSubmitted",
    "ApplicationTransitioned",
    "AttachmentUploaded",
    "DocumentUploaded",
    "DocumentsExportRequested",
    "MessagePosted",
    "RulesPdfUploaded",
    "TeamMemberInvited",
    "dispatch",
    "handles",
    "publish",
]


@dataclass(frozen=True)
class DocumentUploaded:
    document_id: int


@dataclass(frozen=True)
class RulesPdfUploaded:
    call_id: int


@dataclass(frozen=True)
class AttachmentUploaded:
    message_id: int


@dataclass(frozen=True)
class MessagePosted:
    message_id: int


@dataclass(frozen=True)
class ApplicationSubmitted:
    submission_id: int


@dataclass(frozen=True)
class ApplicationTransitioned:
    """Transition ``code`` fired on an application by ``actor_id`` (``None``: the system)."""

    application_id: int
    code: str
    reason: str
    actor_id: int | None


@dataclass(frozen=True)
class TeamMemberInvited:
    """An invitation to an application's team, to be e-mailed to its address."""

    member_id: int


@dataclass(frozen=True)
class DocumentsExportRequested:
    job_id: int


E = TypeVar("E")

_handlers: dict[type, Callable[[Any], None]] = {}


def handles(event_type: type[E]) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register the decorated function as the handler of ``event_type`` (``tasks.py``)."""

    def register(handler: Callable[[E], None]) -> Callable[[E], None]:
        _handlers[event_type] = handler
        return handler

    return register


def _handler_of(event: object) -> Callable[[Any], None]:
    try:
        return _handlers[type(event)]
    except KeyError:
        raise LookupError(
            f"no handler for {type(event).__name__}: is calls.tasks loaded?"
        ) from None


def dispatch(event: object) -> None:
    """Run the handler of ``event`` now (for a service whose event needs a value known only
    at the commit, such as the primary key of a row its caller saves later)."""
    _handler_of(event)(event)


def _queue_shares_the_transaction() -> bool:
    """True when the task queue is a table of this database (django-tasks-db, production's
    backend): a task enqueued inside the transaction is then committed with the change or rolled
    back with it (a transactional outbox), and no process can die between the two."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def publish(event: object) -> None:
    """Inside the service's transaction: the event's task is queued with the change, or after
    the commit when the queue lives elsewhere (at once outside a transaction). Either way
    nothing follows a change that was rolled back. Raises here, without a handler.

    Queued after the commit, a receipt was lost when the app server was killed between the
    commit and the callback (docs/deploy/layout.md): with the database queue it is not."""
    handler = _handler_of(event)
    if _queue_shares_the_transaction():
        handler(event)  # every handler only enqueues: its row is part of the transaction
    else:
        transaction.on_commit(lambda: handler(event))
