"""Rate limits of the API: per token, per signed-in account, and per address for anonymous callers.

Every operation counts against one bucket, chosen after authentication:

- a signed-in caller, by API token or browser session — the account's bucket, whatever token
  it uses (more tokens, or a junk ``Authorization`` header beside a session, give no more);
- anonymous — the client address's bucket (``audit.context.client_ip``, which trusts
  ``X-Forwarded-For`` only behind ``FILIERE_TRUSTED_PROXY_COUNT`` proxies); an IPv6 caller's
  bucket is its /64 network, which one machine usually holds whole.

The limits are the settings ``FILIERE_API_RATE_SIGNED_IN`` (tokens and sessions) and
``FILIERE_API_RATE_ANONYMOUS``, ``"count/period"`` with a period of ``s``, ``m``, ``h`` or ``d``
(``"120/m"``), read at each request. A request over the limit gets 429 ``throttled`` in the API's
error shape (``errors.py``) with ``Retry-After``: the seconds until the oldest counted request
leaves the window. Refused requests are not counted.

The counting is ``filiere.ui.ratelimit`` (a sliding window in the shared cache), as for the
upload and message limits.
"""

import ipaddress
import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

from filiere.audit.context import client_ip
from filiere.ui import ratelimit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/m"`` → ``(120, 60)``: at most 120 requests in any 60 seconds."""
    count, period = rate.split("/", 1)
    return int(count), PERIODS[period.strip()[0]]


def bucket(request: HttpRequest) -> tuple[str, str]:
    """The setting that limits this caller, and the cache key of its bucket."""
    user = getattr(request, "auth", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return "FILIERE_API_RATE_SIGNED_IN", f"user:{user.pk}"
    return "FILIERE_API_RATE_ANONYMOUS", f"address:{_network(client_ip(request))}"


def _network(address: str | None) -> str:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _count(ident: str, limit: int, window: int) -> int | None:
    """Count one request in ``ident``'s window; the seconds to wait when it is already full."""
    return ratelimit.take(f"filiere-api-rate:{ident}", limit=limit, window=window)


def count_unknown_key(request: HttpRequest) -> None:
    """A request with a key that matches no token is refused at authentication, before the
    operation's throttle runs: it counts against its address's anonymous limit here, so that
    guessing keys is throttled like any anonymous caller (429 past the limit)."""
    ident = f"address:{_network(client_ip(request))}"
    wait = _count(ident, *parse_rate(settings.FILIERE_API_RATE_ANONYMOUS))
    if wait is not None:
        raise Throttled(wait=wait)


class ApiRateThrottle(BaseThrottle):
    """A sliding window per bucket: the cache keeps the times of the requests still in it."""

    def __init__(self) -> None:
        # ninja keeps one throttle object for every request: the answer of ``wait()`` belongs to
        # the thread that was just refused.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        setting, ident = bucket(request)
        wait = _count(ident, *parse_rate(getattr(settings, setting)))
        self._local.wait = wait
        return wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
