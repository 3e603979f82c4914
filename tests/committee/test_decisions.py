"""Decisions with amounts: propose, the second signature, cancel; one door (the application's
transition fires at confirmation, without the workflow's e-mail); the letter's draft."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import TransactionTestCase

from filiere.audit.models import AuditEntry
from filiere.committee.models import Decision, DecisionStatus, Letter, Vote
from filiere.committee.services_decisions import (
    cancel_decision,
    confirm_decision,
    propose_decision,
)
from filiere.errors import Invalid, NotAllowed, ServiceError
from tests.calls.instruction_factories import add_member
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return open_call()


def propose(application, by, **kwargs):
    values = {"outcome": "award", "amount": Decimal("30000"), "reason": ""}
    values.update(kwargs)
    return propose_decision(application=application, by=by, **values)


# --- amounts and reasons ------------------------------------------------------------------------


def test_an_award_above_the_amount_requested_is_refused(call):
    application = reviewed(call, [70], requested_amount=Decimal("50000"))
    with pytest.raises(Invalid) as refused:
        propose(application, staff(), amount=Decimal("50000.01"))
    assert refused.value.code == "committee.decision.amount_above_request"
    assert refused.value.field == "amount"
    assert not Decision.objects.exists()


def test_an_award_of_exactly_the_amount_requested_is_accepted(call):
    application = reviewed(call, [70], requested_amount=Decimal("50000"))
    decision = propose(application, staff(), amount=Decimal("50000"))
    assert decision.amount == Decimal("50000")
    assert decision.status == DecisionStatus.PROPOSED


def test_an_award_of_zero_is_refused(call):
    application = reviewed(call, [70])
    with pytest.raises(Invalid) as refused:
        propose(application, staff(), amount=Decimal("0"))
    assert refused.value.code == "committee.decision.amount_missing"


def test_an_award_above_the_calls_ceiling_is_refused():
    call = open_call(ceiling_amount=Decimal("40000"))
    application = reviewed(call, [70], requested_amount=Decimal("50000"))
    with pytest.raises(Invalid) as refused:
        propose(application, staff(), amount=Decimal("45000"))
    assert refused.value.code == "committee.decision.amount_above_ceiling"


def test_a_rejection_without_reasons_is_refused(call):
    application = reviewed(call, [30])
    with pytest.raises(Invalid) as refused:
        propose(application, staff(), outcome="reject", amount=Decimal("0"), reason="  ")
    assert refused.value.code == "committee.decision.reason_missing"


def test_a_deferral_with_an_amount_is_refused(call):
    application = reviewed(call, [50])
    with pytest.raises(Invalid) as refused:
        propose(application, staff(), outcome="defer", amount=Decimal("10"), reason="Budget")
    assert refused.value.code == "committee.decision.amount_not_zero"


def test_an_application_not_before_the_committee_is_refused(call):
    application = reviewed(call, [70], state="submitted")
    with pytest.raises(ServiceError) as refused:
        propose(application, staff())
    assert refused.value.code == "committee.decision.not_in_committee"


# --- who ----------------------------------------------------------------------------------------


def test_staff_of_another_call_may_not_propose(call):
    application = reviewed(call, [70])
    with pytest.raises(NotAllowed):
        propose(application, call_staff(open_call()))


def test_staff_on_the_team_may_not_propose(call):
    application = reviewed(call, [70])
    insider = call_staff(call)
    add_member(application, insider)
    with pytest.raises(NotAllowed):
        propose(application, insider)


def test_a_committee_member_may_not_propose(call):
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    with pytest.raises(NotAllowed):
        propose(application, member(meeting), session=meeting)


# --- second signature ---------------------------------------------------------------------------


def test_a_proposed_award_changes_nothing_until_confirmed(call):
    application = reviewed(call, [70])
    propose(application, staff())
    application.refresh_from_db()
    assert application.state == "committee"
    assert not Letter.objects.exists()


def test_the_proposer_may_not_confirm_their_own_decision(call):
    application = reviewed(call, [70])
    proposer = staff()
    decision = propose(application, proposer)
    with pytest.raises(NotAllowed) as refused:
        confirm_decision(decision=decision, by=proposer)
    assert refused.value.code == "committee.decision.same_person"
    application.refresh_from_db()
    assert application.state == "committee"


def test_a_second_person_confirms_through_the_one_door(call, django_capture_on_commit_callbacks):
    application = reviewed(call, [70])
    proposer, signer = staff(), call_staff(call)
    decision = propose(application, proposer, amount=Decimal("42000"))
    with django_capture_on_commit_callbacks(execute=True):
        confirm_decision(decision=decision, by=signer)
    decision.refresh_from_db()
    application.refresh_from_db()
    assert decision.status == DecisionStatus.CONFIRMED
    assert decision.confirmed_by == signer
    assert application.state == "awarded"
    transition = AuditEntry.objects.get(action="calls.application.award")
    assert transition.data["amount"] == "42000.00"
    confirmed = AuditEntry.objects.get(action="committee.decision.confirmed")
    assert confirmed.data["amount"] == "42000.00"
    assert AuditEntry.objects.filter(action="committee.decision.proposed").count() == 1
    # The letter tells the applicant, not the workflow's e-mail.
    assert mail.outbox == []
    assert Letter.objects.get(decision=decision).status == "draft"


def test_without_a_second_signature_the_decision_is_recorded_at_once(call):
    application = reviewed(call, [20])
    meeting = session(call, second_signature=False)
    on_agenda(meeting, application)
    decision = propose(
        application, staff(), outcome="reject", amount=0, reason="Trop fragile", session=meeting
    )
    application.refresh_from_db()
    assert decision.status == DecisionStatus.CONFIRMED
    assert application.state == "rejected"
    assert AuditEntry.objects.get(action="calls.application.reject").reason == "Trop fragile"


def test_the_default_without_a_session_asks_for_a_second_signature(call, settings):
    application = reviewed(call, [70])
    assert propose(application, staff()).status == DecisionStatus.PROPOSED
    settings.FILIERE_DECISION_SECOND_SIGNATURE = False
    other = reviewed(call, [70])
    assert propose(other, staff()).status == DecisionStatus.CONFIRMED


def test_a_second_proposal_while_one_awaits_is_refused(call):
    application = reviewed(call, [70])
    propose(application, staff())
    with pytest.raises(ServiceError) as refused:
        propose(application, staff())
    assert refused.value.code == "committee.decision.already_proposed"


def test_a_cancelled_decision_cannot_be_confirmed_and_a_new_one_may_be_proposed(call):
    application = reviewed(call, [70])
    decision = propose(application, staff())
    with pytest.raises(Invalid):
        cancel_decision(decision=decision, by=staff(), reason="")
    cancel_decision(decision=decision, by=staff(), reason="Mauvais montant")
    entry = AuditEntry.objects.get(action="committee.decision.cancelled")
    assert entry.reason == "Mauvais montant"
    assert entry.data["amount"] == "30000.00"
    with pytest.raises(ServiceError) as refused:
        confirm_decision(decision=decision, by=staff())
    assert refused.value.code == "committee.decision.not_proposed"
    assert propose(application, staff(), amount=Decimal("25000")).status == "proposed"


# --- quorum -------------------------------------------------------------------------------------


def test_a_session_that_votes_needs_the_quorum_on_the_item(call):
    application, voted = reviewed(call, [70]), reviewed(call, [60])
    meeting = session(call, quorum=2)
    item, other = on_agenda(meeting, application, voted)
    Vote.objects.create(item=other, voter=member(meeting), choice="fund")
    Vote.objects.create(item=item, voter=member(meeting), choice="fund")
    with pytest.raises(ServiceError) as refused:
        propose(application, staff(), session=meeting)
    assert refused.value.code == "committee.decision.quorum_not_reached"
    assert refused.value.params == {"voted": 1, "quorum": 2}
    Vote.objects.create(item=item, voter=member(meeting), choice="abstain")
    assert propose(application, staff(), session=meeting).session == meeting


def test_a_session_without_votes_does_not_ask_for_the_quorum(call):
    application = reviewed(call, [70])
    meeting = session(call, quorum=3)
    on_agenda(meeting, application)
    assert propose(application, staff(), session=meeting).status == "proposed"


def test_an_application_off_the_sessions_agenda_is_refused(call):
    application = reviewed(call, [70])
    with pytest.raises(Invalid) as refused:
        propose(application, staff(), session=session(call))
    assert refused.value.code == "committee.decision.not_on_agenda"


# --- the letter's draft -------------------------------------------------------------------------


@pytest.mark.parametrize(("preferred", "language"), [("nl", "nl"), ("en", "en"), ("de", "fr")])
def test_the_letter_is_in_the_leads_language_when_the_site_offers_it(call, preferred, language):
    application = reviewed(call, [70])
    application.lead.preferred_language = preferred
    application.lead.save()
    decision = propose(application, staff())
    confirm_decision(decision=decision, by=call_staff(call))
    assert Letter.objects.get(decision=decision).language == language


def test_the_feedback_is_the_opinions_labelled_never_the_confidential_notes(call):
    application = reviewed(call, [70, 60])
    for review in application.assignments.order_by("pk"):
        review.review.confidential_note = "Note secrète"
        review.review.save()
    decision = propose(application, staff())
    confirm_decision(decision=decision, by=call_staff(call))
    feedback = Letter.objects.get(decision=decision).feedback
    assert feedback == ["Reviewer A: Opinion 70", "Reviewer B: Opinion 60"]


def test_expert_names_and_addresses_are_taken_out_of_the_feedback(call):
    zora = expert(call.fund, first_name="Zorglub", last_name="Canaryman")
    other = expert(call.fund)
    application = reviewed(call, [70], experts=[other])
    review = application.assignments.get().review
    review.opinion = (
        f"Comme l'a dit Zorglub CANARYMAN ({zora.email}), et {other.get_full_name()} aussi, "
        f"{other.first_name} pense que le récit tient."
    )
    review.save()
    decision = propose(application, staff())
    confirm_decision(decision=decision, by=call_staff(call))
    (paragraph,) = Letter.objects.get(decision=decision).feedback
    for canary in ("Zorglub", "Canaryman", zora.email, other.first_name, other.last_name):
        assert canary.lower() not in paragraph.lower()
    assert paragraph.startswith("Reviewer A: Comme l'a dit […] ([…]), et […] aussi")
    assert paragraph.endswith("pense que le récit tient.")


# --- two confirmations at once ------------------------------------------------------------------


class TwoConfirmationsAtOnce(TransactionTestCase):
    """Two threads, each with its own connection, confirm the same decision: a transactional
    test (the rows must be committed for the other thread to read them)."""

    # The reference rows loaded by migrations (genres, stages) are there for this test...
    serialized_rollback = True

    def _fixture_teardown(self) -> None:
        super()._fixture_teardown()
        # ...and back after its flush, for the tests that follow in this process.
        for alias in self._databases_names(include_mirrors=False):
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)

    def test_two_confirmations_at_once_fire_the_transition_once(self) -> None:
        call = open_call()
        application = reviewed(call, [70])
        decision = propose(application, staff())
        signers = [call_staff(call), call_staff(call)]
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def confirm(signer):
            try:
                barrier.wait()
                confirm_decision(decision=decision, by=signer)
                outcomes.append("confirmed")
            except ServiceError as error:
                outcomes.append(error.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm, args=(s,)) for s in signers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["committee.decision.not_proposed", "confirmed"]
        assert AuditEntry.objects.filter(action="calls.application.award").count() == 1
        assert Letter.objects.filter(decision=decision).count() == 1
