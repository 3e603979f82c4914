"""Reads of the observatory: the published snapshot (the pages and the API read nothing else)
and the staff's list of refreshes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from .models import Snapshot


@dataclass(frozen=True)
class Published:
    snapshot_id: int
    as_of: dt.datetime
    figures: dict[str, Any]

    @property
    def version(self) -> tuple[int, dt.datetime]:
        """What identifies these figures in the caches built from them."""
        return (self.snapshot_id, self.as_of)


def published() -> Published | None:
    """The latest finished snapshot: one small query; its figures are read once per process
    (a finished snapshot never changes)."""
    row = (
        Snapshot.objects.filter(status=Snapshot.Status.DONE, figures__isnull=False)
        .order_by("-finished_at", "-pk")
        .values_list("pk", "finished_at")
        .first()
    )
    if row is None or row[1] is None:
        return None
    return Published(snapshot_id=row[0], as_of=row[1], figures=_figures(row[0], row[1]))


@lru_cache(maxsize=4)
def _figures(snapshot_id: int, finished_at: dt.datetime) -> dict[str, Any]:
    # Keyed by the finish time too: an id may come back on SQLite after a rollback (tests).
    figures = Snapshot.objects.values_list("figures", flat=True).get(pk=snapshot_id)
    return dict(figures or {})


def recent_snapshots(limit: int = 10) -> QuerySet[Snapshot]:
    """The staff's list: the latest refreshes, without their (large) figures."""
    return Snapshot.objects.select_related("requested_by").defer("figures")[:limit]


def refresh_under_way() -> Snapshot | None:
    return (
        Snapshot.objects.filter(status__in=[Snapshot.Status.PENDING, Snapshot.Status.RUNNING])
        .defer("figures")
        .first()
    )
