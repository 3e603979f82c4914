"""Test data of the open data: confirmed award decisions and their beneficiaries.

The decisions are written through the model (the committee's services are tested on their
own); ``decided`` in tests/committee/test_decisions_data.py goes through them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from filiere.calls.models import Call, Fund
from filiere.committee.models import Decision, DecisionStatus, Outcome
from filiere.community.models import Organisation
from filiere.engine.identifiers import make_bce
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    FundFactory,
    OrganisationFactory,
    UserFactory,
    territory,
)


def decision(
    *,
    call: Call | None = None,
    organisation: Organisation | None = None,
    amount: str = "30000.00",
    outcome: str = Outcome.AWARD,
    status: str = DecisionStatus.CONFIRMED,
    confirmed_at: datetime | None = None,
    **application: object,
) -> Decision:
    fields: dict[str, object] = {"state": "awarded" if outcome == Outcome.AWARD else "rejected"}
    fields.update(application)
    if call is not None:
        fields["call"] = call
    if organisation is not None:
        fields["organisation"] = organisation
    confirmed = status == DecisionStatus.CONFIRMED
    return Decision.objects.create(
        application=ApplicationFactory(**fields),
        outcome=outcome,
        amount=Decimal(amount),
        status=status,
        proposed_by=UserFactory(),
        confirmed_by=UserFactory() if confirmed else None,
        confirmed_at=(confirmed_at or timezone.now()) if confirmed else None,
    )


def award(**kwargs: object) -> Decision:
    return decision(**kwargs)  # type: ignore[arg-type]


def other_fund_call() -> Call:
    fund: Fund = FundFactory(
        slug="screen-flanders", name_fr="Screen Flanders", name_en="Screen Flanders"
    )
    return CallFactory(fund=fund, slug="screen-flanders-2010", title_fr="Screen Flanders 2010")


def belgian_company(name: str = "Studio Gent", number: int = 0) -> Organisation:
    return OrganisationFactory(
        name=name,
        siren="",
        siret="",
        bce_number=make_bce(f"{4123456 + number:08d}"),
        naf_code="",
        nace_code="59.111",
        seat_commune=None,
        territory=territory("flanders"),
        country="BE",
    )
