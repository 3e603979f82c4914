"""Log lines that say which request (or task) they belong to, as text or as JSON.

``RequestContextFilter`` adds the request id, the user's id, the method and the path (or the
task's id and name) to every record; ``JsonFormatter`` writes one JSON object per line
(``FILIERE_LOG_FORMAT=json``), ``TextFormatter`` a readable line for development. Never an
e-mail address: people are named by their id.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from filiere.audit.context import current_request_id

from .context import current_request, current_task

# Where the middleware also leaves the request id, for the lines written after it has returned.
META_KEY = "filiere.request_id"

# Attributes copied from a record into its JSON line when present (the middleware's access line
# sets method, path, route, status, duration_ms and user_id through ``extra``).
FIELDS = (
    "request_id",
    "user_id",
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "task_id",
    "task",
)


def signed_in_user_id(request: Any) -> int | None:
    """The user's id if the request has already read its user; never a query of its own (a log
    line must not reach the database, nor a session that cannot be read)."""
    user = getattr(request, "_cached_user", None)  # Django's cache of request.user
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # The request being answered, or the one Django names on its own lines ("Not Found: ...",
        # written by django.request once the middleware have returned).
        request = current_request.get() or getattr(record, "request", None)
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get() or (
                getattr(request, "META", {}).get(META_KEY, "")
            )
        if request is not None:
            if getattr(record, "user_id", None) is None:
                record.user_id = signed_in_user_id(request)
            if not getattr(record, "method", ""):
                record.method = getattr(request, "method", None)
            if not getattr(record, "path", ""):
                record.path = getattr(request, "path", None)
        if getattr(record, "status", None) is None and hasattr(record, "status_code"):
            record.status = record.status_code
        task = current_task.get()
        if task is not None:
            record.task_id = task.id
            record.task = task.name
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None and value != "":
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger [request id] message``, the request id only when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", "")
        return f"[{request_id}] {line}" if request_id else line
