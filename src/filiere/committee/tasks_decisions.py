"""Background work of the committee (django-tasks; run ``manage.py db_worker``). Tasks are thin:
each runs one service; services publish an event (``calls.events``) and the handler here
enqueues the task once the transaction has committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from .services_decisions import LettersApproved
from .services_decisions import send_letters as send_letters_now


@task()
def send_letters(letter_ids: list[int], by_id: int) -> int:
    return send_letters_now(letter_ids=letter_ids, by_id=by_id)


@events.handles(LettersApproved)
def _send_letters(event: LettersApproved) -> None:
    send_letters.enqueue(list(event.letter_ids), event.by_id)
