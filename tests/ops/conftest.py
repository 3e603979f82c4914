import socket

import pytest

# The real clamd of the calls' antivirus tests (Debian's clamav-daemon).
from tests.calls.clamd_server import clamd, clamd_server  # noqa: F401

ELSEWHERE = "203.0.113.7"  # an address outside the allowed networks (TEST-NET-3)


@pytest.fixture
def closed_port():
    """A loopback TCP port nothing listens on: a stopped clamd or SMTP server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
