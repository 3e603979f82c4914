"""The moment a request arrived at the platform: the time a deadline is compared with.

A queue in front of the application servers must not make anyone late: with a thousand people
pressing *Submit* in a call's last seconds, most requests wait before they are processed. The
platform's reverse proxy stamps each request when it receives it (``X-Request-Start``); this
module says whether that stamp can be believed, and which moment counts.

The stamp is believed only when all of these hold, in this order (the first that fails gives
the code; the moment is then ``now``, the caller's clock):

1. there is a stamp (:attr:`Basis.NO_STAMP`);
2. the direct peer is a configured proxy (:attr:`Basis.UNTRUSTED_PEER`): anyone can send the
   header, only the proxy's copy is its own (it replaces what the client sent);
3. it reads as a time (:attr:`Basis.UNPARSABLE`), see :func:`parse_stamp`;
4. it is not after ``now`` (:attr:`Basis.STAMP_IN_FUTURE`): a proxy whose clock runs ahead
   cannot move anyone earlier than the server says;
5. it is at most ``max_age`` before ``now`` (:attr:`Basis.STAMP_TOO_OLD`): a stamp older than
   any real queue is a replayed or broken header, not a waiting request.

So the moment returned is never after ``now`` and never more than ``max_age`` before it. Nothing
here reads a clock or a setting: callers pass the header, the peer's trust, the bound and
``now``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "Arrival",
    "Basis",
    "Network",
    "arrival_time",
    "is_trusted_peer",
    "parse_networks",
    "parse_stamp",
    "processing_time",
]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Basis(StrEnum):
    """Why the moment is what it is."""

    STAMP = "arrival.stamp"  # the trusted proxy's stamp counts
    NO_STAMP = "arrival.no_stamp"
    UNTRUSTED_PEER = "arrival.untrusted_peer"
    UNPARSABLE = "arrival.unparsable"
    STAMP_IN_FUTURE = "arrival.stamp_in_future"
    STAMP_TOO_OLD = "arrival.stamp_too_old"
    #: No request at all (a task, a command): the clock of the processing counts.
    NO_REQUEST = "arrival.no_request"


@dataclass(frozen=True)
class Arrival:
    """The moment that counts (``at``), why (``basis``), and the stamp as read, if any (kept
    for the audit even when it was not believed)."""

    at: datetime
    basis: Basis
    stamp: datetime | None = None

    @property
    def stamped(self) -> bool:
        """The proxy's stamp counts (otherwise ``at`` is the caller's clock)."""
        return self.basis is Basis.STAMP


# Optional ``t=``, digits, optional fraction. No sign, exponent or second value: a header the
# proxy wrote never has them.
_STAMP = re.compile(r"(?:t=)?([0-9]{1,20})(?:\.([0-9]{1,9}))?")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The unit is told by the magnitude, as the common conventions do (nginx ``t=${msec}``: seconds
# with milliseconds; Heroku and HAProxy: milliseconds; Apache ``%t``: microseconds). 10^11
# seconds is the year 5138, 10^11 milliseconds 1973: no real stamp sits between the ranges.
_UNITS = ((Decimal(10) ** 11, 1), (Decimal(10) ** 14, 1_000), (Decimal(10) ** 17, 1_000_000))


def parse_stamp(raw: str) -> datetime | None:
    """The UTC moment of an ``X-Request-Start`` value, or ``None`` if it is not one.

    Accepted: ``t=1733300000.123`` (nginx's ``${msec}``), plain seconds with an optional
    fraction (``1733300000``, ``1733300000.123456``), milliseconds (``1733300000123``) and
    microseconds (``t=1733300000123456``), with or without ``t=``; the unit follows from the
    magnitude (seconds below 10^11, milliseconds below 10^14, microseconds below 10^17).
    Fractions of a microsecond are dropped (the moment is never later than the stamp).
    """
    match = _STAMP.fullmatch(raw.strip())
    if match is None:
        return None
    whole, fraction = match.groups()
    value = Decimal(f"{whole}.{fraction or '0'}")
    for limit, per_second in _UNITS:
        if value < limit:
            # Truncated towards zero (the value is positive); below the year 5138 in every unit.
            return _EPOCH + timedelta(microseconds=int(value * 1_000_000 / per_second))
    return None


def arrival_time(
    *, header: str | None, trusted_peer: bool, max_age: float, now: datetime
) -> Arrival:
    """The moment that counts for a request (module docstring for the order of the checks).

    ``header``: the raw ``X-Request-Start`` value, ``None`` or ``""`` when absent;
    ``trusted_peer``: the direct peer is one of the platform's proxies (:func:`is_trusted_peer`);
    ``max_age``: the bound in seconds (not negative); ``now``: a timezone-aware moment.
    """
    if max_age < 0:
        raise ValueError("max_age must not be negative")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if not header or not header.strip():
        return Arrival(now, Basis.NO_STAMP)
    if not trusted_peer:
        return Arrival(now, Basis.UNTRUSTED_PEER)
    stamp = parse_stamp(header)
    if stamp is None:
        return Arrival(now, Basis.UNPARSABLE)
    if stamp > now:
        return Arrival(now, Basis.STAMP_IN_FUTURE, stamp)
    if now - stamp > timedelta(seconds=max_age):
        return Arrival(now, Basis.STAMP_TOO_OLD, stamp)
    return Arrival(stamp, Basis.STAMP, stamp)


def processing_time(now: datetime) -> Arrival:
    """The moment for an act with no request (a task, a command): the processing clock."""
    return Arrival(now, Basis.NO_REQUEST)


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The proxies' addresses or CIDR blocks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); blanks
    are skipped. Raises ``ValueError`` naming the first value that is neither."""
    networks = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or network: {text!r}") from None
    return tuple(networks)


def is_trusted_peer(peer: str | None, networks: Iterable[Network]) -> bool:
    """The direct peer's address is in one of ``networks`` (never for an unreadable address)."""
    try:
        address = ipaddress.ip_address((peer or "").strip())
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.5 is 10.0.0.5
    return any(address.version == net.version and address in net for net in networks)
