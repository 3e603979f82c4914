"""Failed sign-ins are throttled per account and per client address (settings.ACCOUNT_RATE_LIMITS,
counted in the shared database cache so that every server process sees the same counts)."""

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Too many failed login attempts. Try again later."


def attempt(client, email, password, ip="203.0.113.9"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_throttling_counts_in_the_shared_database_cache():
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]


def test_sixth_attempt_on_one_account_is_refused_even_with_the_right_password(client):
    user = UserFactory()
    for number in range(5):
        response = attempt(client, user.email, f"wrong-{number}", ip=f"198.51.100.{number}")
        assert "not correct" in response.content.decode()

    response = attempt(client, user.email, PASSWORD, ip="198.51.100.200")

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_five_failures_still_let_the_right_password_in(client):
    user = UserFactory()
    for number in range(4):
        attempt(client, user.email, f"wrong-{number}")

    response = attempt(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response.wsgi_request.user == user


def test_another_account_is_not_locked_by_failures_on_the_first(client):
    victim, other = UserFactory(), UserFactory()
    for number in range(5):
        attempt(client, victim.email, f"wrong-{number}", ip=f"198.51.100.{number}")

    response = attempt(client, other.email, PASSWORD, ip="198.51.100.99")

    assert response.status_code == 302


def test_many_failures_from_one_address_across_accounts_are_refused(client):
    users = [UserFactory() for _ in range(6)]
    for user in users[:5]:
        for number in range(2):  # two failures each: no single account reaches its own limit
            attempt(client, user.email, f"wrong-{number}", ip="192.0.2.66")

    from_same_address = attempt(client, users[5].email, PASSWORD, ip="192.0.2.66")
    from_elsewhere = attempt(client, users[5].email, PASSWORD, ip="192.0.2.77")

    assert REFUSED in from_same_address.content.decode()
    assert not from_same_address.wsgi_request.user.is_authenticated
    assert from_elsewhere.status_code == 302
