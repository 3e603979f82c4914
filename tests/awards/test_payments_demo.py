"""The demo's follow-up (``filiere.demo.awards_follow_up``) on signed agreements in each state
after the signature: paid tranches with two approvals by two people, spend ledgers at various
ratios, one reduced final payment with its computation, closed projects with their reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from filiere.awards.models import (
    AgreementStatus,
    PaymentApproval,
    PaymentRequest,
    Recovery,
    Report,
    SpendLine,
)
from filiere.awards.selectors_spend import spend_computation
from filiere.calls.models import Application
from filiere.demo.accounts import DEMO_STAFF_EMAIL
from filiere.demo.awards_follow_up import seed_demo_follow_up
from filiere.engine.awards import STEP_FINAL_REDUCED
from tests.accounts.factories import user_with_role
from tests.awards.factories import agreement, awarded, open_call

pytestmark = pytest.mark.django_db


def _signed(call, state, *, closed=False):
    application, decision = awarded(call, amount=Decimal("60000"), state=state)
    made = agreement(
        application,
        decision,
        status=AgreementStatus.CLOSED if closed else AgreementStatus.SIGNED,
        signed_at=timezone.now() - dt.timedelta(days=900),
        spend_territories=["mel", "valenciennes"],
        spend_ratio=Decimal("1.50"),
    )
    return made


def test_the_demo_follow_up_pays_reduces_and_closes():
    staff = user_with_role("staff")
    staff.email = DEMO_STAFF_EMAIL
    staff.save()
    user_with_role("staff")  # the second approver
    call = open_call()
    waiting = _signed(call, "agreement")
    running = _signed(call, "in_payment")
    closed = [_signed(call, "closed", closed=True) for _ in range(3)]

    result = seed_demo_follow_up(call)

    assert result.awaiting == 1 and result.reduced == 1 and result.closed_with_reports == 3
    assert PaymentRequest.objects.get(tranche__agreement=waiting).status == "approved_once"
    assert running.tranches.get(position=0).status == "paid"
    assert Report.objects.get(agreement=running, kind="mid_term").status == "submitted"
    reduced = [a for a in closed if a.tranches.get(position=2).status == "reduced"]
    assert len(reduced) == 1
    final = PaymentRequest.objects.get(tranche__agreement=reduced[0], tranche__position=2)
    assert STEP_FINAL_REDUCED in final.computation["steps"]
    assert final.paid_amount < reduced[0].tranches.get(position=2).amount
    for made in closed:
        assert set(Report.objects.filter(agreement=made).values_list("status", flat=True)) == {
            "accepted"
        }
        assert all(t.paid_at <= timezone.now() for t in made.tranches.all())
    ratios = {spend_computation(a).outcome.ratio for a in [running, *closed]}
    assert len(ratios) >= 3  # various ratios
    assert SpendLine.objects.filter(eligible=False).exists()
    for request in PaymentRequest.objects.filter(status="paid"):
        approvers = set(
            PaymentApproval.objects.filter(request=request).values_list("by", flat=True)
        )
        assert len(approvers) == 2 and request.requested_by_id not in approvers
    assert Recovery.objects.count() == 1
    assert Application.objects.filter(state="closed").count() == 3
    # A second run adds nothing.
    again = seed_demo_follow_up(call)
    assert again.paid == 0 and again.invoices == 0
