"""What the current log line is about: the request being answered or the task being run.

The request id itself lives in ``filiere.audit.context`` (``current_request_id``): the audit log
records it and audit imports no app. These two are read by the log filter (``logs.py``)."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class TaskInfo:
    id: str
    name: str


current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
current_task: ContextVar[TaskInfo | None] = ContextVar("current_task", default=None)
