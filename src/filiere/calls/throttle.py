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

from filiere import errors
from filiere.ui import ratelimit

if TYPE_CHECKING:
    from filiere.accounts.models import User

#: The setting of each scope's limit, (count, seconds).
SETTINGS = {"upload": "FILIERE_UPLOAD_RATE", "message": "FILIERE_MESSAGE_RATE"}


class Throttled(errors.Throttled):
    """Too many actions of this kind (``throttle.<scope>``): try again in ``retry_after``
    seconds. The params are for the sentence (``calls.phrases``): whole minutes, rounded up."""

    def __init__(self, *, scope: str, limit: int, window: int, retry_after: int) -> None:
        params = {
            "count": limit,
            "window": max(1, math.ceil(window / 60)),
            "minutes": max(1, math.ceil(retry_after / 60)),
        }
        super().__init__(f"throttle.{scope}", params, retry_after=retry_after)
        self.scope = scope
        self.limit = limit
        self.window = window


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
