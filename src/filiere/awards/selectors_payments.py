"""Reads of the payments: an agreement's tranches with their requests, what awaits the
staff's approval, and the payments ledger per fund and per co-funder (each payment split
between the fund and the co-funders in proportion to their parts of the award, a co-funder's
part rounded down to the cent, the fund keeping the rest), for the pages and the exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .access import staff_q
from .models import (
    Agreement,
    CoFunderShare,
    PaymentApproval,
    PaymentProof,
    PaymentRequest,
    PaymentStatus,
    Tranche,
)

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

CENT = Decimal("0.01")


def tranches_with_requests(agreement: Agreement) -> list[Tranche]:
    """The schedule, each tranche with its requests (newest first), proofs and approvals."""
    requests = PaymentRequest.objects.select_related("requested_by").prefetch_related(
        Prefetch("proofs", queryset=PaymentProof.objects.order_by("uploaded_at", "pk")),
        Prefetch("approvals", queryset=PaymentApproval.objects.select_related("by")),
    )
    return list(
        Tranche.objects.filter(agreement=agreement)
        .prefetch_related(Prefetch("requests", queryset=requests.order_by("-requested_at", "-pk")))
        .order_by("position")
    )


def request_of(agreement: Agreement, pk: int) -> PaymentRequest | None:
    return (
        PaymentRequest.objects.filter(pk=pk, tranche__agreement=agreement)
        .select_related("tranche__agreement")
        .first()
    )


def awaiting_approval(user: AnyUser) -> QuerySet[PaymentRequest]:
    """Requests of the agreements ``user`` manages that wait for an approval or a payment."""
    return (
        PaymentRequest.objects.filter(
            status__in=[
                PaymentStatus.REQUESTED,
                PaymentStatus.APPROVED_ONCE,
                PaymentStatus.APPROVED,
            ],
            tranche__agreement__in=Agreement.objects.filter(staff_q(user)).values("pk"),
        )
        .select_related("tranche__agreement__application__organisation")
        .order_by("requested_at", "pk")
    )


# --- the ledger ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    paid_on: date
    fund: str
    fund_slug: str
    call: str
    reference: str
    organisation: str
    company_id: str
    tranche: str
    tranche_label: str
    amount: Decimal
    #: Each co-funder's part of this payment, and the fund's part (what is left).
    cofunders: dict[str, Decimal]
    fund_part: Decimal
    request: int
    agreement: int


@dataclass(frozen=True)
class LedgerTotals:
    total: Decimal
    #: (name, total) sorted by name: what each fund and each co-funder paid.
    by_fund: list[tuple[str, Decimal]]
    by_cofunder: list[tuple[str, Decimal]]


def split(amount: Decimal, award: Decimal, shares: dict[str, Decimal]) -> dict[str, Decimal]:
    """Each co-funder's part of a payment of ``amount`` on an award of ``award`` (its part of
    the award, rounded down to the cent)."""
    if award <= 0:
        return {}
    return {
        name: (amount * share / award).quantize(CENT, rounding=ROUND_FLOOR)
        for name, share in shares.items()
    }


def payments_ledger(
    user: AnyUser, *, fund: str = "", cofunder: str = "", year: int | None = None
) -> list[LedgerRow]:
    """The payments made on the agreements ``user`` manages, oldest first; only one fund's
    (its slug), one co-funder's (the payments it has a part of), one year's when asked."""
    paid = PaymentRequest.objects.filter(
        status=PaymentStatus.PAID,
        tranche__agreement__in=Agreement.objects.filter(staff_q(user)).values("pk"),
    )
    if fund:
        paid = paid.filter(tranche__agreement__application__call__fund__slug=fund)
    if cofunder:
        paid = paid.filter(tranche__agreement__cofunder_shares__name=cofunder)
    if year:
        paid = paid.filter(paid_at__year=year)
    paid = paid.select_related(
        "tranche__agreement__application__call__fund",
        "tranche__agreement__application__organisation",
    ).order_by("paid_at", "pk")
    requests = list(paid)
    agreement_ids = {r.tranche.agreement_id for r in requests}
    shares: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for share in CoFunderShare.objects.filter(agreement_id__in=agreement_ids):
        shares[share.agreement_id][share.name] = share.amount
    rows = []
    for request in requests:
        agreement = request.tranche.agreement
        application = agreement.application
        organisation = application.organisation
        amount = request.paid_amount or Decimal(0)
        parts = split(amount, agreement.amount, shares[agreement.pk])
        rows.append(
            LedgerRow(
                paid_on=timezone.localdate(request.paid_at) if request.paid_at else date.min,
                fund=application.call.fund.name,
                fund_slug=application.call.fund.slug,
                call=application.call.slug,
                reference=application.reference,
                organisation=organisation.name,
                company_id=organisation.siret or organisation.siren or organisation.bce_number,
                tranche=request.tranche.label,
                tranche_label=str(request.tranche.get_label_display()),
                amount=amount,
                cofunders=parts,
                fund_part=amount - sum(parts.values(), Decimal(0)),
                request=request.pk,
                agreement=agreement.pk,
            )
        )
    return rows


def ledger_totals(rows: list[LedgerRow]) -> LedgerTotals:
    by_fund: dict[str, Decimal] = defaultdict(Decimal)
    by_cofunder: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        by_fund[row.fund] += row.fund_part
        for name, part in row.cofunders.items():
            by_cofunder[name] += part
    return LedgerTotals(
        total=sum((row.amount for row in rows), Decimal(0)),
        by_fund=sorted(by_fund.items()),
        by_cofunder=sorted(by_cofunder.items()),
    )


def ledger_choices(user: AnyUser) -> tuple[list[tuple[str, str]], list[str]]:
    """The funds (slug, name) and co-funders' names of the agreements ``user`` manages."""
    agreements = Agreement.objects.filter(staff_q(user))
    funds = sorted(
        {
            (a.application.call.fund.slug, a.application.call.fund.name)
            for a in agreements.select_related("application__call__fund")
        }
    )
    cofunders = sorted(
        set(CoFunderShare.objects.filter(agreement__in=agreements).values_list("name", flat=True))
    )
    return funds, cofunders
