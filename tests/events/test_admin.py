"""Events in the Django admin: an administrator reads the events (with their slots),
registrations, meeting requests, schedule runs and scheduled meetings, each page in a constant
number of queries; every change goes through the services (the staff's pages, registration,
answers, the schedule's computation), so the admin refuses them, and the message of a meeting
request stays between the two participants."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from filiere.events.models import (
    CalendarToken,
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RunStatus,
    ScheduleRun,
)
from tests.admin_pages import (
    admin_url,
    administrator_client,
    assert_constant_queries,
    assert_read_only,
)
from tests.factories import UserFactory

from .factories import accepted, event, registered

pytestmark = pytest.mark.django_db

MOST_QUERIES = 14
SECRET_MESSAGE = "Between us: we are about to sign with a broadcaster"


@pytest.fixture
def admin_client(client):
    return administrator_client(client)


def _event() -> Event:
    return event(meetings=True, slots=3)


def _registration() -> Registration:
    return registered(_event())


def _request() -> MeetingRequest:
    return accepted(_event(), UserFactory(), UserFactory(), message=SECRET_MESSAGE)


def _run() -> ScheduleRun:
    return ScheduleRun.objects.create(
        event=_event(),
        requested_by=UserFactory(),
        status=RunStatus.DONE,
        outcome="optimal",
        scheduled=1,
        accepted=1,
        bound=1,
        finished_at=timezone.now(),
    )


def _meeting() -> Meeting:
    run = _run()
    request = accepted(run.event, UserFactory(), UserFactory())
    return Meeting.objects.create(request=request, slot=run.event.slots.first(), table=1, run=run)


MAKERS = {
    Event: _event,
    Registration: _registration,
    MeetingRequest: _request,
    ScheduleRun: _run,
    Meeting: _meeting,
}
WRITES = {
    Event: {"title_fr": "Renommé", "kind": "meetup", "status": "published"},
    Registration: {"status": "registered"},
    MeetingRequest: {"status": "declined"},
    ScheduleRun: {"status": "failed"},
    Meeting: {"table": 2},
}


def _more(model):
    def grow():
        for _ in range(4):
            MAKERS[model]()

    return grow


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_the_list_takes_constant_queries(admin_client, django_assert_max_num_queries, model):
    MAKERS[model]()

    assert_constant_queries(
        admin_client,
        lambda: admin_url(model, "changelist"),
        _more(model),
        django_assert_max_num_queries,
        MOST_QUERIES,
    )


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_the_change_page_takes_constant_queries(admin_client, django_assert_max_num_queries, model):
    first = MAKERS[model]()

    assert_constant_queries(
        admin_client,
        lambda: admin_url(model, "change", first.pk),
        _more(model),
        django_assert_max_num_queries,
        MOST_QUERIES,
    )


def test_an_events_page_takes_constant_queries_whatever_its_number_of_slots(
    admin_client, django_assert_max_num_queries
):
    day = event(meetings=True, slots=1)

    def more_slots():
        last = day.slots.order_by("-starts_at").first()
        for k in range(1, 6):
            day.slots.create(
                starts_at=last.ends_at + k * (last.ends_at - last.starts_at),
                ends_at=last.ends_at + (k + 1) * (last.ends_at - last.starts_at),
            )

    assert_constant_queries(
        admin_client,
        lambda: admin_url(Event, "change", day.pk),
        more_slots,
        django_assert_max_num_queries,
        MOST_QUERIES,
    )
    assert day.slots.count() == 6


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_the_admin_refuses_every_change(admin_client, model):
    assert_read_only(admin_client, MAKERS[model](), WRITES[model])


def test_a_meeting_reads_with_its_event_participants_and_table(admin_client):
    meeting = _meeting()

    listing = admin_client.get(admin_url(Meeting, "changelist")).content.decode()

    assert escape(meeting.request.event.title_fr) in listing
    assert escape(str(meeting.request.sender)) in listing
    assert escape(str(meeting.request.recipient)) in listing


def test_the_message_of_a_meeting_request_is_not_shown(admin_client):
    request = _request()

    for url in (
        admin_url(MeetingRequest, "changelist"),
        admin_url(MeetingRequest, "change", request.pk),
    ):
        page = admin_client.get(url).content.decode()
        assert escape(str(request.sender)) in page
        assert SECRET_MESSAGE not in page


def test_calendar_keys_are_not_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:app_list", kwargs={"app_label": "events"}))

    page = response.content.decode().lower()
    assert response.status_code == 200
    assert "meeting requests" in page
    # The keys of private calendar feeds are secrets: not registered, not listed.
    assert not admin.site.is_registered(CalendarToken)
    assert "calendar token" not in page
