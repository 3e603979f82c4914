"""The events API: the same rules as the pages."""

import json

import pytest
from django.test import Client

from filiere.accounts.services import create_api_token
from filiere.events import services_schedule
from filiere.events.models import MeetingRequest
from tests.accounts.factories import UserFactory
from tests.events.factories import event, registered, staff
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _client(user) -> tuple[Client, dict[str, str]]:
    key = create_api_token(user=user, name="test")[1]
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_public_list_filters_and_detail():
    upcoming = event(capacity=10)
    past = event(days=-5, title_fr="Passé")
    event(status="draft", title_fr="Brouillon")
    client = Client()
    found = client.get("/api/v1/events").json()
    assert [e["id"] for e in found["results"]] == [upcoming.pk]
    assert found["results"][0]["places_left"] == 10
    assert found["results"][0]["texts"]["title"]["en"] == "Partner day"
    assert [e["id"] for e in client.get("/api/v1/events?when=past").json()["results"]] == [past.pk]
    assert client.get("/api/v1/events?when=later").status_code == 422
    assert client.get("/api/v1/events?what=1").status_code == 422
    detail = client.get(f"/api/v1/events/{upcoming.pk}").json()
    assert detail["registration"] is None and detail["ics_url"].endswith(".ics")
    draft_id = upcoming.pk + 2
    assert client.get(f"/api/v1/events/{draft_id}").status_code == 404


def test_register_waitlist_and_cancel():
    day = event(capacity=1)
    first, second = UserFactory(), UserFactory()
    client, auth = _client(first)
    answer = client.post(f"/api/v1/events/{day.pk}/registration", **auth)
    assert answer.status_code == 201 and answer.json()["status"] == "registered"
    again = client.post(f"/api/v1/events/{day.pk}/registration", **auth)
    assert again.status_code == 409
    assert again.json()["code"] == "events.already_registered"
    other, other_auth = _client(second)
    queued = other.post(f"/api/v1/events/{day.pk}/registration", **other_auth).json()
    assert queued == {"event": day.pk, "status": "waitlisted", "position": 1, "checked_in": False}
    assert client.delete(f"/api/v1/events/{day.pk}/registration", **auth).status_code == 200
    mine = other.get(f"/api/v1/events/{day.pk}", **other_auth).json()["registration"]
    assert mine["status"] == "registered"


def test_meeting_requests_and_agenda_through_the_api():
    day = event(meetings=True, slots=2, tables=1)
    alice, bob = registered(day).user, registered(day).user
    PersonFactory(user=bob, first_name="Bob", last_name="Martin")
    client, auth = _client(alice)
    people = client.get(f"/api/v1/events/{day.pk}/participants", **auth).json()
    assert people == [
        {"user": bob.pk, "name": "Bob Martin", "organisation": "", "headline": "3D animator"}
    ]
    assert "@" not in json.dumps(people)
    created = client.post(
        f"/api/v1/events/{day.pk}/meeting-requests",
        data=json.dumps({"recipient": bob.pk, "message": "Hello"}),
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201 and created.json()["direction"] == "sent"
    request_id = created.json()["id"]
    refused = client.post(f"/api/v1/events/{day.pk}/meeting-requests/{request_id}/accept", **auth)
    assert refused.status_code == 403
    bad = client.post(
        f"/api/v1/events/{day.pk}/meeting-requests",
        data=json.dumps({"recipient": "x"}),
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    # Well-formed but refused by who takes part today: a conflict, with its sentence.
    for recipient, code in (
        (alice.pk, "events.meetings.self"),
        (2**40, "events.meetings.not_participant"),
    ):
        conflict = client.post(
            f"/api/v1/events/{day.pk}/meeting-requests",
            data=json.dumps({"recipient": recipient}),
            content_type="application/json",
            **auth,
        )
        assert conflict.status_code == 409 and conflict.json()["code"] == code
    bob_client, bob_auth = _client(bob)
    accepted = bob_client.post(
        f"/api/v1/events/{day.pk}/meeting-requests/{request_id}/accept", **bob_auth
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    run = services_schedule.request_schedule(event=day, by=staff())
    services_schedule.execute_schedule(run_id=run.pk)
    agenda = client.get(f"/api/v1/events/{day.pk}/agenda", **auth).json()
    assert [m["other"]["name"] for m in agenda["meetings"]] == ["Bob Martin"]
    assert agenda["meetings"][0]["table"] == 1
    listed = client.get(f"/api/v1/events/{day.pk}/meeting-requests", **auth).json()
    assert listed["count"] == 1 and MeetingRequest.objects.get().status == "accepted"


def test_non_participants_get_404():
    day = event(meetings=True, slots=2)
    registered(day)
    client, auth = _client(UserFactory())
    for path in ("participants", "agenda", "meeting-requests"):
        assert client.get(f"/api/v1/events/{day.pk}/{path}", **auth).status_code == 404
    assert client.post(f"/api/v1/events/{day.pk}/meeting-requests", **auth).status_code == 404
