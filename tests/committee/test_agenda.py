"""The agenda and its items as members and staff read them: figures from the calibration,
reviews anonymised for members, recorded votes and quorum, notes; and as attackers."""

import pytest
from django.urls import reverse

from filiere.committee.models import AgendaItem, Vote
from filiere.committee.selectors_scores import scores_of_call
from filiere.review.models import Expert
from filiere.review.services import add_conflict
from tests.committee.factories import (
    call_staff,
    expert,
    member,
    on_agenda,
    open_call,
    reviewed,
    session,
    staff,
)
from tests.factories import PersonFactory, UserFactory, add_member
from tests.review.factories import same_queries

pytestmark = pytest.mark.django_db


def _named_expert(call, name):
    return expert(call.fund, first_name=name, last_name="Canary")


def _agenda(client, user, meeting):
    client.force_login(user)
    return client.get(reverse("committee:agenda", args=[meeting.pk]))


def _item_url(meeting, item, name="committee:item"):
    return reverse(name, args=[meeting.pk, item.pk])


def test_the_agenda_shows_the_figures_votes_and_quorum(client):
    meeting = session(quorum=2)
    call = meeting.call
    first = reviewed(call, [70, 90], title="Le phare")
    second = reviewed(call, [40], title="La dune")
    items = on_agenda(meeting, first, second)
    voter, other = member(meeting), member(meeting)
    Vote.objects.create(item=items[0], voter=voter, choice="fund")
    Vote.objects.create(item=items[0], voter=other, choice="defer")

    page = _agenda(client, voter, meeting).content.decode()

    assert page.index("Le phare") < page.index("La dune")
    assert "80,0" in page or "80.0" in page  # the raw mean of 70 and 90
    assert "20,0" in page or "20.0" in page  # the spread
    assert "Reached (2)" in page or "Atteint (2)" in page
    assert "0 of 2" in page or "0 sur 2" in page


def test_members_read_reviews_as_reviewer_letters_and_the_staff_by_name(client):
    meeting = session()
    call = meeting.call
    first, second = _named_expert(call, "Zéphyrine"), _named_expert(call, "Anatole")
    application = reviewed(call, [60, 80], experts=[first, second])
    (item,) = on_agenda(meeting, application)
    reader = member(meeting)

    client.force_login(reader)
    page = client.get(_item_url(meeting, item)).content.decode()
    assert "Zéphyrine" not in page and "Anatole" not in page and "Canary" not in page
    assert "Reviewer A" in page or "Expert·e A" in page or "A</h3>" in page
    assert "Opinion 60" in page and "Opinion 80" in page

    client.force_login(call_staff(call))
    page = client.get(_item_url(meeting, item)).content.decode()
    assert "Zéphyrine Canary" in page and "Anatole Canary" in page


def test_the_agenda_api_and_pages_never_name_an_expert_to_a_member(client):
    meeting = session()
    call = meeting.call
    named = _named_expert(call, "Hyacinthe")
    on_agenda(meeting, reviewed(call, [75], experts=[named]))
    reader = member(meeting)
    assert "Hyacinthe" not in _agenda(client, reader, meeting).content.decode()


def test_a_member_votes_and_changes_their_vote_on_the_item_page(client):
    meeting = session()
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    reader = member(meeting)
    PersonFactory(user=reader, first_name="Ondine", last_name="Voter")
    client.force_login(reader)

    client.post(_item_url(meeting, item, "committee:item_vote"), {"choice": "fund"})
    client.post(_item_url(meeting, item, "committee:item_vote"), {"choice": "reject"})

    assert list(Vote.objects.values_list("choice", flat=True)) == ["reject"]
    page = client.get(_item_url(meeting, item)).content.decode()
    assert "Ondine Voter" in page  # recorded votes name their voter
    # The staff see who voted what, and may not vote themselves.
    runner = call_staff(meeting.call)
    client.force_login(runner)
    assert "Ondine Voter" in client.get(_item_url(meeting, item)).content.decode()
    client.post(_item_url(meeting, item, "committee:item_vote"), {"choice": "fund"})
    assert Vote.objects.count() == 1


def test_no_vote_form_outside_an_open_session(client):
    meeting = session(status="closed")
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    reader = member(meeting)
    client.force_login(reader)
    page = client.get(_item_url(meeting, item)).content.decode()
    assert _item_url(meeting, item, "committee:item_vote") not in page
    client.post(_item_url(meeting, item, "committee:item_vote"), {"choice": "fund"})
    assert not Vote.objects.exists()


def test_stale_notes_are_refused_with_both_texts_and_nothing_lost(client):
    meeting = session()
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    chair = member(meeting, chairs=True)
    client.force_login(chair)
    url = _item_url(meeting, item, "committee:item_notes")
    assert client.post(url, {"notes": "First take.", "version": "0"}).status_code == 302

    stale = client.post(url, {"notes": "Second take.", "version": "0"})

    assert stale.status_code == 409
    page = stale.content.decode()
    assert "First take." in page and "Second take." in page
    assert AgendaItem.objects.get(pk=item.pk).notes == "First take."
    # Saved again from the page that showed both: the merged text is kept.
    assert 'name="version" value="1"' in page
    client.post(url, {"notes": "First and second take.", "version": "1"})
    assert AgendaItem.objects.get(pk=item.pk).notes == "First and second take."


def test_a_member_who_does_not_chair_sees_no_notes_form(client):
    meeting = session()
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    reader = member(meeting)
    client.force_login(reader)
    page = client.get(_item_url(meeting, item)).content.decode()
    assert _item_url(meeting, item, "committee:item_notes") not in page
    client.post(_item_url(meeting, item, "committee:item_notes"), {"notes": "x", "version": "0"})
    assert AgendaItem.objects.get(pk=item.pk).notes == ""


# --- Attackers ----------------------------------------------------------------------------------


def test_a_member_on_the_team_of_an_application_does_not_see_its_item(client):
    meeting = session()
    call = meeting.call
    theirs = reviewed(call, [70], title="Their own file")
    other = reviewed(call, [60], title="Somebody's file")
    own_item, _other_item = on_agenda(meeting, theirs, other)
    reader = member(meeting)
    add_member(theirs, reader)

    page = _agenda(client, reader, meeting).content.decode()
    assert "Their own file" not in page and "Somebody" in page
    assert client.get(_item_url(meeting, own_item)).status_code == 404
    vote = client.post(_item_url(meeting, own_item, "committee:item_vote"), {"choice": "fund"})
    assert vote.status_code == 404 and not Vote.objects.exists()


def test_a_member_in_conflict_as_an_expert_does_not_see_the_item(client):
    meeting = session()
    call = meeting.call
    application = reviewed(call, [70], title="Conflicted file")
    (item,) = on_agenda(meeting, application)
    reader = expert(call.fund)
    member(meeting, user=reader)
    add_conflict(
        call=call,
        expert=Expert.objects.get(user=reader, fund=call.fund),
        application=application,
        by=staff(),
        kind="other",
        reason="Former partner.",
    )

    assert "Conflicted file" not in _agenda(client, reader, meeting).content.decode()
    assert client.get(_item_url(meeting, item)).status_code == 404


def test_outsiders_get_404_or_403(client):
    meeting = session()
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    another = member(session(meeting.call))
    for outsider in (another, call_staff(open_call())):
        client.force_login(outsider)
        assert client.get(reverse("committee:agenda", args=[meeting.pk])).status_code == 404
        assert client.get(_item_url(meeting, item)).status_code == 404
    # The applicant of the file and a member without a committee page: 403.
    client.force_login(item.application.lead)
    assert client.get(_item_url(meeting, item)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("committee:agenda", args=[meeting.pk])).status_code == 403
    client.logout()
    assert client.get(_item_url(meeting, item)).status_code == 302


def test_an_item_of_another_session_is_a_404(client):
    meeting = session()
    other = session(meeting.call)
    (item,) = on_agenda(other, reviewed(meeting.call, [70]))
    reader = member(meeting)
    client.force_login(reader)
    assert client.get(_item_url(meeting, item)).status_code == 404


# --- Query counts -------------------------------------------------------------------------------


def warm(call):
    """A new review changes the scores' cache key: the first page after it computes them again
    (a fixed number of queries, whatever the size); the count compares warm pages."""
    scores_of_call(call)


def test_the_agenda_costs_the_same_queries_with_more_applications(client):
    meeting = session()
    call = meeting.call
    reader = member(meeting)
    voter = member(meeting)
    on_agenda(meeting, reviewed(call, [50, 60]))
    client.force_login(reader)

    def grow():
        (item,) = on_agenda(meeting, reviewed(call, [40, 70]))
        Vote.objects.create(item=item, voter=voter, choice="fund")
        Vote.objects.create(item=item, voter=reader, choice="defer")
        warm(call)

    same_queries(client, reverse("committee:agenda", args=[meeting.pk]), grow)


def test_the_staff_agenda_and_session_pages_cost_the_same_queries(client):
    meeting = session()
    call = meeting.call
    on_agenda(meeting, reviewed(call, [50]))
    client.force_login(call_staff(call))

    def grow():
        on_agenda(meeting, reviewed(call, [40, 70]))
        member(meeting)
        warm(call)

    same_queries(client, reverse("committee:agenda", args=[meeting.pk]), grow)
    same_queries(client, reverse("committee:session", args=[meeting.pk]), grow)
