"""The lists read a constant number of queries, whatever their length; the public pages in
three languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.events.factories import accepted, event, registered, staff
from tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_public_and_staff_lists_have_constant_queries(client):
    event()
    few = _queries(client, reverse("events:list"))
    for _ in range(6):
        registered(event())
    assert _queries(client, reverse("events:list")) == few
    client.force_login(staff())
    few_staff = _queries(client, reverse("events:staff_list"))
    for _ in range(4):
        registered(event(days=-3))
    assert _queries(client, reverse("events:staff_list")) == few_staff


def test_meetings_page_and_agenda_have_constant_queries(client):
    day = event(meetings=True, slots=4, tables=3)
    me = registered(day).user

    def add_people(n):
        for _ in range(n):
            other = registered(day).user
            AffiliationFactory(person=PersonFactory(user=other))
            accepted(day, me, other)

    add_people(1)
    client.force_login(me)
    few = _queries(client, reverse("events:meetings", args=[day.pk]))
    few_agenda = _queries(client, reverse("events:agenda", args=[day.pk]))
    add_people(5)
    assert _queries(client, reverse("events:meetings", args=[day.pk])) == few
    assert _queries(client, reverse("events:agenda", args=[day.pk])) == few_agenda


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "Journée partenaires"), ("en", "Partner day"), ("nl", "Journée partenaires")],
)
def test_event_page_in_three_languages_falls_back_to_french(client, language, title):
    day = event()
    with translation.override(language):
        url = reverse("events:detail", args=[day.pk])
    page = client.get(url).content.decode()
    assert f"<h1>{title}</h1>" in page
