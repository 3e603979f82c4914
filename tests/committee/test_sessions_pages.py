"""The sessions' pages: "My sessions", a new session, a session's members and agenda, as the
staff and members use them, and as the people who may not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.models import Role
from filiere.committee.models import AgendaItem, Session, SessionMember
from tests.committee.factories import (
    call_staff,
    member,
    on_agenda,
    open_call,
    reviewed,
    session,
    staff,
    user_with_role,
)
from tests.factories import ApplicationFactory, UserFactory
from tests.review.factories import same_queries

pytestmark = pytest.mark.django_db


def _page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_my_sessions_lists_a_members_sessions_and_the_staffs_calls_only(client):
    call = open_call()
    mine = session(call, title="Session of mine")
    other = session(open_call(), title="Another session")
    reader = member(mine)

    text = _page(client, reader, "committee:my_sessions").content.decode()
    assert "Session of mine" in text and "Another session" not in text
    assert reverse("committee:session_create") not in text

    runner = call_staff(call)
    text = _page(client, runner, "committee:my_sessions").content.decode()
    assert "Session of mine" in text and "Another session" not in text
    assert reverse("committee:session_create") in text
    assert other.title in _page(client, staff(), "committee:my_sessions").content.decode()


def test_a_global_committee_role_opens_no_session(client):
    meeting = session()
    holder = user_with_role(Role.COMMITTEE)

    listing = _page(client, holder, "committee:my_sessions")
    assert listing.status_code == 200
    assert meeting.title not in listing.content.decode()
    for name in ("committee:session", "committee:agenda"):
        assert _page(client, holder, name, meeting.pk).status_code == 404


def test_people_without_a_committee_page_are_refused(client):
    assert client.get(reverse("committee:my_sessions")).status_code == 302
    for person in (UserFactory(), user_with_role(Role.APPLICANT)):
        assert _page(client, person, "committee:my_sessions").status_code == 403


def test_the_staff_create_a_session_for_a_call_they_instruct(client):
    call = open_call()
    runner = call_staff(call)
    other = open_call(title_fr="Un autre appel")
    client.force_login(runner)
    form = client.get(reverse("committee:session_create")).content.decode()
    assert f'value="{call.pk}"' in form and "Un autre appel" not in form

    when = (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {"call": other.pk, "title": "Mine", "meets_at": when, "quorum": "2"}
    refused = client.post(reverse("committee:session_create"), data)
    assert refused.status_code == 200 and not Session.objects.exists()

    data["call"] = call.pk
    response = client.post(reverse("committee:session_create"), data)
    created = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:session", args=[created.pk])
    assert (created.call, created.quorum, created.status) == (call, 2, "preparing")


def test_the_staff_add_and_remove_members_by_email(client):
    meeting = session(status="preparing")
    runner = call_staff(meeting.call)
    person = UserFactory(email="Juliette@example.org")
    client.force_login(runner)
    url = reverse("committee:member_add", args=[meeting.pk])

    unknown = client.post(url, {"email": "nobody@example.org"})
    assert "No account uses this address" in unknown.content.decode()
    assert client.post(url, {"email": "juliette@example.org", "chairs": "on"}).status_code == 302
    added = SessionMember.objects.get(session=meeting)
    assert added.user == person and added.chairs
    twice = client.post(url, {"email": "juliette@example.org"}).content.decode()
    assert "already a member" in twice

    remove = reverse("committee:member_remove", args=[meeting.pk, added.pk])
    client.post(remove, {"reason": ""})
    assert SessionMember.objects.get(pk=added.pk).removed_at is None
    client.post(remove, {"reason": "Moved abroad"})
    assert SessionMember.objects.get(pk=added.pk).removed_at is not None


def test_the_staff_build_the_agenda_order_it_and_open_the_session(client):
    meeting = session(status="preparing")
    call = meeting.call
    low = reviewed(call, [30, 35], state="under_review")
    high = reviewed(call, [90, 80], state="hearing")
    late = ApplicationFactory(call=call, state="draft", title="A draft")
    client.force_login(call_staff(call))
    page = client.get(reverse("committee:session", args=[meeting.pk])).content.decode()
    assert low.reference in page and high.reference in page and late.reference not in page

    response = client.post(
        reverse("committee:agenda_add", args=[meeting.pk]), {"applications": [low.pk, high.pk]}
    )
    assert response.status_code == 302
    client.post(reverse("committee:agenda_order", args=[meeting.pk]))
    order = AgendaItem.objects.order_by("position").values_list("application_id", flat=True)
    assert list(order) == [high.pk, low.pk]

    client.post(reverse("committee:session_open", args=[meeting.pk]))
    assert Session.objects.get(pk=meeting.pk).status == "open"
    client.post(reverse("committee:session_close", args=[meeting.pk]))
    closed = client.get(reverse("committee:session", args=[meeting.pk])).content.decode()
    assert reverse("committee:agenda_add", args=[meeting.pk]) not in closed


def test_members_read_the_session_but_do_not_manage_it(client):
    meeting = session()
    reader = member(meeting)
    page = _page(client, reader, "committee:session", meeting.pk).content.decode()
    assert meeting.title in page
    assert reverse("committee:member_add", args=[meeting.pk]) not in page
    for name in ("committee:member_add", "committee:agenda_order", "committee:session_close"):
        assert client.post(reverse(name, args=[meeting.pk])).status_code == 403


def test_the_staff_of_another_call_get_404(client):
    meeting = session()
    outsider = call_staff(open_call())
    client.force_login(outsider)
    assert client.get(reverse("committee:session", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("committee:session_close", args=[meeting.pk])).status_code == 404
    assert Session.objects.get(pk=meeting.pk).status == "open"


def test_my_sessions_costs_the_same_queries_with_more_sessions(client):
    call = open_call()
    reader = member(session(call))
    client.force_login(reader)

    def grow():
        meeting = session(call)
        member(meeting, user=reader)
        on_agenda(meeting, reviewed(call, [50]))

    same_queries(client, reverse("committee:my_sessions"), grow)


def test_the_session_nav_leads_the_staff_to_the_decisions_and_members_to_the_agenda(client):
    meeting = session()
    decisions = reverse("committee:decisions", args=[meeting.pk])
    agenda = reverse("committee:agenda", args=[meeting.pk])

    member_page = _page(client, member(meeting), "committee:session", meeting.pk).content.decode()
    assert agenda in member_page and decisions not in member_page
    staff_page = _page(client, call_staff(meeting.call), "committee:session", meeting.pk)
    assert decisions in staff_page.content.decode()
