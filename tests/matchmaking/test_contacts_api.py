"""The contacts API: /api/v1/introductions, /blocks, /reports — the same rules as the pages."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.accounts.models import ConsentPurpose
from filiere.accounts.services import create_api_token, record_consent
from filiere.community.models import Visibility
from filiere.matchmaking.models import Block, Introduction, IntroductionStatus, Report

from .contacts_helpers import member

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, key = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path, body, user):
    return client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **bearer(user)
    )


@pytest.fixture(autouse=True)
def _no_rate_memory():
    cache.clear()


def test_ask_list_accept_with_addresses_only_after(client):
    paul = member("Paul", "Durand")
    alice = member("Alice", "Martin")
    response = post(client, "/introductions", {"person": alice.person.slug, "message": "Hi"}, paul)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["direction"] == "sent" and body["status"] == "pending"
    assert body["other"] == {"name": "Alice Martin", "profile": alice.person.slug, "email": None}
    assert alice.email not in response.content.decode()

    received = client.get("/api/v1/introductions?direction=received", **bearer(alice)).json()
    assert received["count"] == 1
    assert received["results"][0]["other"]["email"] is None
    assert paul.email not in json.dumps(received)
    assert client.get("/api/v1/introductions?direction=sent", **bearer(alice)).json()["count"] == 0

    introduction_id = body["id"]
    refused = post(client, f"/introductions/{introduction_id}/accept", {}, paul)
    assert refused.status_code == 403
    assert refused.json()["code"] == "matchmaking.contact.not_recipient"
    accepted = post(client, f"/introductions/{introduction_id}/accept", {}, alice)
    assert accepted.status_code == 200
    assert accepted.json()["other"]["email"] == paul.email
    mine = client.get("/api/v1/introductions", **bearer(paul)).json()["results"][0]
    assert mine["other"]["email"] == alice.email
    again = post(client, f"/introductions/{introduction_id}/decline", {}, alice)
    assert again.status_code == 409
    assert again.json()["code"] == "matchmaking.contact.not_pending"


def test_decline_and_the_rules_of_the_pages(client):
    paul = member("Paul", "Durand")
    alice = member("Alice", "Martin")
    first = post(client, "/introductions", {"person": alice.person.slug, "message": "Hi"}, paul)
    declined = post(client, f"/introductions/{first.json()['id']}/decline", {}, alice)
    assert declined.json()["status"] == IntroductionStatus.DECLINED
    again = post(client, "/introductions", {"person": alice.person.slug, "message": "Hi"}, paul)
    assert again.status_code == 409
    assert again.json()["code"] == "matchmaking.contact.declined_recently"

    carol = member("Carol", "Nope")
    record_consent(user=carol, purpose=ConsentPurpose.CONTACT, granted=False)
    no = post(client, "/introductions", {"person": carol.person.slug, "message": "Hi"}, paul)
    assert (no.status_code, no.json()["code"]) == (409, "matchmaking.contact.no_consent")

    hidden = member("Hid", "Den", visibility=Visibility.PRIVATE)
    missing = post(client, "/introductions", {"person": hidden.person.slug, "message": "x"}, paul)
    assert missing.status_code == 404
    assert post(client, "/introductions", {"post": 999999, "message": "x"}, paul).status_code == 404


def test_invalid_bodies_are_refused(client):
    paul = member("Paul", "Durand")
    alice = member("Alice", "Martin")
    for body in (
        {"message": "Hi"},
        {"person": alice.person.slug, "post": 1, "message": "Hi"},
        {"person": alice.person.slug},
        {"person": alice.person.slug, "message": "x" * 1001},
        {"person": alice.person.slug, "message": "   "},
        [1, 2],
    ):
        response = post(client, "/introductions", body, paul)
        assert response.status_code == 422, body
    assert not Introduction.objects.exists()


def test_the_daily_limit_answers_429_with_retry_after(client, settings):
    settings.FILIERE_INTRODUCTIONS_PER_DAY = 1
    paul = member("Paul", "Durand")
    alice, carol = member("Alice", "Martin"), member("Carol", "Other")
    assert (
        post(
            client, "/introductions", {"person": alice.person.slug, "message": "Hi"}, paul
        ).status_code
        == 201
    )
    over = post(client, "/introductions", {"person": carol.person.slug, "message": "Hi"}, paul)
    assert over.status_code == 429
    assert over.json()["code"] == "matchmaking.contact.too_many_today"
    assert int(over["Retry-After"]) > 0


def test_block_and_report(client):
    paul = member("Paul", "Durand")
    alice = member("Alice", "Martin")
    asked = post(client, "/introductions", {"person": alice.person.slug, "message": "Hi"}, paul)
    blocked = post(client, "/blocks", {"introduction": asked.json()["id"]}, alice)
    assert blocked.status_code == 201
    assert blocked.json()["name"] == "Paul Durand"
    assert Block.objects.filter(blocker=alice, blocked=paul).exists()
    assert Introduction.objects.get().status == IntroductionStatus.DECLINED
    refused = post(client, "/introductions", {"person": alice.person.slug, "message": "Hi"}, paul)
    assert refused.json()["code"] == "matchmaking.contact.blocked"

    reported = post(
        client,
        "/reports",
        {"introduction": asked.json()["id"], "reason": "spam", "details": "Ads"},
        alice,
    )
    assert reported.status_code == 201
    assert reported.json()["status"] == "open"
    assert Report.objects.get().reported_user == paul
    bad = post(client, "/reports", {"person": paul.person.slug, "reason": "boring"}, alice)
    assert bad.status_code == 422
    stranger = member("Str", "Anger")
    hidden = post(
        client, "/reports", {"introduction": asked.json()["id"], "reason": "spam"}, stranger
    )
    assert hidden.status_code == 404


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/introductions").status_code == 401
    assert client.post("/api/v1/blocks", "{}", content_type="application/json").status_code in (
        401,
        403,
    )


def test_the_list_reads_in_constant_queries(client):
    me = member("Paul", "Durand")
    headers = bearer(me)
    post(client, "/introductions", {"person": member("A", "One").person.slug, "message": "Hi"}, me)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/introductions", **headers).json()["count"] == 1
    for i in range(5):
        other = member(f"B{i}", "Other")
        post(client, "/introductions", {"person": me.person.slug, "message": "Hi"}, other)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/introductions", **headers).json()["count"] == 6
    assert len(many) == len(few)
