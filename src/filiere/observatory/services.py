"""Writes of the observatory: a refresh of the published figures.

``request_refresh`` (the staff's button, or ``manage.py refresh_observatory``) creates a waiting
snapshot, audits it and publishes :class:`RefreshRequested`; ``tasks`` enqueues the background
task once the transaction has committed, which calls :func:`execute_refresh`: the database's
aggregations (``statistics``), each step's progress written on the snapshot for the staff to
follow, then the suppression of small counts (``publication``) and the figures stored. The
pages and the API read the latest finished snapshot only; a failed refresh keeps the previous
one published.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events
from filiere.errors import NotAllowed, ServiceError
from filiere.ui.page_cache import changed

from . import publication, spend, statistics
from .models import Snapshot
from .permissions import manages_observatory
from .selectors import refresh_under_way

logger = logging.getLogger(__name__)

#: A refresh still waiting or running after this long is taken for lost (a worker that died):
#: a new one may be asked for.
STALE_AFTER = dt.timedelta(hours=1)
#: Finished snapshots kept (the latest is published; older ones are for the staff's history).
KEEP = 10
#: Progress (percent) when each step starts.
PROGRESS = {
    "community": 5,
    "calls": 20,
    "genre": 40,
    "territory": 55,
    "kind": 70,
    "first_time": 80,
    "spend": 90,
    "publishing": 95,
}


@dataclass(frozen=True)
class RefreshRequested:
    """A refresh was asked for; its task is enqueued once the transaction commits."""

    snapshot_id: int


@transaction.atomic
def request_refresh(*, by: User | None) -> Snapshot:
    """Queue a refresh. ``by`` is None for the scheduled command (no person asked)."""
    if by is not None and not manages_observatory(by):
        raise NotAllowed("observatory.not_staff")
    waiting = refresh_under_way()
    if waiting is not None and waiting.requested_at > timezone.now() - STALE_AFTER:
        raise ServiceError("observatory.already_running")
    if waiting is not None:
        Snapshot.objects.filter(pk=waiting.pk).update(
            status=Snapshot.Status.FAILED, error="stale", finished_at=timezone.now()
        )
    snapshot = Snapshot.objects.create(requested_by=by)
    record(actor=by, action="observatory.refresh.requested", obj=snapshot)
    events.publish(RefreshRequested(snapshot_id=snapshot.pk))
    return snapshot


def execute_refresh(*, snapshot_id: int) -> str:
    """The background part: compute, suppress, store; returns the snapshot's status."""
    # Claim the snapshot in one update: a worker and a command never both compute it.
    started = time.perf_counter()
    claimed = Snapshot.objects.filter(pk=snapshot_id, status=Snapshot.Status.PENDING).update(
        status=Snapshot.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return str(Snapshot.objects.values_list("status", flat=True).get(pk=snapshot_id))

    def step(code: str) -> None:
        Snapshot.objects.filter(pk=snapshot_id).update(step=code, progress=PROGRESS[code])

    try:
        now = timezone.now()
        step("community")
        members = statistics.community()
        applications = statistics.calls(now, on_step=step)
        step("spend")
        spent = spend.regional_spend(now)
        step("publishing")
        figures = publication.publish(members, applications, now, spent)
    except Exception:
        logger.exception("observatory refresh %s failed", snapshot_id)
        Snapshot.objects.filter(pk=snapshot_id).update(
            status=Snapshot.Status.FAILED, error="failed", finished_at=timezone.now()
        )
        return Snapshot.Status.FAILED
    Snapshot.objects.filter(pk=snapshot_id).update(
        status=Snapshot.Status.DONE,
        figures=figures,
        progress=100,
        step="done",
        finished_at=now,
        seconds=round(time.perf_counter() - started, 3),
    )
    changed("observatory")  # an update() sends no signal: the public page is rendered again
    _forget_old()
    return Snapshot.Status.DONE


def _forget_old() -> None:
    done = Snapshot.objects.filter(status=Snapshot.Status.DONE).order_by("-finished_at", "-pk")
    old = list(done.values_list("pk", flat=True)[KEEP:])
    if old:
        Snapshot.objects.filter(pk__in=old).delete()


def refresh_now(*, by: User | None = None) -> Snapshot:
    """Request and run a refresh in this process (the command, the demo, the benchmark)."""
    snapshot = request_refresh(by=by)
    execute_refresh(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot
