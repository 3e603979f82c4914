"""The arrival of each request, read once by the middleware from the settings (the rule itself:
tests/engine/test_arrival.py)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from filiere.engine.arrival import Arrival, Basis
from filiere.ui.arrival import ArrivalMiddleware, arrival_of
from tests.test_deploy_settings import run_django

NOW = datetime(2026, 12, 4, 11, 0, 0, tzinfo=UTC)


@pytest.fixture
def seen(monkeypatch, settings):
    """Runs a request through the middleware; returns what the view saw."""
    settings.FILIERE_TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    settings.FILIERE_ARRIVAL_MAX_AGE_SECONDS = 120
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    found = {}

    def view(request):
        found.update(arrival=arrival_of(request), arrived_at=request.arrived_at)
        return HttpResponse()

    def run(peer, header=None):
        extra = {"REMOTE_ADDR": peer}
        if header is not None:
            extra["HTTP_X_REQUEST_START"] = header
        ArrivalMiddleware(view)(RequestFactory().post("/", **extra))
        return found["arrival"], found["arrived_at"]

    return run


def test_the_proxys_stamp_is_on_the_request(seen):
    arrival, arrived_at = seen("10.0.0.7", "t=1796381999.500")
    assert arrival == Arrival(arrived_at, Basis.STAMP, arrived_at)
    assert arrived_at == datetime(2026, 12, 4, 10, 59, 59, 500000, tzinfo=UTC)


def test_a_clients_stamp_is_read_but_not_believed(seen):
    arrival, arrived_at = seen("203.0.113.9", "t=1796381999.500")
    assert (arrival, arrived_at) == (Arrival(NOW, Basis.UNTRUSTED_PEER), None)


def test_the_bound_comes_from_the_settings(seen, settings):
    settings.FILIERE_ARRIVAL_MAX_AGE_SECONDS = 0.25
    arrival, arrived_at = seen("::1", "t=1796381999.500")
    assert (arrival.basis, arrived_at) == (Basis.STAMP_TOO_OLD, None)


def test_without_a_stamp_nothing_is_believed(seen):
    arrival, arrived_at = seen("10.0.0.7")
    assert (arrival, arrived_at) == (Arrival(NOW, Basis.NO_STAMP), None)


def test_the_settings_come_from_the_environment_and_trust_nobody_by_default():
    show = (
        "from django.conf import settings as s; "
        "print(s.FILIERE_TRUSTED_PROXIES, s.FILIERE_ARRIVAL_MAX_AGE_SECONDS)"
    )
    unset = {"FILIERE_TRUSTED_PROXIES": "", "DJANGO_DEBUG": "1"}
    assert run_django("shell", "-c", show, **unset).stdout.strip().splitlines()[-1] == "[] 120.0"
    configured = run_django(
        "shell",
        "-c",
        show,
        DJANGO_DEBUG="1",
        FILIERE_TRUSTED_PROXIES="127.0.0.1, ::1,10.0.0.0/24",
        FILIERE_ARRIVAL_MAX_AGE_SECONDS="30",
    )
    assert configured.stdout.strip().splitlines()[-1] == "['127.0.0.1', '::1', '10.0.0.0/24'] 30.0"


def test_a_request_without_the_middleware_has_no_arrival():
    assert arrival_of(RequestFactory().get("/")) is None


@pytest.mark.parametrize(
    ("proxies", "max_age", "named"),
    [
        (
            ["10.0.0.300"],
            120,
            "FILIERE_TRUSTED_PROXIES: not an IP address or network: '10.0.0.300'",
        ),
        (["nginx"], 120, "FILIERE_TRUSTED_PROXIES"),
        ([], -1, "FILIERE_ARRIVAL_MAX_AGE_SECONDS must not be negative"),
    ],
)
def test_a_wrong_setting_stops_the_server_with_its_name(settings, proxies, max_age, named):
    settings.FILIERE_TRUSTED_PROXIES = proxies
    settings.FILIERE_ARRIVAL_MAX_AGE_SECONDS = max_age
    with pytest.raises(ImproperlyConfigured) as error:
        ArrivalMiddleware(lambda request: HttpResponse())
    assert named in str(error.value)
