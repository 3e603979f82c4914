"""``/metrics``: Prometheus counters of the requests, and gauges read from the database.

Two kinds of figures, kept honest under gunicorn's several processes:

- per-process counters (requests by method, route and status class; their latency): with
  ``PROMETHEUS_MULTIPROC_DIR`` set (a directory emptied before gunicorn starts), every process
  writes them to files there and a scrape adds them all up (``prometheus_client``'s multiprocess
  mode); without it, a scrape sees the one process that answered it (fine for one process);
- figures of the whole platform (tasks ready and the oldest one's wait, files waiting for the
  antivirus, e-mails that failed), counted in the database at each scrape, so web processes and
  workers alike are counted once, whichever process answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from . import selectors

# The ``_created`` series (each counter's creation time) would double the text for a figure
# nothing here reads.
disable_created_metrics()
PROCESS_REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "filiere_http_requests",
    "HTTP requests answered, by method, route (URL name) and status class.",
    ["method", "route", "status"],
    registry=PROCESS_REGISTRY,
)
LATENCY = Histogram(
    "filiere_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response is handed to the server).",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=PROCESS_REGISTRY,
)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # a path no route answers: one label, whatever was asked


def observe(*, method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "OTHER"
    route = route or UNMATCHED
    REQUESTS.labels(method, route, f"{status // 100}xx").inc()
    LATENCY.labels(method, route).observe(seconds)


class _ThisProcess:
    def collect(self) -> Iterable[Metric]:
        return PROCESS_REGISTRY.collect()


class DatabaseFigures:
    """Read at scrape time. A database that cannot be read gives ``filiere_database_up 0`` and
    no other figure, never an error."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("filiere_database_up", "1 if the database answered this scrape.")
        try:
            now = timezone.now()
            queue = selectors.task_queue(now)
            scans = selectors.scans_waiting()
            failures = selectors.mail_failures()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        ready = GaugeMetricFamily("filiere_tasks_ready", "Background tasks ready to run now.")
        ready.add_metric([], queue.ready)
        yield ready
        lag = GaugeMetricFamily(
            "filiere_tasks_oldest_ready_age_seconds",
            "How long the longest-waiting ready task has been due (0 when none).",
        )
        lag.add_metric([], queue.lag_seconds(now))
        yield lag
        pending = GaugeMetricFamily(
            "filiere_scans_pending",
            "Stored files waiting for the antivirus, by kind (model.file field).",
            labels=["file"],
        )
        failed = GaugeMetricFamily(
            "filiere_scans_failed",
            "Stored files whose scan failed (never served until scanned again), by kind.",
            labels=["file"],
        )
        for label, counts in scans.items():
            pending.add_metric([label], counts.pending)
            failed.add_metric([label], counts.error)
        yield pending
        yield failed
        mails = CounterMetricFamily(
            "filiere_mail_failures", "E-mail messages whose sending failed (all processes)."
        )
        mails.add_metric([], failures)
        yield mails


def exposition() -> bytes:
    """The text of one scrape (Prometheus text format 0.0.4)."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(DatabaseFigures())
    return generate_latest(registry)
