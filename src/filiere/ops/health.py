"""The health checks behind ``/health/``: each says ok, fail or disabled, and never raises.

Critical checks (``FILIERE_HEALTH_CRITICAL``: database, disk and clamd by default) decide the
answer: 503 when one of them fails. A failing check that is not critical (the task queue by
default: a late worker does not make this web process unfit to serve) leaves the answer 200
and the overall status ``degraded``. Two queries at most (the database's ``SELECT 1`` and one
aggregate on the task queue); no session, no user.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from filiere.calls.services.scanning import configured_client

from . import selectors

OK = "ok"
FAIL = "fail"
DISABLED = "disabled"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    #: For monitoring callers only (``access.is_monitoring_caller``): figures and error classes,
    #: never a path, a host or a secret.
    detail: dict[str, Any] = field(default_factory=dict)


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _error(error: Exception) -> dict[str, str]:
    # The class only: a driver's message may name the database's host, user or file.
    return {"error": type(error).__name__}


def check_database() -> Check:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # a health check reports, it never raises
        return Check("database", FAIL, {**_error(error), "duration_ms": _elapsed_ms(start)})
    return Check("database", OK, {"duration_ms": _elapsed_ms(start)})


def check_task_queue() -> Check:
    try:
        now = timezone.now()
        queue = selectors.task_queue(now)
    except Exception as error:  # a health check reports, it never raises
        return Check("task_queue", FAIL, _error(error))
    lag = round(queue.lag_seconds(now), 1)
    limit = settings.FILIERE_HEALTH_MAX_QUEUE_LAG
    detail = {"ready": queue.ready, "oldest_ready_age_seconds": lag, "max_age_seconds": limit}
    return Check("task_queue", FAIL if lag > limit else OK, detail)


def check_clamd() -> Check:
    client = configured_client()
    if client is None:
        # Files then wait for an antivirus that never comes (fail closed): visible, not fatal.
        return Check("clamd", DISABLED)
    client.timeout = settings.FILIERE_HEALTH_CLAMD_TIMEOUT
    transport = "socket" if client.socket_path else "tcp"
    start = time.perf_counter()
    try:
        answered = client.ping()
    except Exception as error:  # a health check reports, it never raises
        return Check("clamd", FAIL, {"transport": transport, **_error(error)})
    detail = {"transport": transport, "duration_ms": _elapsed_ms(start)}
    return Check("clamd", OK if answered else FAIL, detail)


def _existing(path: Path) -> Path:
    # MEDIA_ROOT appears with the first upload: until then, the disk it will be made on.
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk() -> Check:
    minimum = settings.FILIERE_HEALTH_MIN_FREE_BYTES
    places = {"media": Path(settings.MEDIA_ROOT), "var": Path(settings.VAR_DIR)}
    detail: dict[str, Any] = {"min_free_bytes": minimum}
    status = OK
    for name, path in places.items():
        try:
            usage = shutil.disk_usage(_existing(path))
        except Exception as error:  # a health check reports, it never raises
            detail[name] = _error(error)
            status = FAIL
            continue
        detail[name] = {"free_bytes": usage.free, "total_bytes": usage.total}
        if usage.free < minimum:
            status = FAIL
    return Check("disk", status, detail)


CHECKS: tuple[Callable[[], Check], ...] = (
    check_database,
    check_task_queue,
    check_clamd,
    check_disk,
)


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    critical: frozenset[str]

    @property
    def healthy(self) -> bool:
        return not any(c.status == FAIL and c.name in self.critical for c in self.checks)

    @property
    def status(self) -> str:
        if not self.healthy:
            return FAIL
        return "degraded" if any(c.status == FAIL for c in self.checks) else OK

    def as_dict(self, *, detailed: bool) -> dict[str, Any]:
        checks = {}
        for check in self.checks:
            shown: dict[str, Any] = {
                "status": check.status,
                "critical": check.name in self.critical,
            }
            if detailed:
                shown.update(check.detail)
            checks[check.name] = shown
        return {"status": self.status, "checks": checks}


def run_checks() -> Report:
    return Report(
        checks=tuple(check() for check in CHECKS),
        critical=frozenset(settings.FILIERE_HEALTH_CRITICAL),
    )
