"""Test data of the awards stage: an awarded application with its confirmed decision, and an
agreement made straight through the models (the services are tested on their own)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from filiere.accounts.models import User
from filiere.awards.models import Agreement, Tranche
from filiere.calls.models import Application, Call
from filiere.committee.models import Decision, DecisionStatus, Outcome
from tests.calls.instruction_factories import ApplicationFactory
from tests.review.factories import call_staff, open_call, staff


def awarded(
    call: Call | None = None, *, amount: Decimal = Decimal("40000"), **kwargs: object
) -> tuple[Application, Decision]:
    """An application in the ``awarded`` state with its confirmed award decision."""
    call = call or open_call()
    fields: dict[str, object] = {"state": "awarded", "requested_amount": Decimal("50000")}
    fields.update(kwargs)
    application = ApplicationFactory(call=call, **fields)
    proposer, confirmer = staff(), staff()
    decision = Decision.objects.create(
        application=application,
        outcome=Outcome.AWARD,
        amount=amount,
        status=DecisionStatus.CONFIRMED,
        proposed_by=proposer,
        confirmed_by=confirmer,
        confirmed_at=timezone.now(),
    )
    return application, decision


def agreement(
    application: Application | None = None,
    decision: Decision | None = None,
    *,
    by: User | None = None,
    **kwargs: object,
) -> Agreement:
    """An agreement with the default 50/30/20 schedule, made through the models."""
    if application is None or decision is None:
        application, decision = awarded()
    fields: dict[str, object] = {"amount": decision.amount, "language": "fr"}
    fields.update(kwargs)
    made = Agreement.objects.create(
        application=application, decision=decision, created_by=by or staff(), **fields
    )
    amount = Decimal(made.amount)
    first, second = (
        (amount * Decimal("0.5")).quantize(Decimal("0.01")),
        (amount * Decimal("0.3")).quantize(Decimal("0.01")),
    )
    for position, (label, share, part) in enumerate(
        [
            ("signature", Decimal(50), first),
            ("mid_term", Decimal(30), second),
            ("final_report", Decimal(20), amount - first - second),
        ]
    ):
        Tranche.objects.create(
            agreement=made, position=position, label=label, share=share, amount=part
        )
    return made


__all__ = ["agreement", "awarded", "call_staff", "open_call", "staff"]
