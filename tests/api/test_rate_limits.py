"""The API's rate limits (docs/api.md, "Rate limits"): per account (every token and the session
together), per address (per /64 network for IPv6).

These tests keep the documented limits (tests/conftest.py raises them for every other test) and
count in the database cache, as production does.
"""

import pytest
from django.conf import settings
from django.test import Client

from filiere.accounts.services import create_api_token
from tests.accounts.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/sectors"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def limit(setting: str) -> int:
    return int(getattr(settings, setting).split("/")[0])


def test_documented_limits():
    assert settings.FILIERE_API_RATE_ANONYMOUS == "60/m"
    assert settings.FILIERE_API_RATE_SIGNED_IN == "300/m"


def test_anonymous_caller_gets_429_with_retry_after_past_the_limit_of_its_address():
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit("FILIERE_API_RATE_ANONYMOUS")):
        assert client.get(URL).status_code == 200

    refused = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {
        "code": "throttled",
        "message": "Too many requests: try again later.",
        "params": {},
        "fields": {},
    }
    # Another address has its own count.
    assert Client(REMOTE_ADDR="203.0.113.8").get(URL).status_code == 200


def test_token_gets_429_past_the_limit_of_its_account_and_another_token_does_not_reset_it():
    user = UserFactory()
    _token, key = create_api_token(user=user, name="script")
    _other, other_key = create_api_token(user=user, name="other script")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(limit("FILIERE_API_RATE_SIGNED_IN")):
        assert client.get(URL, **bearer(key)).status_code == 200

    refused = client.get(URL, **bearer(key))

    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # More tokens give no more requests: the account is counted, not the key.
    assert client.get(URL, **bearer(other_key)).status_code == 429
    assert client.get(URL, **bearer(create_api_token(user=user, name="x")[1])).status_code == 429
    # Anonymous callers from the same address are counted by address, not by that account.
    assert client.get(URL).status_code == 200
    assert (
        Client().get(URL, **bearer(create_api_token(user=UserFactory(), name="y")[1])).status_code
        == 200
    )


def test_a_wrong_key_beside_a_session_is_refused_not_a_way_around_the_count(settings):
    settings.FILIERE_API_RATE_SIGNED_IN = "3/m"
    client = Client()
    sign_in(client, UserFactory())
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200

    answers = {client.get("/api/v1/me", **bearer(f"junk{n}")).status_code for n in range(3)}

    assert answers == {401}
    assert client.get("/api/v1/me").status_code == 429


def test_guessing_keys_is_throttled_like_an_anonymous_caller(settings):
    settings.FILIERE_API_RATE_ANONYMOUS = "3/m"
    client = Client(REMOTE_ADDR="203.0.113.20")
    answers = [client.get(URL, **bearer(f"flr_guess{n}")).status_code for n in range(5)]

    assert answers == [401, 401, 401, 429, 429]
    refused = client.get(URL, **bearer("flr_guess9"))
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) >= 1


def test_ipv6_callers_are_counted_by_their_64_network(settings):
    settings.FILIERE_API_RATE_ANONYMOUS = "3/m"
    for host in range(1, 4):
        assert Client(REMOTE_ADDR=f"2001:db8:1:2::{host}").get(URL).status_code == 200

    assert Client(REMOTE_ADDR="2001:db8:1:2::99").get(URL).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get(URL).status_code == 200


def test_signed_in_session_is_counted_per_account(settings):
    settings.FILIERE_API_RATE_SIGNED_IN = "3/m"
    client = Client()
    sign_in(client, UserFactory())
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200

    assert client.get("/api/v1/me").status_code == 429
    assert Client().get(URL).status_code == 200  # anonymous: another bucket


def test_the_schema_documents_429_for_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]

    missing = [f"{m} {p}" for m, p, op in operations if "429" not in op["responses"]]

    assert operations and missing == []
