"""Attacks and hostile input: another member's agenda and requests are 404, staff pages are
refused, odd input gets a clear message and never a 500; the reason codes all have words."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

import filiere.engine.schedule as engine_schedule
from filiere.events import phrases
from filiere.events.models import Event, MeetingRequest
from tests.accounts.factories import UserFactory
from tests.events.factories import event, registered, staff

pytestmark = pytest.mark.django_db


def test_a_non_participant_gets_404_on_every_meeting_page(client):
    day = event(meetings=True, slots=2)
    alice, bob = registered(day).user, registered(day).user
    request = MeetingRequest.objects.create(event=day, sender=alice, recipient=bob)
    client.force_login(UserFactory())
    for name, args in [
        ("events:meetings", [day.pk]),
        ("events:agenda", [day.pk]),
        ("events:agenda_pdf", [day.pk]),
        ("events:agenda_ics", [day.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args, data in [
        ("events:request_meeting", [day.pk], {"recipient": alice.pk}),
        ("events:answer_request", [day.pk, request.pk], {"decision": "accept"}),
        ("events:unavailability", [day.pk], {}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_waitlisted_person_is_not_a_participant(client):
    day = event(meetings=True, slots=2, capacity=1)
    registered(day)
    waiting = UserFactory()
    from filiere.events import services

    services.register(event=day, user=waiting)
    client.force_login(waiting)
    assert client.get(reverse("events:meetings", args=[day.pk])).status_code == 404


def test_another_participants_request_is_404(client):
    day = event(meetings=True, slots=2)
    alice, bob, carol = (registered(day).user for _ in range(3))
    theirs = MeetingRequest.objects.create(event=day, sender=alice, recipient=bob)
    client.force_login(carol)
    response = client.post(
        reverse("events:answer_request", args=[day.pk, theirs.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    client.force_login(alice)  # the sender may not answer their own request
    response = client.post(
        reverse("events:answer_request", args=[day.pk, theirs.pk]),
        {"decision": "accept"},
        follow=True,
    )
    assert "Only the person asked answers this request." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_staff_pages_are_refused_to_members(client):
    day = event()
    client.force_login(UserFactory())
    for name, args in [
        ("events:staff_list", []),
        ("events:create", []),
        ("events:edit", [day.pk]),
        ("events:participants", [day.pk]),
        ("events:participants_csv", [day.pk]),
        ("events:check_in_list", [day.pk]),
        ("events:schedule", [day.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_hostile_input_gets_clear_messages(client):
    day = event(meetings=True, slots=2)
    alice = registered(day).user
    registered(day)
    client.force_login(alice)
    with translation.override("en"):  # Django's own messages in English
        url = reverse("events:request_meeting", args=[day.pk])
    long = client.post(
        url,
        {"recipient": "1; DROP TABLE", "message": "x" * 5000},
    )
    assert long.status_code == 400
    body = long.content.decode()
    assert "Select a valid choice" in body or "at most 500 characters" in body
    odd = client.post(reverse("events:answer_request", args=[day.pk, 99999]), {"decision": "maybe"})
    assert odd.status_code == 404
    slots = client.post(reverse("events:unavailability", args=[day.pk]), {"slots": ["x", "-1"]})
    assert slots.status_code == 302
    assert client.get("/events/calendar/" + "a" * 300 + ".ics").status_code == 404
    assert client.get("/events/999999/").status_code == 404


def test_event_form_says_what_is_wrong(client):
    client.force_login(staff())
    with translation.override("en"):  # Django's own messages in English
        create = reverse("events:create")
    response = client.post(
        create,
        {
            "title_fr": "Journée",
            "kind": "partner_day",
            "starts_at": "2030-03-10T09:00",
            "ends_at": "2030-03-10T08:00",
            "status": "published",
            "tables": "0",
            "capacity": "-3",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to" in page  # capacity
    response = client.post(
        reverse("events:create"),
        {
            "title_fr": "Journée",
            "kind": "partner_day",
            "starts_at": "2030-03-10T09:00",
            "ends_at": "2030-03-10T08:00",
            "status": "published",
            "tables": "0",
        },
    )
    assert "The event must end after it starts." in response.content.decode()
    response = client.post(
        reverse("events:create"),
        {
            "title_fr": "Journée",
            "kind": "partner_day",
            "starts_at": "2030-03-10T09:00",
            "ends_at": "2030-03-10T18:00",
            "status": "published",
            "meetings_enabled": "on",
            "tables": "4",
            "slots": "10:00-10:20\nten o'clock\n10:10-10:30",
        },
    )
    assert "Line 2 (“ten o&#x27;clock”) is not a slot" in response.content.decode()
    response = client.post(
        reverse("events:create"),
        {
            "title_fr": "Journée",
            "kind": "partner_day",
            "starts_at": "2030-03-10T09:00",
            "ends_at": "2030-03-10T18:00",
            "status": "published",
            "meetings_enabled": "on",
            "tables": "4",
            "slots": "10:00-10:20\n10:10-10:30",
        },
    )
    assert "Slots 1 and 2 overlap." in response.content.decode()
    assert not Event.objects.exists()
    response = client.post(
        reverse("events:create"),
        {
            "title_fr": "Journée",
            "title_nl": "Partnerdag",
            "kind": "partner_day",
            "starts_at": "2030-03-10T09:00",
            "ends_at": "2030-03-10T18:00",
            "status": "published",
            "meetings_enabled": "on",
            "tables": "4",
            "slots": "10:00-10:20\n2030-03-10 10:20-10:40",
        },
    )
    assert response.status_code == 302
    created = Event.objects.get()
    assert created.slots.count() == 2 and created.title_nl == "Partnerdag"


def test_every_code_the_engine_can_emit_has_words():
    source = Path(engine_schedule.__file__).read_text()
    errors = set(re.findall(r'ScheduleError\(\s*"(\w+)"', source))
    reasons = {
        value
        for name, value in vars(engine_schedule).items()
        if name.isupper() and isinstance(value, str)
    }
    assert reasons == {"participant_unavailable", "no_common_slot", "capacity"}
    assert errors and errors <= set(phrases.RUN_ERRORS)
    for code in reasons:
        assert code in phrases.UNSCHEDULED
        assert "(" not in phrases.unscheduled_reason(code)  # not the fallback
    for code in errors:
        assert phrases.run_error(code) != phrases.run_error("failed") or code == "failed"


def test_every_refusal_code_raised_has_its_sentence():
    root = Path(phrases.__file__).parent
    raised = set()
    for module in root.glob("*.py"):
        text = module.read_text()
        raised |= set(
            re.findall(r'(?:ServiceError|NotAllowed|Invalid)\(\s*"(events\.[\w.]+)"', text)
        )
    assert len(raised) > 20
    assert raised <= set(phrases.REFUSALS), raised - set(phrases.REFUSALS)
