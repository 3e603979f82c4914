"""The instruction page of a file before the committee leads its staff to the committee's
decision page (the generic "Other actions" form refuses the decisions)."""

import pytest
from django.urls import reverse

from tests.committee.factories import call_staff, on_agenda, open_call, reviewed, session

pytestmark = pytest.mark.django_db


def _page(client, user, application):
    client.force_login(user)
    url = reverse("calls:staff_application", args=[application.call.slug, application.reference])
    return client.get(url).content.decode()


def test_the_staff_of_a_file_on_an_agenda_find_the_decision_page(client):
    call = open_call()
    meeting = session(call)
    application = reviewed(call, [60, 70])
    on_agenda(meeting, application)
    staff = call_staff(call)
    link = reverse("committee:decide", args=[meeting.pk, application.pk])
    assert link in _page(client, staff, application)


def test_no_decision_link_for_a_file_on_no_agenda_or_a_closed_session(client):
    call = open_call()
    staff = call_staff(call)
    alone = reviewed(call, [60])
    assert "/decide/" not in _page(client, staff, alone)
    past = session(call, status="closed")
    on_agenda(past, alone)
    assert "/decide/" not in _page(client, staff, alone)
