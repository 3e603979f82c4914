"""GET /api/v1/committee/sessions/{id}/simulation: the latest finished simulation, with the
simulator page's permissions; members read only their sessions, and never an application they
may not read."""

import pytest

from filiere.accounts.services import create_api_token
from tests.calls.instruction_factories import ApplicationFactory
from tests.committee.factories import expert, member, session
from tests.committee.test_simulator_setup import run, scored_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def url(s):
    return f"/api/v1/committee/sessions/{s.session.pk}/simulation"


def test_staff_and_members_read_the_latest_result(client, django_capture_on_commit_callbacks):
    s = scored_session()
    reader = member(s.session)
    assert client.get(url(s), **auth(s.staff)).status_code == 404  # none yet
    quota = {"field": "genre", "value": "serious-game", "max_count": 1}
    scenario = run(django_capture_on_commit_callbacks, s, rules={"quotas": [quota]})
    for user in (s.staff, reader):
        response = client.get(url(s), **auth(user))
        assert response.status_code == 200
        body = response.json()
        assert body["scenario"] == scenario.pk and body["status"] == "optimal"
        rows = {row["reference"]: row for row in body["rows"]}
        assert [rows[a.reference]["rank"] for a in (s.a, s.b, s.c, s.d)] == [1, 2, 3, 4]
        b = rows[s.b.reference]
        assert b["ranked_list_funds"] and not b["optimum_funds"] and b["reason"] == "quota"
        assert "at most 1 project in genre" in b["reason_text"]
        assert rows[s.c.reference]["optimum_funds"] and rows[s.c.reference]["amount"] == 50000
        assert body["total"] == 100000 and body["funded"] == 2 and body["not_listed"] == 0
        assert {c["application"] for c in body["changes"]} == {s.b.reference, s.c.reference}


def test_a_member_on_a_team_does_not_read_that_application(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    run(django_capture_on_commit_callbacks, s, forced_in=(s.d.pk,))
    reader = member(s.session)
    s.d.lead = reader
    s.d.save()
    body = client.get(url(s), **auth(reader)).json()
    assert s.d.reference not in {row["reference"] for row in body["rows"]}
    assert body["not_listed"] == 1 and body["forced_in"] == []
    assert s.d.reference not in str(body)


def test_attackers_read_nothing(client, django_capture_on_commit_callbacks):
    s = scored_session()
    run(django_capture_on_commit_callbacks, s)
    outsider = member(session(s.session.call))
    applicant = ApplicationFactory(call=s.session.call).lead
    assert client.get(url(s)).status_code == 401
    assert client.get(url(s), **auth(outsider)).status_code == 404
    for user in (applicant, expert(s.session.call.fund), UserFactory()):
        assert client.get(url(s), **auth(user)).status_code == 403
    missing = "/api/v1/committee/sessions/999999/simulation"
    assert client.get(missing, **auth(s.staff)).status_code == 404
