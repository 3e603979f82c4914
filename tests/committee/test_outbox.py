"""The outbox: staff send the call's letters in one batch; each is e-mailed once, in its
language with its PDF, to the lead and the accepted team members, and marked sent."""

from __future__ import annotations

import pytest
from django.core import mail

from filiere.audit.models import AuditEntry
from filiere.committee.models import LetterStatus
from filiere.committee.services_decisions import approve_letters, edit_feedback, send_letters
from filiere.errors import NotAllowed, ServiceError
from tests.calls.instruction_factories import add_member
from tests.committee.factories import call_staff, open_call, staff
from tests.committee.test_decisions_data import canaries, decided
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_all(django_capture_on_commit_callbacks):
    """``approve_letters``, with the task its event enqueues run once the commit is done."""

    def send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return approve_letters(**kwargs)

    return send


def test_send_all_emails_each_letter_once_to_the_team_with_its_pdf(send_all):
    call = open_call()
    letter, reviewer = decided(call, lead_language="en")
    application = letter.decision.application
    member = add_member(application, UserFactory())
    invitee = add_member(application, UserFactory(), accepted=False)
    sender = call_staff(call)
    mail.outbox.clear()
    assert send_all(call=call, by=sender) == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.sent_by == sender
    assert letter.sent_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [application.lead.email, member.user.email]
    )
    assert invitee.email not in {m.to[0] for m in mail.outbox}
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "en"
    assert application.reference in message.subject
    (name, pdf, mimetype) = message.attachments[0]
    assert (name, mimetype) == (f"decision-{application.reference}.pdf", "application/pdf")
    assert b"thirty thousand euros" in pdf
    for canary in canaries(reviewer):
        assert canary not in message.subject + message.body
        assert canary.encode() not in pdf
    sent = AuditEntry.objects.get(action="committee.letter.sent")
    assert sent.data["amount"] == "30000.00"
    assert AuditEntry.objects.get(action="committee.letter.approved").data["letters"] == [letter.pk]


def test_a_letter_is_never_sent_twice(send_all):
    call = open_call()
    letter, _reviewer = decided(call)
    sender = call_staff(call)
    send_all(call=call, by=sender)
    count = len(mail.outbox)
    # The task run again (a retry) sends nothing more; the outbox is then empty.
    assert send_letters(letter_ids=[letter.pk], by_id=sender.pk) == 0
    assert len(mail.outbox) == count
    with pytest.raises(ServiceError) as refused:
        send_all(call=call, by=sender)
    assert refused.value.code == "committee.letter.nothing_to_send"
    assert AuditEntry.objects.filter(action="committee.letter.sent").count() == 1


def test_only_the_calls_letters_leave_and_staff_of_another_call_may_not_send(send_all):
    call, other = open_call(), open_call()
    letter, _ = decided(call)
    elsewhere, _ = decided(other)
    with pytest.raises(NotAllowed):
        send_all(call=call, by=call_staff(other))
    send_all(call=call, by=staff())
    letter.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (letter.status, elsewhere.status) == ("sent", "draft")


def test_a_sent_letter_can_no_longer_be_edited(send_all):
    call = open_call()
    letter, _ = decided(call)
    send_all(call=call, by=staff())
    with pytest.raises(ServiceError) as refused:
        edit_feedback(letter=letter, by=staff(), paragraphs=["Trop tard"], expected_version=0)
    assert refused.value.code == "committee.letter.sent"
