"""The one boundary of every deadline on the platform: the closing second is on time.

A call's ``closes_at`` and a correction request's ``correction_until`` are both read through
:func:`on_time`: an act at exactly the deadline counts, one a microsecond later does not. The
caller passes the moment (the arrival at the platform, :mod:`filiere.engine.arrival`, or the
server clock read once inside the transaction that records the act); nothing here reads a
clock. Pass timezone-aware datetimes.
"""

from __future__ import annotations

from datetime import datetime

__all__ = ["is_late", "on_time"]


def on_time(moment: datetime, deadline: datetime) -> bool:
    """``moment`` meets ``deadline``: at or before it (the closing second is on time)."""
    return moment <= deadline


def is_late(moment: datetime, deadline: datetime) -> bool:
    """``moment`` is after ``deadline``: the negation of :func:`on_time`."""
    return not on_time(moment, deadline)
