"""Per-user rate limits on uploads and messages, kept in Django's cache.

A limit is ``(count, seconds)`` from settings (``FILIERE_UPLOAD_RATE``, ``FILIERE_MESSAGE_RATE``):
at most ``count`` actions in any ``seconds``-long window (a sliding window: the cache keeps the
times of the last actions). Services call :func:`hit` before doing the work; a refused action
raises :class:`Throttled`, with the seconds to wait, and nothing is recorded for it.

The counting is ``filiere.ui.ratelimit`` (a sliding window in the shared cache), as for the API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

from filiere.ui import ratelimit

if TYPE_CHECKING:
    from filiere.accounts.models import User

#: The setting of each scope's limit, (count, seconds).
SETTINGS = {"upload": "FILIERE_UPLOAD_RATE", "message": "FILIERE_MESSAGE_RATE"}


class Throttled(Exception):
    """Too many actions of this kind: try again in ``retry_after`` seconds."""

    def __init__(self, *, scope: str, limit: int, window: int, retry_after: int) -> None:
        super().__init__(f"{scope}: {limit} per {window} s, retry in {retry_after} s")
        self.scope = scope
        self.limit = limit
        self.window = window
        self.retry_after = retry_after

    @property
    def code(self) -> str:
        return f"throttle.{self.scope}"

    @property
    def params(self) -> dict[str, int]:
        """For the sentence (``calls.phrases``): whole minutes, rounded up."""
        return {
            "count": self.limit,
            "window": max(1, math.ceil(self.window / 60)),
            "minutes": max(1, math.ceil(self.retry_after / 60)),
        }


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def rate_for(scope: str) -> Rate:
    count, seconds = getattr(settings, SETTINGS[scope])
    return Rate(int(count), int(seconds))


def _key(scope: str, user_id: int) -> str:
    return f"filiere:throttle:{scope}:{user_id}"


def hit(*, scope: str, user: User | None, now: float | None = None) -> None:
    """Count one action of ``user`` in ``scope``, or raise :class:`Throttled` (nothing counted).

    Anonymous users are never counted here: every throttled action needs an account."""
    if user is None or not user.pk:
        return
    rate = rate_for(scope)
    if rate.count <= 0:
        return
    retry_after = ratelimit.take(
        _key(scope, user.pk), limit=rate.count, window=rate.seconds, now=now
    )
    if retry_after is not None:
        raise Throttled(scope=scope, limit=rate.count, window=rate.seconds, retry_after=retry_after)


def reset(*, scope: str, user: User) -> None:
    cache.delete(_key(scope, user.pk))


__all__ = ["Rate", "Throttled", "hit", "rate_for", "reset"]
