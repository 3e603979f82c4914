"""The decision pages, the outbox, the letter's PDF, the applicant's page and the API, as the
people who use them and as attackers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from filiere.accounts.services import create_api_token
from filiere.committee.models import Decision, Letter
from tests.calls.instruction_factories import ApplicationFactory, add_member
from tests.committee.factories import (
    call_staff,
    member,
    on_agenda,
    open_call,
    reviewed,
    session,
    staff,
)
from tests.committee.test_decisions_data import canaries, decided
from tests.factories import UserFactory
from tests.review.factories import same_queries

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def _api(application):
    return f"/api/v1/applications/{application.pk}/decision"


def _send(client, call, django_capture_on_commit_callbacks):
    client.force_login(call_staff(call))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("committee:outbox_send", args=[call.slug]))
    assert response.status_code == 302
    client.logout()


# --- staff: decide, sign, send ------------------------------------------------------------------


def test_staff_decide_from_the_agenda_and_another_signs(client):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    proposer = call_staff(call)
    client.force_login(proposer)
    url = reverse("committee:decide", args=[meeting.pk, application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "award", "amount": "42000", "reason": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:decisions", args=[meeting.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Awaiting a second signature" in page
    assert "Confirm (second signature)" not in page  # not for the proposer
    decision = Decision.objects.get()
    client.force_login(staff())
    page = client.get(reverse("committee:decisions", args=[meeting.pk])).content.decode()
    assert "Confirm (second signature)" in page
    client.post(reverse("committee:decision_confirm", args=[decision.pk]))
    decision.refresh_from_db()
    application.refresh_from_db()
    assert (decision.status, application.state) == ("confirmed", "awarded")
    outbox = client.get(reverse("committee:outbox", args=[call.slug])).content.decode()
    assert application.reference in outbox
    pdf = client.get(reverse("committee:letter_pdf", args=[decision.letter.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_the_decide_form_says_why_an_amount_is_refused(client):
    call = open_call()
    application = reviewed(call, [70], requested_amount=Decimal("50000"))
    meeting = session(call)
    on_agenda(meeting, application)
    client.force_login(call_staff(call))
    url = reverse("committee:decide", args=[meeting.pk, application.pk])
    page = client.post(url, {"outcome": "award", "amount": "60000"}).content.decode()
    assert "may not exceed the amount requested" in page
    page = client.post(url, {"outcome": "reject", "amount": "0", "reason": ""}).content.decode()
    assert "Give the reasons" in page
    assert not Decision.objects.exists()


def test_the_proposer_confirming_is_told_why_and_nothing_changes(client):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    proposer = call_staff(call)
    client.force_login(proposer)
    client.post(
        reverse("committee:decide", args=[meeting.pk, application.pk]),
        {"outcome": "award", "amount": "1000"},
    )
    decision = Decision.objects.get()
    response = client.post(reverse("committee:decision_confirm", args=[decision.pk]), follow=True)
    assert "must come from another person" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_a_stale_feedback_edit_answers_409_with_the_current_text(client):
    call = open_call()
    letter, _ = decided(call)
    client.force_login(call_staff(call))
    url = reverse("committee:letter_edit", args=[letter.pk])
    assert client.post(url, {"feedback": "Premier\n\nSecond", "version": "0"}).status_code == 302
    letter.refresh_from_db()
    assert letter.feedback == ["Premier", "Second"]
    response = client.post(url, {"feedback": "Ma version", "version": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed this letter" in page
    assert "Ma version" in page  # what was typed, to copy from
    letter.refresh_from_db()
    assert letter.feedback == ["Premier", "Second"]


def test_the_decisions_and_outbox_lists_cost_the_same_queries_as_they_grow(client):
    call = open_call()
    meeting = session(call, second_signature=False)
    client.force_login(staff())

    def decide_one():
        application = reviewed(call, [60])
        on_agenda(meeting, application)
        client.post(
            reverse("committee:decide", args=[meeting.pk, application.pk]),
            {"outcome": "award", "amount": "1000"},
        )

    decide_one()
    same_queries(client, reverse("committee:decisions", args=[meeting.pk]), decide_one)
    same_queries(client, reverse("committee:outbox", args=[call.slug]), decide_one)
    assert Letter.objects.count() == 7


# --- the applicant ------------------------------------------------------------------------------


def test_the_applicant_reads_decision_amount_and_feedback_once_the_letter_is_sent(
    client, django_capture_on_commit_callbacks
):
    call = open_call()
    letter, reviewer = decided(call, amount=Decimal("30000"))
    application = letter.decision.application
    client.force_login(application.lead)
    detail = reverse("calls:application_detail", args=[application.pk])
    page = client.get(detail).content.decode()
    assert "Decision: Award" in page
    assert "Reviewer A" not in page  # the feedback waits for the letter
    assert client.get(_api(application), **_bearer(application.lead)).json()["feedback"] == []
    _send(client, call, django_capture_on_commit_callbacks)
    client.force_login(application.lead)
    page = client.get(detail).content.decode()
    assert "30\u00a0000\u00a0€" in page
    assert "Reviewer A: Un récit solide." in page
    pdf = client.get(reverse("committee:letter_pdf", args=[letter.pk]))
    assert pdf.status_code == 200
    answer = client.get(_api(application), **_bearer(application.lead)).json()
    assert answer["outcome"] == "award"
    assert Decimal(answer["amount"]) == Decimal("30000")
    assert answer["feedback"][0].startswith("Reviewer A: Un récit solide.")
    assert answer["letter_sent_at"] is not None
    for canary in canaries(reviewer):
        assert canary not in page
        assert canary not in str(answer)
        assert canary.encode() not in pdf.content
    assert "confidentielle" not in page


def test_an_accepted_team_member_reads_it_too(client, django_capture_on_commit_callbacks):
    call = open_call()
    letter, _ = decided(call)
    teammate = add_member(letter.decision.application, UserFactory()).user
    _send(client, call, django_capture_on_commit_callbacks)
    client.force_login(teammate)
    assert client.get(reverse("committee:letter_pdf", args=[letter.pk])).status_code == 200
    assert client.get(_api(letter.decision.application), **_bearer(teammate)).status_code == 200


def test_the_applicant_sees_nothing_before_a_decision_is_confirmed(client):
    call = open_call()
    application = reviewed(call, [70])
    client.force_login(application.lead)
    page = client.get(reverse("calls:application_detail", args=[application.pk])).content
    assert b"decision-title" not in page
    assert client.get(_api(application), **_bearer(application.lead)).status_code == 404


# --- attackers ----------------------------------------------------------------------------------


def test_nobody_else_reads_the_letter_nor_the_decision(client, django_capture_on_commit_callbacks):
    call = open_call()
    letter, reviewer = decided(call)
    application = letter.decision.application
    meeting = session(call)
    on_agenda(meeting, application)
    invitee = UserFactory()
    add_member(application, invitee, accepted=False)
    other_lead = ApplicationFactory(call=call).lead
    attackers = {
        "another team's lead": other_lead,
        "a pending invitee": invitee,
        "the expert": reviewer,
        "a committee member": member(meeting),
        "staff of another call": call_staff(open_call()),
    }
    _send(client, call, django_capture_on_commit_callbacks)
    for who, user in attackers.items():
        client.force_login(user)
        pdf = client.get(reverse("committee:letter_pdf", args=[letter.pk]))
        assert pdf.status_code == 404, who
        assert client.get(_api(application), **_bearer(user)).status_code == 404, who
        detail = client.get(reverse("calls:application_detail", args=[application.pk]))
        assert detail.status_code == 404, who


def test_the_lead_cannot_read_the_letter_before_it_is_sent(client):
    letter, _ = decided(open_call())
    client.force_login(letter.decision.application.lead)
    assert client.get(reverse("committee:letter_pdf", args=[letter.pk])).status_code == 404


def test_staff_pages_refuse_committee_members_and_staff_of_other_calls(client):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    decision = Decision.objects.create(
        application=application, outcome="award", amount=10, proposed_by=staff()
    )
    pages = [
        reverse("committee:decide", args=[meeting.pk, application.pk]),
        reverse("committee:decisions", args=[meeting.pk]),
    ]
    client.force_login(member(meeting))
    for url in pages:
        assert client.get(url).status_code == 403
    assert client.get(reverse("committee:outbox", args=[call.slug])).status_code == 403
    client.force_login(call_staff(open_call()))
    for url in pages:
        assert client.get(url).status_code == 404
    assert client.post(reverse("committee:decision_confirm", args=[decision.pk])).status_code == 404
    assert client.get(reverse("committee:outbox", args=[call.slug])).status_code == 403


def test_staff_on_the_team_cannot_decide_their_own_file(client):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    insider = call_staff(call)
    add_member(application, insider)
    client.force_login(insider)
    assert (
        client.get(reverse("committee:decide", args=[meeting.pk, application.pk])).status_code
        == 404
    )
