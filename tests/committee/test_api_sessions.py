"""The committee's API: the caller's sessions, a session's agenda (reviews anonymised for members)
and votes, with the pages' permissions."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token
from filiere.committee.models import Vote
from filiere.committee.selectors_scores import scores_of_call
from tests.committee.factories import (
    call_staff,
    expert,
    member,
    on_agenda,
    open_call,
    reviewed,
    session,
    user_with_role,
)
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db

BASE = "/api/v1/committee"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def _get(client, user, path):
    return client.get(BASE + path, **_auth(user))


def _vote(client, user, meeting, item, choice="fund"):
    return client.post(
        f"{BASE}/sessions/{meeting.pk}/items/{item.pk}/vote",
        data=json.dumps({"choice": choice}),
        content_type="application/json",
        **_auth(user),
    )


def test_sessions_lists_only_the_callers_sessions(client):
    call = open_call()
    mine = session(call, title="Mine")
    session(open_call(), title="Not mine")
    reader = member(mine, chairs=True)

    body = _get(client, reader, "/sessions").json()

    assert [row["title"] for row in body["results"]] == ["Mine"]
    row = body["results"][0]
    assert (row["member"], row["chairs"], row["staff"]) == (True, True, False)
    staff_body = _get(client, call_staff(call), "/sessions").json()
    assert [(r["title"], r["staff"]) for r in staff_body["results"]] == [("Mine", True)]


def test_a_global_committee_role_gets_no_session_and_others_are_refused(client):
    meeting = session()
    holder = user_with_role(Role.COMMITTEE)
    assert _get(client, holder, "/sessions").json()["results"] == []
    assert _get(client, holder, f"/sessions/{meeting.pk}/agenda").status_code == 404
    assert _get(client, UserFactory(), "/sessions").status_code == 403
    assert client.get(BASE + "/sessions").status_code == 401


def test_the_agenda_gives_figures_votes_and_anonymous_reviews_to_members(client):
    meeting = session(quorum=1)
    call = meeting.call
    named = expert(call.fund, first_name="Philomène", last_name="Canary")
    application = reviewed(call, [60, 80], experts=[named, expert(call.fund)])
    (item,) = on_agenda(meeting, application)
    reader = member(meeting)
    Vote.objects.create(item=item, voter=reader, choice="defer")

    response = _get(client, reader, f"/sessions/{meeting.pk}/agenda")

    assert response.status_code == 200
    assert "Philomène" not in response.content.decode()
    (row,) = response.json()["items"]
    assert row["reference"] == application.reference
    assert row["score"]["raw_mean"] == 70 and row["score"]["spread"] == 20
    assert row["score"]["low"] <= row["score"]["calibrated"] <= row["score"]["high"]
    assert row["votes"]["defer"] == 1 and row["my_vote"] == "defer" and row["quorum_reached"]
    assert [r["reviewer"] for r in row["reviews"]] == ["A", "B"]
    assert {r["opinion"] for r in row["reviews"]} == {"Opinion 60", "Opinion 80"}

    staff_view = _get(client, call_staff(call), f"/sessions/{meeting.pk}/agenda").json()
    assert "Philomène Canary" in [r["reviewer"] for r in staff_view["items"][0]["reviews"]]


def test_the_agenda_leaves_out_the_members_own_application(client):
    meeting = session()
    theirs = reviewed(meeting.call, [70])
    other = reviewed(meeting.call, [50])
    on_agenda(meeting, theirs, other)
    reader = member(meeting)
    add_member(theirs, reader)

    items = _get(client, reader, f"/sessions/{meeting.pk}/agenda").json()["items"]
    assert [row["reference"] for row in items] == [other.reference]


def test_the_agenda_costs_the_same_queries_with_more_applications(client):
    meeting = session()
    call = meeting.call
    reader = member(meeting)
    headers = _auth(reader)
    on_agenda(meeting, reviewed(call, [50, 60]))
    url = f"{BASE}/sessions/{meeting.pk}/agenda"
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as few:
        client.get(url, **headers)
    for _ in range(3):
        on_agenda(meeting, reviewed(call, [40, 70]))
    scores_of_call(call)  # a new review changes the scores' cache key: compared warm
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url, **headers).json()["items"]) == 4
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_member_votes_and_a_new_vote_replaces_it(client):
    meeting = session(quorum=1)
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    reader = member(meeting)

    assert _vote(client, reader, meeting, item, "fund").status_code == 200
    body = _vote(client, reader, meeting, item, "reject").json()

    assert body["votes"]["reject"] == 1 and body["votes"]["fund"] == 0
    assert body["votes_cast"] == 1 and body["quorum_reached"]
    assert _vote(client, reader, meeting, item, "maybe").status_code == 422


def test_votes_are_refused_to_those_who_may_not_vote(client):
    meeting = session()
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    # The staff read the item but do not vote: 403.
    assert _vote(client, call_staff(meeting.call), meeting, item).status_code == 403
    # A member of another session, a global committee role: 404, as a missing session.
    for outsider in (member(session(meeting.call)), user_with_role(Role.COMMITTEE)):
        assert _vote(client, outsider, meeting, item).status_code == 404
    # The applicant: 403 (no committee page at all).
    assert _vote(client, item.application.lead, meeting, item).status_code == 403
    # A member on the application's team: 404.
    on_team = member(meeting)
    add_member(item.application, on_team)
    assert _vote(client, on_team, meeting, item).status_code == 404
    assert not Vote.objects.exists()


def test_votes_wait_for_the_session_to_open(client):
    meeting = session(status="preparing")
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    response = _vote(client, member(meeting), meeting, item)
    assert response.status_code == 409
    assert response.json()["code"] == "committee.vote.not_open"
