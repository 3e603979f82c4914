"""Payments through their services: a tranche asked for with proofs, two approvals by two
different staff members, the payment recorded with its date; refusals; the application moves
to ``in_payment`` at the first payment; every money decision is audited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.awards import services_payments as services
from filiere.awards.models import PaymentRequest, Tranche
from filiere.calls.models import Application
from filiere.errors import Invalid, NotAllowed, ServiceError
from tests.awards.follow_up_factories import (
    ask,
    clean_proofs,
    pay,
    proof,
    signed_case,
    submit,
    tranche,
)
from tests.calls.apply_factories import upload

pytestmark = pytest.mark.django_db


def test_the_first_tranche_is_paid_after_two_approvals_and_the_application_moves_on():
    case = signed_case(amount=Decimal("40000"))
    request = services.request_payment(
        tranche=tranche(case.agreement, 0), by=case.lead, proofs=[proof(), proof("rib.pdf")]
    )
    assert request.amount == Decimal("20000.00")
    assert request.proofs.count() == 2
    assert tranche(case.agreement, 0).status == "requested"
    clean_proofs(request)

    first = services.approve_payment(request=request, by=case.staff)
    assert first.status == "approved_once"
    with pytest.raises(ServiceError) as error:
        services.record_payment(request=request, by=case.staff, paid_on=timezone.localdate())
    assert error.value.code == "awards.payment.not_approved"
    second = services.approve_payment(request=request, by=case.second_staff)
    assert second.status == "approved"
    assert tranche(case.agreement, 0).status == "approved"

    paid = services.record_payment(request=request, by=case.staff, paid_on=timezone.localdate())
    assert paid.status == "paid" and paid.paid_amount == Decimal("20000.00")
    first_tranche = tranche(case.agreement, 0)
    assert first_tranche.status == "paid" and first_tranche.paid_amount == Decimal("20000.00")
    assert timezone.localdate(first_tranche.paid_at) == timezone.localdate()
    assert Application.objects.get(pk=case.agreement.application_id).state == "in_payment"
    actions = list(
        AuditEntry.objects.filter(action__startswith="awards.payment.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("awards.payment.approved") == 2
    assert {"awards.payment.requested", "awards.payment.paid"} <= set(actions)
    assert AuditEntry.objects.filter(action="calls.application.start_payment").exists()


def test_the_same_person_never_approves_twice():
    case = signed_case()
    request = ask(case, 0)
    services.approve_payment(request=request, by=case.staff)
    with pytest.raises(ServiceError) as error:
        services.approve_payment(request=request, by=case.staff)
    assert error.value.code == "awards.payment.already_approved"
    assert PaymentRequest.objects.get(pk=request.pk).status == "approved_once"
    assert request.approvals.count() == 1


def test_the_requester_and_the_team_never_approve():
    case = signed_case()
    request = ask(case, 0, by=case.member)
    for person in (case.member, case.lead):
        with pytest.raises(NotAllowed):
            services.approve_payment(request=request, by=person)
    assert request.approvals.count() == 0


def test_proofs_not_found_clean_block_the_approval():
    case = signed_case()
    request = services.request_payment(
        tranche=tranche(case.agreement, 0), by=case.lead, proofs=[proof()]
    )
    with pytest.raises(ServiceError) as error:
        services.approve_payment(request=request, by=case.staff)
    assert error.value.code == "awards.payment.proofs_not_clean"


def test_a_request_needs_proofs_and_refuses_a_hostile_file():
    case = signed_case()
    with pytest.raises(Invalid) as error:
        services.request_payment(tranche=tranche(case.agreement, 0), by=case.lead, proofs=[])
    assert error.value.code == "awards.payment.proofs_missing"
    with pytest.raises(Invalid) as error:
        services.request_payment(
            tranche=tranche(case.agreement, 0),
            by=case.lead,
            proofs=[upload("invoice.pdf", b"MZ\x90\x00 an executable")],
        )
    assert error.value.code.startswith("upload.")
    assert not PaymentRequest.objects.exists()


def test_tranches_are_asked_for_in_order_and_after_their_report():
    case = signed_case()
    with pytest.raises(ServiceError) as error:
        services.request_payment(tranche=tranche(case.agreement, 1), by=case.lead, proofs=[proof()])
    assert error.value.code == "awards.payment.previous_unpaid"
    pay(case, 0)
    with pytest.raises(ServiceError) as error:
        services.request_payment(tranche=tranche(case.agreement, 1), by=case.lead, proofs=[proof()])
    assert error.value.code == "awards.payment.report_missing"
    submit(case, "mid_term")
    request = ask(case, 1)
    assert request.amount == tranche(case.agreement, 1).amount
    with pytest.raises(ServiceError) as error:
        services.request_payment(tranche=tranche(case.agreement, 1), by=case.lead, proofs=[proof()])
    assert error.value.code == "awards.payment.tranche_not_open"


def test_a_refusal_has_a_reason_and_opens_the_tranche_again():
    case = signed_case()
    request = ask(case, 0)
    with pytest.raises(Invalid):
        services.refuse_payment(request=request, by=case.staff, reason="  ")
    refused = services.refuse_payment(request=request, by=case.staff, reason="RIB missing")
    assert refused.status == "refused" and refused.refusal_reason == "RIB missing"
    assert tranche(case.agreement, 0).status == "planned"
    entry = AuditEntry.objects.get(action="awards.payment.refused")
    assert entry.reason == "RIB missing"
    again = ask(case, 0)
    assert again.pk != request.pk


def test_the_payment_date_is_neither_in_the_future_nor_before_the_request():
    case = signed_case()
    request = ask(case, 0)
    services.approve_payment(request=request, by=case.staff)
    services.approve_payment(request=request, by=case.second_staff)
    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=3)):
        with pytest.raises(Invalid):
            services.record_payment(request=request, by=case.staff, paid_on=day)
    assert Tranche.objects.get(pk=request.tranche_id).status == "approved"


def test_nothing_is_asked_for_before_the_signature():
    from tests.awards.pages import sent_case

    case = sent_case()
    with pytest.raises(ServiceError) as error:
        services.request_payment(tranche=tranche(case.agreement, 0), by=case.lead, proofs=[proof()])
    assert error.value.code == "awards.payment.not_signed"
