"""Background work of the committee (django-tasks; run ``manage.py db_worker``). Tasks are thin:
each runs one service; services publish an event (``calls.events``) and the handler here
enqueues the task once the transaction has committed."""

from __future__ import annotations
