"""What the database refuses whoever writes: negative amounts, a second agreement for one
application, two approvals of one payment by the same person, an invoice placed twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from filiere.awards.models import (
    Agreement,
    CoFunderShare,
    PaymentApproval,
    PaymentRequest,
    Recovery,
    SpendLine,
    Tranche,
)
from filiere.community.models import Commune
from tests.awards.factories import agreement, awarded, staff

pytestmark = pytest.mark.django_db


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_agreement_per_application():
    first = agreement()
    refused(
        lambda: Agreement.objects.create(
            application=first.application,
            decision=first.decision,
            amount=Decimal("1"),
            created_by=staff(),
        )
    )


def test_the_default_schedule_sums_to_the_award():
    made = agreement(amount=Decimal("33333.33"))
    assert sum(t.amount for t in made.tranches.all()) == Decimal("33333.33")
    assert [t.label for t in made.tranches.all()] == ["signature", "mid_term", "final_report"]


def test_negative_amounts_are_refused_everywhere():
    made = agreement()
    tranche = made.tranches.first()
    application, decision = awarded()
    user = staff()
    refused(
        lambda: Agreement.objects.create(
            application=application, decision=decision, amount=Decimal("-1"), created_by=user
        )
    )
    refused(
        lambda: Tranche.objects.create(
            agreement=made, position=9, label="final_report", share=0, amount=Decimal("-1")
        )
    )
    refused(lambda: CoFunderShare.objects.create(agreement=made, name="CNC", amount=-1))
    refused(lambda: PaymentRequest.objects.create(tranche=tranche, amount=-1, requested_by=user))
    refused(
        lambda: SpendLine.objects.create(
            agreement=made, supplier_name="S", supplier_id="x", amount=-1, declared_by=user
        )
    )
    refused(
        lambda: Recovery.objects.create(agreement=made, amount=-1, reason="r", recorded_by=user)
    )


def test_a_tranche_share_above_100_percent_is_refused():
    made = agreement()
    refused(
        lambda: Tranche.objects.create(
            agreement=made, position=9, label="final_report", share=101, amount=0
        )
    )


def test_the_same_person_cannot_approve_a_payment_twice():
    made = agreement()
    request = PaymentRequest.objects.create(
        tranche=made.tranches.first(), amount=Decimal("20000"), requested_by=staff()
    )
    approver = staff()
    PaymentApproval.objects.create(request=request, by=approver)
    refused(lambda: PaymentApproval.objects.create(request=request, by=approver))
    PaymentApproval.objects.create(request=request, by=staff())
    assert request.approvals.count() == 2


def test_one_open_payment_request_per_tranche():
    made = agreement()
    tranche = made.tranches.first()
    PaymentRequest.objects.create(tranche=tranche, amount=1, requested_by=staff())
    refused(lambda: PaymentRequest.objects.create(tranche=tranche, amount=1, requested_by=staff()))


def test_an_invoice_is_in_a_commune_or_a_belgian_region_not_both():
    made = agreement()
    commune = Commune.objects.first()
    refused(
        lambda: SpendLine.objects.create(
            agreement=made,
            supplier_name="S",
            supplier_id="x",
            amount=1,
            commune=commune,
            region="wallonia",
            declared_by=staff(),
        )
    )
