"""Who may read the monitoring details: a bearer token, or an address of the allowed networks.

``FILIERE_MONITORING_TOKEN`` (``Authorization: Bearer <token>``) opens ``/metrics`` and the
details of ``/health/`` from anywhere; ``FILIERE_METRICS_ALLOWED_IPS`` (addresses or networks,
loopback by default) opens them without a token. The address is the audit log's
(``client_ip``: ``FILIERE_TRUSTED_PROXY_COUNT`` decides whether ``X-Forwarded-For`` counts).
A request that came through a proxy nobody declared (an ``X-Forwarded-For`` header while no proxy
is trusted) is never let in by its address: behind such a proxy every visitor would look like
the proxy's own loopback address."""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

from filiere.audit.context import client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def allowed_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.FILIERE_METRICS_ALLOWED_IPS))


def has_monitoring_token(request: HttpRequest) -> bool:
    expected = settings.FILIERE_MONITORING_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def from_allowed_address(request: HttpRequest) -> bool:
    if settings.FILIERE_TRUSTED_PROXY_COUNT == 0 and "X-Forwarded-For" in request.headers:
        return False
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # an IPv4 client of a server listening on IPv6
    return any(ip in network for network in allowed_networks())


def is_monitoring_caller(request: HttpRequest) -> bool:
    return has_monitoring_token(request) or from_allowed_address(request)
