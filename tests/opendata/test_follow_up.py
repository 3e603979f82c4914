"""Once the awards stage records an award's agreement and payments, the files say when it was
signed, how it is paid and how much has been paid, and reconcile with the payments ledger."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.awards.models import Agreement, AgreementStatus, Tranche, TrancheStatus
from filiere.committee.models import Decision
from tests.factories import UserFactory

from .factories import award
from .helpers import GIVING_URL, SCDL_URL, giving_errors, scdl_errors, scdl_rows

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
SCHEDULE = [("signature", "50"), ("mid_term", "30"), ("final_report", "20")]


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=PARIS)


def agreement(
    decision: Decision, *, signed: str | None, paid: dict[int, tuple[str, str]], schedule=SCHEDULE
) -> Agreement:
    """An agreement of ``decision`` signed on ``signed``, its tranches paid as ``paid`` says
    (position: (day, amount))."""
    made = Agreement.objects.create(
        application=decision.application,
        decision=decision,
        amount=decision.amount,
        status=AgreementStatus.SIGNED if signed else AgreementStatus.SENT,
        signed_at=_at(signed) if signed else None,
        created_by=UserFactory(),
    )
    for position, (label, share) in enumerate(schedule):
        day, amount = paid.get(position, (None, None))
        Tranche.objects.create(
            agreement=made,
            position=position,
            label=label,
            share=Decimal(share),
            amount=decision.amount * Decimal(share) / 100,
            status=TrancheStatus.PAID if day else TrancheStatus.PLANNED,
            paid_amount=Decimal(amount) if amount else None,
            paid_at=_at(day) if day else None,
        )
    return made


def _files(client) -> tuple[dict[str, str], dict]:
    scdl = client.get(SCDL_URL).content
    package = json.loads(client.get(GIVING_URL).content)
    assert scdl_errors(scdl) == []
    assert giving_errors(package) == []
    return scdl_rows(scdl)[0], package["grants"][0]


def test_a_signed_agreement_with_a_tranche_paid(client):
    decision = award(amount="30000", confirmed_at=_at("2009-06-30"))
    agreement(decision, signed="2009-07-15", paid={0: ("2009-07-20", "15000")})

    row, grant = _files(client)

    assert row["dateConvention"] == "2009-07-15"
    assert row["conditionsVersement"] == "échelonné"
    # From the first payment to the end of the planned term while tranches remain.
    assert row["datesPeriodeVersement"] == "2009-07-20/2011-06-30"
    assert grant["amountDisbursed"] == 15000
    assert grant["plannedDates"] == [{"startDate": "2009-07-20", "endDate": "2011-06-30"}]


def test_every_tranche_paid_gives_the_real_payment_period(client):
    decision = award(amount="30000", confirmed_at=_at("2009-06-30"))
    agreement(
        decision,
        signed="2009-07-15",
        paid={
            0: ("2009-07-20", "15000"),
            1: ("2010-03-01", "9000"),
            2: ("2010-11-30", "4200.50"),  # the final tranche, reduced
        },
    )

    row, grant = _files(client)

    assert row["datesPeriodeVersement"] == "2009-07-20/2010-11-30"
    assert row["montant"] == "30000.00"  # the award, before any reduction
    assert grant["amountDisbursed"] == 28200.5


def test_a_single_tranche_paid_once_is_a_single_payment(client):
    decision = award(amount="8000", confirmed_at=_at("2009-06-30"))
    agreement(
        decision,
        signed="2009-07-15",
        paid={0: ("2009-08-01", "8000")},
        schedule=[("signature", "100")],
    )

    row, _grant = _files(client)

    assert row["conditionsVersement"] == "unique"
    assert row["datesPeriodeVersement"] == "2009-08-01"


def test_an_agreement_not_yet_signed_keeps_the_decisions_date(client):
    decision = award(amount="30000", confirmed_at=_at("2009-06-30"))
    agreement(decision, signed=None, paid={})

    row, grant = _files(client)

    assert row["dateConvention"] == "2009-06-30"
    assert row["datesPeriodeVersement"] == "2009-06-30/2011-06-30"
    assert grant["amountDisbursed"] == 0


def test_a_payment_makes_a_new_version_of_the_files(client):
    decision = award(amount="30000", confirmed_at=_at("2009-06-30"))
    made = agreement(decision, signed="2009-07-15", paid={})
    etag = client.get(GIVING_URL)["ETag"]

    tranche = made.tranches.get(position=0)
    tranche.status, tranche.paid_amount = TrancheStatus.PAID, Decimal("15000")
    tranche.paid_at = _at("2009-07-20")
    tranche.save()  # the tranche alone: the agreement is not saved again

    response = client.get(GIVING_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert json.loads(response.content)["grants"][0]["amountDisbursed"] == 15000


def test_the_files_reconcile_with_the_payments_ledger(client):
    first = award(amount="30000")
    second = award(amount="50000")
    award(amount="12000")  # no agreement yet
    agreement(first, signed="2009-07-15", paid={0: ("2009-07-20", "15000")})
    agreement(
        second, signed="2009-07-16", paid={0: ("2009-07-21", "25000"), 1: ("2010-01-10", "15000")}
    )

    grants = json.loads(client.get(GIVING_URL).content)["grants"]
    ledger = sum(
        (t.paid_amount for t in Tranche.objects.filter(status__in=["paid", "reduced"])),
        Decimal(0),
    )

    assert sum(Decimal(str(g.get("amountDisbursed", 0))) for g in grants) == ledger
    assert ledger == Decimal("55000")


def test_reading_agreements_and_tranches_costs_the_same_queries_at_any_size(client):
    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(GIVING_URL)
        return len(captured)

    agreement(award(), signed="2009-07-15", paid={0: ("2009-07-20", "15000")})
    one = queries()
    for _ in range(3):
        agreement(award(), signed="2009-07-15", paid={0: ("2009-07-20", "15000")})
    assert queries() == one
