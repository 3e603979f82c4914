"""Event registrations in the export and the deletion (the events app is installed)."""

import pytest

from filiere.events.models import CalendarToken, MeetingRequest, Registration
from filiere.privacy import services
from tests.events.factories import event, registered
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_users_registrations_and_requests_without_calendar_keys():
    user, other = UserFactory(), UserFactory(email="event-canary@example.org")
    day = event(meetings=True, slots=2)
    registered(day, user)
    registered(day, other)
    MeetingRequest.objects.create(event=day, sender=user, recipient=other, message="See you")
    CalendarToken.objects.create(user=user, token="calendar-canary-key")

    data = services.export_data(user=user, by=user)

    assert [r["status"] for r in data["events"]["registration"]] == ["registered"]
    (request,) = data["events"]["meetingrequest"]
    assert request["sender"] == "you"
    assert request["recipient"] == other.get_full_name()
    text = str(data)
    assert "calendar-canary-key" not in text
    assert "event-canary@example.org" not in text


def test_deletion_cancels_upcoming_places_and_the_waiting_list_moves_up():
    user, waiting = UserFactory(), UserFactory()
    day = event(capacity=1)
    registered(day, user)
    Registration.objects.create(event=day, user=waiting, status="waitlisted")
    CalendarToken.objects.create(user=user, token="key")

    services.delete_account(user=user, by=user)

    assert Registration.objects.get(event=day, user=user).status == "cancelled"
    assert Registration.objects.get(event=day, user=waiting).status == "registered"
    assert not CalendarToken.objects.filter(user=user).exists()
