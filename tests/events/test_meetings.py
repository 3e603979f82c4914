"""One-to-one meetings: requests only between registered participants, answers by the person
asked, unavailable slots; nobody sees an e-mail address; the schedule run stores an optimal
schedule (no one in two meetings at once, unavailability respected) and tells whoever's agenda
changed, once per run."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from filiere.audit.models import AuditEntry
from filiere.errors import NotAllowed, ServiceError
from filiere.events import selectors, services, services_meetings, services_schedule
from filiere.events.models import Meeting, MeetingRequest, RunStatus, ScheduleRun
from tests.accounts.factories import UserFactory
from tests.events.factories import accepted, event, registered, staff
from tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _people(day, n):
    return [registered(day).user for _ in range(n)]


def test_requests_only_between_registered_participants():
    day = event(meetings=True, slots=2)
    alice, bob = _people(day, 2)
    outsider = UserFactory()
    waitlisted_day = event(meetings=True, slots=2)
    with pytest.raises(NotAllowed):
        services_meetings.request_meeting(event=day, sender=outsider, recipient_id=alice.pk)
    with pytest.raises(ServiceError) as refused:
        services_meetings.request_meeting(event=day, sender=alice, recipient_id=outsider.pk)
    assert refused.value.code == "events.meetings.not_participant"
    with pytest.raises(ServiceError) as self_request:
        services_meetings.request_meeting(event=day, sender=alice, recipient_id=alice.pk)
    assert self_request.value.code == "events.meetings.self"
    services_meetings.request_meeting(event=day, sender=alice, recipient_id=bob.pk)
    with pytest.raises(ServiceError) as twice:
        services_meetings.request_meeting(event=day, sender=bob, recipient_id=alice.pk)
    assert twice.value.code == "events.meetings.already"
    with pytest.raises(ServiceError) as off:
        services_meetings.request_meeting(event=event(), sender=alice, recipient_id=bob.pk)
    assert off.value.code == "events.meetings.off"
    assert waitlisted_day.meeting_requests.count() == 0


def test_only_the_person_asked_answers_once(django_capture_on_commit_callbacks):
    day = event(meetings=True, slots=2)
    alice, bob = _people(day, 2)
    with django_capture_on_commit_callbacks(execute=True):
        request = services_meetings.request_meeting(
            event=day, sender=alice, recipient_id=bob.pk, message="Motion capture?"
        )
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert "Motion capture?" in mail.outbox[0].body
    assert alice.email not in mail.outbox[0].body
    with pytest.raises(NotAllowed):
        services_meetings.answer_request(request=request, by=alice, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services_meetings.answer_request(request=request, by=bob, accept=True)
    assert mail.outbox[-1].to == [alice.email]
    assert bob.email not in mail.outbox[-1].body
    with pytest.raises(ServiceError) as again:
        services_meetings.answer_request(request=request, by=bob, accept=False)
    assert again.value.code == "events.meetings.answered"


def test_meetings_page_shows_names_and_organisations_never_addresses(client):
    day = event(meetings=True, slots=2)
    alice = registered(day).user
    bob = registered(day).user
    person = PersonFactory(user=bob, first_name="Bob", last_name="Lefebvre", headline="Sound")
    AffiliationFactory(person=person, organisation__name="Studio Nord")
    client.force_login(alice)
    page = client.get(reverse("events:meetings", args=[day.pk])).content.decode()
    assert "Bob Lefebvre" in page and "Studio Nord" in page and "Sound" in page
    assert bob.email not in page and alice.email not in page
    response = client.post(
        reverse("events:request_meeting", args=[day.pk]),
        {"recipient": bob.pk, "message": "Let us talk"},
        follow=True,
    )
    assert "Your request was sent." in response.content.decode()
    client.force_login(bob)
    request = MeetingRequest.objects.get(event=day)
    page = client.get(reverse("events:meetings", args=[day.pk])).content.decode()
    assert "Let us talk" in page and alice.email not in page
    client.post(reverse("events:answer_request", args=[day.pk, request.pk]), {"decision": "accept"})
    request.refresh_from_db()
    assert request.status == "accepted"


def test_unavailable_slots_are_saved_and_checked(client):
    day = event(meetings=True, slots=3)
    alice = registered(day).user
    slots = selectors.slots_of(day)
    services_meetings.set_unavailable_slots(event=day, user=alice, slot_ids=[slots[0].pk])
    assert selectors.unavailable_slot_ids(day, alice) == {slots[0].pk}
    other = event(meetings=True, slots=1)
    with pytest.raises(ServiceError) as refused:
        services_meetings.set_unavailable_slots(
            event=day, user=alice, slot_ids=[selectors.slots_of(other)[0].pk]
        )
    assert refused.value.code == "events.meetings.slot_unknown"
    client.force_login(alice)
    client.post(reverse("events:unavailability", args=[day.pk]), {"slots": [slots[2].pk]})
    assert selectors.unavailable_slot_ids(day, alice) == {slots[2].pk}


def _run(day, by=None):
    run = services_schedule.request_schedule(event=day, by=by or staff())
    assert services_schedule.execute_schedule(run_id=run.pk) == RunStatus.DONE
    run.refresh_from_db()
    return run


def test_schedule_is_optimal_without_double_booking_and_respects_unavailability():
    day = event(meetings=True, slots=3, tables=2)
    a, b, c, d = _people(day, 4)
    slots = selectors.slots_of(day)
    services_meetings.set_unavailable_slots(event=day, user=a, slot_ids=[slots[0].pk])
    for x, y in [(a, b), (a, c), (a, d), (b, c), (b, d), (c, d)]:
        accepted(day, x, y)

    run = _run(day)

    assert run.outcome == "optimal" and run.gap == 0
    # a misses one of three slots: at most 2 of their 3 meetings, 5 in all, proven.
    assert run.scheduled == run.bound == 5 and run.accepted == 6
    assert list(run.unscheduled.values()) == ["capacity"]
    meetings = list(Meeting.objects.filter(request__event=day).select_related("request"))
    assert len(meetings) == 5
    busy = set()
    for m in meetings:
        for person in (m.request.sender_id, m.request.recipient_id):
            assert (person, m.slot_id) not in busy  # nobody in two meetings at once
            busy.add((person, m.slot_id))
        assert 1 <= m.table <= 2
    assert all(
        m.slot_id != slots[0].pk
        for m in meetings
        if a.pk in (m.request.sender_id, m.request.recipient_id)
    )
    assert AuditEntry.objects.filter(action="events.schedule.done").count() == 1


def test_unscheduled_requests_get_the_engines_reason_in_words(client):
    day = event(meetings=True, slots=2, tables=1)
    a, b, c = _people(day, 3)
    slots = selectors.slots_of(day)
    services_meetings.set_unavailable_slots(event=day, user=c, slot_ids=[s.pk for s in slots])
    accepted(day, a, b)
    accepted(day, a, c)
    run = _run(day)
    assert run.unscheduled == {
        str(MeetingRequest.objects.get(recipient=c).pk): "participant_unavailable"
    }
    client.force_login(a)
    page = client.get(reverse("events:agenda", args=[day.pk])).content.decode()
    assert "is unavailable in every slot that has a table" in page
    client.force_login(staff())
    staff_page = client.get(
        reverse("events:schedule_progress", args=[day.pk, run.pk])
    ).content.decode()
    assert "is unavailable in every slot that has a table" in staff_page
    assert escape(c.get_full_name()) in staff_page


def test_rerunning_keeps_meetings_and_tells_only_changed_agendas_once(
    django_capture_on_commit_callbacks,
):
    day = event(meetings=True, slots=2, tables=2)
    a, b, c, d = _people(day, 4)
    accepted(day, a, b)
    with django_capture_on_commit_callbacks(execute=True):
        first = _run(day)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    kept = Meeting.objects.get(request__sender=a)
    mail.outbox.clear()
    accepted(day, c, d)
    with django_capture_on_commit_callbacks(execute=True):
        second = _run(day)
    again = Meeting.objects.get(request__sender=a)
    assert (again.slot_id, again.table) == (kept.slot_id, kept.table)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([c.email, d.email])
    assert second.notified == 2 and first.notified == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        third = _run(day)
    assert mail.outbox == [] and third.notified == 0


def test_cancelling_removes_the_persons_meetings():
    day = event(meetings=True, slots=2, tables=2)
    a, b = _people(day, 2)
    accepted(day, a, b)
    _run(day)
    services.cancel_registration(event=day, user=b)
    assert not Meeting.objects.filter(request__event=day).exists()


def test_schedule_needs_slots_and_staff():
    with pytest.raises(ServiceError) as refused:
        services_schedule.request_schedule(event=event(meetings=True, slots=0), by=staff())
    assert refused.value.code == "events.schedule.no_slots"
    with pytest.raises(NotAllowed):
        services_schedule.request_schedule(event=event(meetings=True, slots=1), by=UserFactory())
    assert ScheduleRun.objects.count() == 0


def test_schedule_pages_run_in_the_background_and_show_the_outcome(
    client, django_capture_on_commit_callbacks
):
    day = event(meetings=True, slots=2, tables=1)
    a, b = _people(day, 2)
    accepted(day, a, b)
    client.force_login(staff())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("events:schedule_run", args=[day.pk]))
    run = ScheduleRun.objects.get(event=day)
    assert response["Location"] == reverse("events:schedule_progress", args=[day.pk, run.pk])
    waiting = client.get(response["Location"]).content.decode()
    assert "computed in the background" in waiting and "hx-trigger" in waiting
    for callback in queued:
        callback()  # the commit: the task is enqueued (run at once by the tests' backend)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # the immediate backend of the tests ran it
    page = client.get(response["Location"]).content.decode()
    assert "Proven optimal" in page and "1 / 1" in page
    partial = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'id="schedule-progress"' in partial and "<html" not in partial
