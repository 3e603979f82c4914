"""Committee sessions: the staff create them, choose members, build the agenda through the calls'
one door, open and close; members vote; the chair keeps the notes. Tested as the people who may
and as those who may not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from filiere.accounts.models import Role, User
from filiere.audit.models import AuditEntry
from filiere.committee import services_sessions as services
from filiere.committee.models import AgendaItem, Session, SessionMember, Vote
from filiere.errors import Invalid, NotAllowed, ServiceError
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
from tests.factories import ApplicationFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The account as a new request reads it (its roles not cached)."""
    return User.objects.get(pk=user.pk)


def _actions():
    return list(AuditEntry.objects.values_list("action", flat=True))


# --- Sessions and members -----------------------------------------------------------------------


def test_the_staff_of_the_call_create_a_session_in_preparation():
    call = open_call()
    runner = call_staff(call)

    created = services.create_session(
        call=call,
        title=" Comité d'automne ",
        meets_at=timezone.now() + timedelta(days=3),
        place="Liège",
        quorum=2,
        by=runner,
    )

    assert created.status == "preparing" and created.title == "Comité d'automne"
    assert "committee.session.created" in _actions()


def test_nobody_else_creates_a_session_and_a_title_and_quorum_are_required():
    call = open_call()
    for outsider in (call_staff(open_call()), UserFactory()):
        with pytest.raises(NotAllowed):
            services.create_session(
                call=call, title="x", meets_at=timezone.now(), quorum=1, by=outsider
            )
    with pytest.raises(Invalid) as empty:
        services.create_session(call=call, title=" ", meets_at=timezone.now(), by=staff())
    assert empty.value.field == "title"
    with pytest.raises(Invalid):
        services.create_session(call=call, title="x", meets_at=timezone.now(), quorum=0, by=staff())
    assert not Session.objects.exists()


def test_a_member_gets_the_grant_of_the_session_and_loses_it_when_removed():
    meeting = session(status="preparing")
    person = UserFactory()

    added = services.add_member(session=meeting, user=person, chairs=True, by=staff())

    assert _fresh(person).has_role(
        Role.COMMITTEE, scope_type="committee_session", scope_id=meeting.pk
    )
    assert not _fresh(person).has_role(Role.COMMITTEE)  # scoped, not global
    with pytest.raises(ServiceError) as twice:
        services.add_member(session=meeting, user=person, by=staff())
    assert twice.value.code == "committee.member.already"

    with pytest.raises(Invalid):
        services.remove_member(member=added, by=staff(), reason="")
    services.remove_member(member=added, by=staff(), reason="Left the fund")

    assert not _fresh(person).has_role_anywhere(Role.COMMITTEE)
    assert SessionMember.objects.get(pk=added.pk).removed_at is not None
    assert {"committee.member.added", "committee.member.removed"} <= set(_actions())
    # They may come back later: a new membership with a new grant.
    services.add_member(session=meeting, user=person, by=staff())
    assert _fresh(person).has_role(
        Role.COMMITTEE, scope_type="committee_session", scope_id=meeting.pk
    )


def test_only_the_staff_of_the_call_choose_members():
    meeting = session()
    chair = member(meeting, chairs=True)
    for outsider in (chair, call_staff(open_call())):
        with pytest.raises(NotAllowed):
            services.add_member(session=meeting, user=UserFactory(), by=outsider)


def test_a_session_opens_from_preparation_and_closes_once_open():
    meeting = session(status="preparing")
    runner = call_staff(meeting.call)
    with pytest.raises(ServiceError):
        services.close_session(session=meeting, by=runner)
    services.open_session(session=meeting, by=runner)
    services.close_session(session=meeting, by=runner)
    assert Session.objects.get(pk=meeting.pk).status == "closed"
    with pytest.raises(ServiceError) as closed:
        services.add_member(session=meeting, user=UserFactory(), by=runner)
    assert closed.value.code == "committee.session.closed"
    assert {"committee.session.opened", "committee.session.closed"} <= set(_actions())


# --- Agenda -------------------------------------------------------------------------------------


def test_applications_reach_the_agenda_through_the_one_door():
    meeting = session(status="preparing")
    call = meeting.call
    runner = call_staff(call)
    reading = ApplicationFactory(call=call, state="under_review")
    heard = ApplicationFactory(call=call, state="hearing")
    deferred = ApplicationFactory(call=call, state="deferred")
    ready = ApplicationFactory(call=call, state="committee")

    items = services.add_to_agenda(
        session=meeting, applications=[reading, heard, deferred, ready], by=runner
    )

    assert [i.position for i in items] == [1, 2, 3, 4]
    for application in (reading, heard, deferred, ready):
        application.refresh_from_db()
        assert application.state == "committee"
    actions = _actions()
    assert actions.count("calls.application.send_to_committee") == 2
    assert "calls.application.reschedule" in actions
    assert "committee.agenda.added" in actions


@pytest.mark.parametrize("state", ["draft", "submitted", "eligible", "awarded", "withdrawn"])
def test_an_application_not_ready_is_refused_and_nothing_is_added(state):
    meeting = session(status="preparing")
    good = ApplicationFactory(call=meeting.call, state="under_review")
    bad = ApplicationFactory(call=meeting.call, state=state)

    with pytest.raises(ServiceError) as refused:
        services.add_to_agenda(session=meeting, applications=[good, bad], by=staff())

    assert refused.value.code == "committee.agenda.not_ready"
    assert bad.reference in refused.value.message
    good.refresh_from_db()
    assert good.state == "under_review"
    assert not AgendaItem.objects.exists()


def test_another_calls_application_and_a_second_addition_are_refused():
    meeting = session(status="preparing")
    stranger = ApplicationFactory(call=open_call(), state="committee")
    with pytest.raises(Invalid):
        services.add_to_agenda(session=meeting, applications=[stranger], by=staff())
    mine = ApplicationFactory(call=meeting.call, state="committee")
    services.add_to_agenda(session=meeting, applications=[mine], by=staff())
    with pytest.raises(ServiceError) as again:
        services.add_to_agenda(session=meeting, applications=[mine], by=staff())
    assert again.value.code == "committee.agenda.already_on"
    with pytest.raises(NotAllowed):
        services.add_to_agenda(session=meeting, applications=[mine], by=call_staff(stranger.call))


def test_the_agenda_is_ordered_by_calibrated_score_unreviewed_last():
    meeting = session(status="preparing")
    call = meeting.call
    low = reviewed(call, [40, 42])
    unread = ApplicationFactory(call=call, state="committee", reference="ZZ-1")
    high = reviewed(call, [80, 84])
    on_agenda(meeting, low, unread, high)

    services.order_by_ranking(session=meeting, by=staff())

    order = list(
        AgendaItem.objects.filter(session=meeting)
        .order_by("position")
        .values_list("application_id", flat=True)
    )
    assert order == [high.pk, low.pk, unread.pk]
    assert "committee.agenda.ordered" in _actions()


def test_an_item_with_votes_stays_on_the_agenda():
    meeting = session()
    voter = member(meeting)
    first, second = on_agenda(meeting, reviewed(meeting.call, [50]), reviewed(meeting.call, [60]))
    services.record_vote(item=first, by=voter, choice="fund")

    with pytest.raises(ServiceError) as kept:
        services.remove_from_agenda(item=first, by=staff())
    assert kept.value.code == "committee.agenda.has_votes"
    services.remove_from_agenda(item=second, by=staff())
    assert list(AgendaItem.objects.values_list("pk", flat=True)) == [first.pk]


# --- Votes --------------------------------------------------------------------------------------


def test_a_member_votes_once_and_a_new_vote_replaces_it():
    meeting = session()
    voter = member(meeting)
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))

    services.record_vote(item=item, by=voter, choice="fund")
    services.record_vote(item=item, by=voter, choice="defer")

    assert list(Vote.objects.values_list("choice", flat=True)) == ["defer"]
    assert _actions().count("committee.vote.recorded") == 2
    with pytest.raises(Invalid):
        services.record_vote(item=item, by=voter, choice="maybe")


def test_votes_are_refused_outside_an_open_session():
    meeting = session(status="preparing")
    voter = member(meeting)
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    with pytest.raises(ServiceError) as refused:
        services.record_vote(item=item, by=voter, choice="fund")
    assert refused.value.code == "committee.vote.not_open"
    Session.objects.filter(pk=meeting.pk).update(status="closed")
    item.session.refresh_from_db()
    with pytest.raises(ServiceError):
        services.record_vote(item=item, by=voter, choice="fund")
    assert not Vote.objects.exists()


def test_who_may_not_vote():
    meeting = session()
    call = meeting.call
    application = reviewed(call, [70])
    (item,) = on_agenda(meeting, application)
    # The staff of the call, a member of another session, a global committee role.
    other = session(call)
    outsiders = [call_staff(call), member(other), UserFactory()]
    from tests.factories import user_with_role

    outsiders.append(user_with_role(Role.COMMITTEE))
    # A member on the application's team, and one in conflict with it as an expert.
    on_team = member(meeting)
    add_member(application, on_team)
    conflicted = expert(call.fund)
    member(meeting, user=conflicted)
    add_conflict(
        call=call,
        expert=Expert.objects.get(user=conflicted, fund=call.fund),
        application=application,
        by=staff(),
        kind="other",
        reason="Worked together.",
    )
    # A removed member.
    gone = member(meeting)
    services.remove_member(
        member=SessionMember.objects.get(user=gone, session=meeting), by=staff(), reason="left"
    )

    for person in [*outsiders, on_team, conflicted, gone]:
        with pytest.raises(NotAllowed):
            services.record_vote(item=item, by=_fresh(person), choice="fund")
    assert not Vote.objects.exists()


# --- Notes --------------------------------------------------------------------------------------


def test_the_chair_saves_notes_and_a_stale_version_loses_nothing():
    meeting = session()
    chair = member(meeting, chairs=True)
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))

    services.save_notes(item=item, notes="Strong cast.", version=0, by=chair)
    # A second tab, opened at version 0, saves something else.
    with pytest.raises(services.StaleNotes) as stale:
        services.save_notes(item=item, notes="Weak budget.", version=0, by=staff())

    assert stale.value.current == "Strong cast." and stale.value.submitted == "Weak budget."
    saved = AgendaItem.objects.get(pk=item.pk)
    assert (saved.notes, saved.notes_version) == ("Strong cast.", 1)
    services.save_notes(item=item, notes="Strong cast. Weak budget.", version=1, by=staff())
    assert AgendaItem.objects.get(pk=item.pk).notes_version == 2


def test_members_who_do_not_chair_keep_no_notes():
    meeting = session()
    voter = member(meeting)
    (item,) = on_agenda(meeting, reviewed(meeting.call, [70]))
    with pytest.raises(NotAllowed):
        services.save_notes(item=item, notes="x", version=0, by=voter)
    with pytest.raises(NotAllowed):
        services.save_notes(item=item, notes="x", version=0, by=call_staff(open_call()))
