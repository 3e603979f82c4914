"""The request id carried from the request that enqueues a task into the worker that runs it.

One generic hook for every app's tasks, through django-tasks' signals, instead of an argument
added to each task: when a task is enqueued during a request, its request id is written next to
the task's arguments in django-tasks-db's row (``args_kwargs["request_id"]``, which the worker
does not pass to the task); when the worker starts it, the id and the task (``context.py``) are
set for its log lines and audit entries, and put back as they were when it finishes. With the
immediate backend (tests, development) the task runs inside the request, which already has them.
"""

from __future__ import annotations

from contextvars import Token
from typing import Any

from django_tasks.signals import task_enqueued, task_finished, task_started

from filiere.audit.context import current_request_id

from .context import TaskInfo, current_task
from .request_ids import is_safe

KEY = "request_id"
_running: dict[str, tuple[Token[str] | None, Token[TaskInfo | None]]] = {}


def remember_request_id(sender: Any, task_result: Any, **kwargs: Any) -> None:
    request_id = current_request_id.get()
    row = getattr(task_result, "db_result", None)  # django-tasks-db's stored task
    if not request_id or row is None:
        return
    row.args_kwargs = {**row.args_kwargs, KEY: request_id}
    row.save(update_fields=["args_kwargs"])


def enter_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    row = getattr(task_result, "db_result", None)
    stored = row.args_kwargs.get(KEY, "") if row is not None else ""
    id_token = current_request_id.set(stored) if stored and is_safe(stored) else None
    task = TaskInfo(id=str(task_result.id), name=task_result.task.module_path)
    _running[task.id] = (id_token, current_task.set(task))


def leave_task(sender: Any, task_result: Any, **kwargs: Any) -> None:
    tokens = _running.pop(str(task_result.id), None)
    if tokens is None:
        return
    id_token, task_token = tokens
    current_task.reset(task_token)
    if id_token is not None:
        current_request_id.reset(id_token)


def connect() -> None:
    task_enqueued.connect(remember_request_id, dispatch_uid="filiere.ops.remember_request_id")
    task_started.connect(enter_task, dispatch_uid="filiere.ops.enter_task")
    task_finished.connect(leave_task, dispatch_uid="filiere.ops.leave_task")
