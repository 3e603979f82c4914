"""A sliding-window counter in Django's cache: the one mechanism behind the API's rate limits
(``api/throttling.py``) and the per-user upload and message limits (``calls/throttle.py``).

The cache keeps, per key, the times of the last actions still in the window. In production it is
the database cache, shared by every server process. Reading and writing the entry are two steps,
so two requests at the same instant may both pass: the limit stops floods and scripts, not the
odd extra request.
"""

import math
import time

from django.core.cache import cache


def take(key: str, *, limit: int, window: int, now: float | None = None) -> int | None:
    """Count one action under ``key``: None when it is allowed (and counted), else the whole
    seconds until a slot frees (and nothing is counted)."""
    now = time.time() if now is None else now
    recent = [moment for moment in cache.get(key, []) if moment > now - window]
    if len(recent) >= limit:
        return max(1, math.ceil(recent[-limit] + window - now))
    recent.append(now)
    cache.set(key, recent[-limit:], timeout=window)
    return None
