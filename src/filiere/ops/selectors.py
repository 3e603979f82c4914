"""The figures operations read from every app's tables, found through the app registry.

ops imports no app's models for these: the task queue is django-tasks-db's table, and the files
waiting for the antivirus are every model's ``scan_status`` / ``<file>_scan_status`` field next to
its file field (``Document.scan_status`` with ``file``, ``Call.rules_pdf_scan_status`` with
``rules_pdf``...), so a new scanned file is counted without a change here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import models
from django.db.models import Case, Count, F, Min, Q, When
from django.db.models.functions import Coalesce
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import MailFailure

PENDING = "pending"
ERROR = "error"


@dataclass(frozen=True)
class QueueState:
    ready: int
    #: When the longest-waiting ready task became due (enqueued, or its ``run_after``).
    oldest_due: datetime | None

    def lag_seconds(self, now: datetime) -> float:
        if self.oldest_due is None:
            return 0.0
        return max(0.0, (now - self.oldest_due).total_seconds())


def task_queue(now: datetime) -> QueueState:
    """The tasks ready to run now and the oldest one's due time, in one query."""
    never = get_date_max()  # django-tasks-db's "no run_after"
    due = Case(When(run_after=never, then=F("enqueued_at")), default=F("run_after"))
    figures = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(Q(run_after=never) | Q(run_after__lte=now))
        .aggregate(ready=Count("pk"), oldest=Min(due))
    )
    return QueueState(ready=figures["ready"], oldest_due=figures["oldest"])


@dataclass(frozen=True)
class ScannedField:
    model: type[models.Model]
    status_field: str
    file_field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.file_field}"


def scanned_fields() -> list[ScannedField]:
    found = []
    for model in apps.get_models():
        names = {field.name: field for field in model._meta.concrete_fields}
        for name in names:
            if name == "scan_status":
                file_name = "file"
            elif name.endswith("_scan_status"):
                file_name = name.removesuffix("_scan_status")
            else:
                continue
            if isinstance(names.get(file_name), models.FileField):
                found.append(ScannedField(model, name, file_name))
    return sorted(found, key=lambda scanned: scanned.label)


@dataclass(frozen=True)
class ScanCounts:
    pending: int
    error: int


def scans_waiting() -> dict[str, ScanCounts]:
    """Per scanned file kind, the stored files still waiting for a verdict and those whose scan
    failed (both are never served). One query per model that holds scanned files."""
    counts = {}
    for scanned in scanned_fields():
        rows = scanned.model._default_manager.exclude(**{scanned.file_field: ""})
        figures = rows.aggregate(
            pending=Count("pk", filter=Q(**{scanned.status_field: PENDING})),
            error=Count("pk", filter=Q(**{scanned.status_field: ERROR})),
        )
        counts[scanned.label] = ScanCounts(figures["pending"], figures["error"])
    return counts


def mail_failures() -> int:
    """Messages that could not be sent since the platform began (recorded by ``mail.py``)."""
    total: int = MailFailure.objects.aggregate(n=Coalesce(models.Sum("messages"), 0))["n"]
    return total
