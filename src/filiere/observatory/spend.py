"""Regional spend achieved, read from the awards app's ledger (``filiere.awards``): one
aggregate query, by the year the call closed.

Counted: the agreements signed (signed, amended or closed), their amount, the regional spend
they require (the award × the agreement's ratio, or its floor when higher), the eligible spend
their beneficiaries declared so far (invoices whose place counts, ``SpendLine.eligible``), and,
among the closed agreements, those whose eligible spend reached what they required.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest

from filiere.awards.models import Agreement, AgreementStatus, SpendLine

SIGNED = (AgreementStatus.SIGNED, AgreementStatus.AMENDED, AgreementStatus.CLOSED)
MONEY = DecimalField(max_digits=18, decimal_places=4)


@dataclass
class SpendYear:
    agreements: int = 0
    closed: int = 0
    met: int = 0
    amount: Decimal = Decimal(0)
    required: Decimal = Decimal(0)
    eligible: Decimal = Decimal(0)


def _eligible_spend() -> Subquery:
    return Subquery(
        SpendLine.objects.filter(agreement=OuterRef("pk"), eligible=True)
        .order_by()
        .values("agreement")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=MONEY,
    )


def regional_spend(now: dt.datetime) -> dict[int, SpendYear]:
    """Year → the agreements' figures (years without a signed agreement are absent)."""
    query: QuerySet[Any, Any] = (
        Agreement.objects.filter(status__in=SIGNED, application__call__closes_at__lte=now)
        .annotate(
            year=ExtractYear("application__call__closes_at"),
            eligible_spend=Coalesce(_eligible_spend(), Value(Decimal(0)), output_field=MONEY),
            required=Greatest(F("amount") * F("spend_ratio"), F("spend_floor"), output_field=MONEY),
        )
        .values("year")
        .annotate(
            agreements=Count("pk"),
            closed=Count("pk", filter=Q(status=AgreementStatus.CLOSED)),
            met=Count(
                "pk",
                filter=Q(status=AgreementStatus.CLOSED, eligible_spend__gte=F("required")),
            ),
            amount_total=Sum("amount"),
            required_total=Sum("required"),
            eligible_total=Sum("eligible_spend"),
        )
        .order_by("year")
    )
    rows: list[dict[str, Any]] = list(query)
    return {
        row["year"]: SpendYear(
            agreements=row["agreements"],
            closed=row["closed"],
            met=row["met"],
            amount=Decimal(row["amount_total"] or 0),
            required=Decimal(row["required_total"] or 0),
            eligible=Decimal(row["eligible_total"] or 0),
        )
        for row in rows
    }
