"""iCalendar files read back with the icalendar library: valid, in UTC at the right times,
stable UIDs; a participant's agenda as a page, a PDF and iCalendar; the private calendar."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from filiere.events import services, services_schedule
from filiere.events.models import Meeting
from tests.events.factories import accepted, event, registered, staff
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _read(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_event_ics_is_valid_with_utc_times_and_a_stable_uid(client):
    day = event(title_fr="Journée, partenaires; Nord")
    calendar = _read(client.get(reverse("events:ics", args=[day.pk])))
    (vevent,) = calendar.walk("VEVENT")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(vevent["UID"]) == f"event-{day.pk}@events.filiere"
    assert vevent.decoded("DTSTART") == day.starts_at
    assert vevent.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert vevent.decoded("DTEND") == day.ends_at
    assert str(vevent["LOCATION"]) == "Plaine Images, 99A boulevard Descat, Tourcoing"
    assert str(vevent["SUMMARY"]) == "Journée, partenaires; Nord"  # escaped, read back whole
    assert (
        b"SUMMARY:Journ\xc3\xa9e\\, partenaires\\; Nord"
        in client.get(reverse("events:ics", args=[day.pk])).content
    )
    day.title_fr = "Autre titre"
    day.save()
    again = _read(client.get(reverse("events:ics", args=[day.pk])))
    assert str(again.walk("VEVENT")[0]["UID"]) == f"event-{day.pk}@events.filiere"


def test_draft_event_is_not_public(client):
    draft = event(status="draft")
    assert client.get(reverse("events:ics", args=[draft.pk])).status_code == 404
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 404
    client.force_login(staff())
    assert client.get(reverse("events:detail", args=[draft.pk])).status_code == 200


def _scheduled_day():
    day = event(meetings=True, slots=2, tables=1)
    alice, bob, carol = (registered(day).user for _ in range(3))
    PersonFactory(user=bob, first_name="Bob", last_name="Martin")
    PersonFactory(user=carol, first_name="Carol", last_name="Peeters")
    accepted(day, alice, bob)
    accepted(day, carol, alice)
    run = services_schedule.request_schedule(event=day, by=staff())
    services_schedule.execute_schedule(run_id=run.pk)
    return day, alice, bob, carol


def test_agenda_page_pdf_and_ics(client):
    day, alice, bob, carol = _scheduled_day()
    client.force_login(alice)
    page = client.get(reverse("events:agenda", args=[day.pk])).content.decode()
    assert "Bob Martin" in page and "Carol Peeters" in page
    assert bob.email not in page and carol.email not in page
    pdf = client.get(reverse("events:agenda_pdf", args=[day.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"Bob Martin" in pdf.content
    calendar = _read(client.get(reverse("events:agenda_ics", args=[day.pk])))
    meetings = [v for v in calendar.walk("VEVENT") if str(v["UID"]).startswith("meeting-")]
    assert len(meetings) == 2
    expected = {
        f"meeting-{m.request_id}@events.filiere": m.slot.starts_at
        for m in Meeting.objects.filter(request__event=day).select_related("slot")
    }
    assert {str(v["UID"]): v.decoded("DTSTART") for v in meetings} == expected
    assert {str(v["SUMMARY"]) for v in meetings} == {
        "Meeting with Bob Martin",
        "Meeting with Carol Peeters",
    }


def test_private_calendar_by_key_lists_events_and_meetings(client):
    day, alice, _bob, _carol = _scheduled_day()
    other_day = event(days=20)
    services.register(event=other_day, user=alice)
    key = services.calendar_key(user=alice)
    calendar = _read(client.get(reverse("events:private_calendar", args=[key])))
    uids = sorted(str(v["UID"]) for v in calendar.walk("VEVENT"))
    assert f"event-{day.pk}@events.filiere" in uids
    assert f"event-{other_day.pk}@events.filiere" in uids
    assert sum(uid.startswith("meeting-") for uid in uids) == 2
    renewed = services.calendar_key(user=alice, renew=True)
    assert renewed != key
    assert client.get(reverse("events:private_calendar", args=[key])).status_code == 404
    assert client.get(reverse("events:private_calendar", args=[renewed])).status_code == 200


def test_my_events_page_gives_the_calendar_address(client):
    day = event()
    user = registered(day).user
    client.force_login(user)
    client.post(reverse("events:calendar_key"))
    page = client.get(reverse("events:mine")).content.decode()
    key = services.calendar_key(user=user)
    assert reverse("events:private_calendar", args=[key]) in page
