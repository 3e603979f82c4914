"""The follow-up of an agreement: ``GET /api/v1/agreements/{id}/tranches``,
``/payment-requests`` and ``/spend``.

With the permissions of the pages (``awards.access``): the staff of the call who are not on
the application's team, and the beneficiary's lead and accepted team members once the
agreement is sent; everyone else gets 404 (a pending invitee included). Read only: requests,
approvals and invoices go through the pages' services.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Router, Schema

from filiere.awards.access import agreement_for_reader
from filiere.awards.phrases_follow_up import spend_steps
from filiere.awards.selectors_payments import tranches_with_requests
from filiere.awards.selectors_spend import spend_computation, spend_lines
from filiere.engine import awards as rules

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut

router = Router(tags=["agreements"])


class TrancheStateOut(Schema):
    id: int
    position: int
    #: ``signature``, ``mid_term`` or ``final_report``.
    label: str
    label_text: str
    share: Decimal
    amount: Decimal
    #: ``planned``, ``requested``, ``approved``, ``paid`` or ``reduced``.
    status: str
    paid_amount: Decimal | None
    paid_at: datetime | None


class ProofOut(Schema):
    name: str
    size: int
    #: The antivirus verdict: ``pending``, ``clean``, ``infected`` or ``error``.
    scan_status: str


class PaymentRequestOut(Schema):
    id: int
    tranche: int
    tranche_label: str
    amount: Decimal
    #: ``requested``, ``approved_once``, ``approved``, ``paid`` or ``refused``.
    status: str
    requested_at: datetime
    approvals: int
    refusal_reason: str
    paid_amount: Decimal | None
    paid_at: datetime | None
    proofs: list[ProofOut]
    #: The final tranche's regional-spend computation (figures and step codes), else empty.
    computation: dict[str, Any]


class SpendLineOut(Schema):
    id: int
    supplier_name: str
    supplier_id: str
    #: The supplier's commune (INSEE code), or null.
    commune: str | None
    #: ``wallonia``, ``flanders``, ``brussels`` or empty.
    region: str
    invoice_number: str
    invoice_date: date | None
    amount: Decimal
    category: str
    #: Whether it counts towards the regional spend (the agreement's territories).
    eligible: bool


class SpendOut(Schema):
    #: Required spend as a multiple of the award (1.5 for 150 %), and the floor.
    required_ratio: Decimal
    floor: Decimal
    territories: list[str]
    lines: list[SpendLineOut]
    declared_spend: Decimal
    eligible_spend: Decimal
    #: Achieved: eligible spend / award (1.2 for 120 %); null without a rule.
    ratio: Decimal | None
    required: Decimal | None
    met: bool | None
    #: What the final tranche is, or would be with the invoices declared so far.
    final_tranche: Decimal | None
    final_tranche_before: Decimal | None
    #: The engine's step codes, and the same steps in words (the caller's language).
    steps: list[str]
    explanation: list[str]


@router.get(
    "/{agreement_id}/tranches",
    response={200: list[TrancheStateOut], 404: ErrorOut},
    auth=SIGNED_IN,
    summary="An agreement's tranches and where each stands",
)
def agreement_tranches(request: SignedInRequest, agreement_id: int) -> list[dict[str, Any]]:
    # permission: signed in; the staff of its call not on its team, the beneficiary's lead and
    # accepted members once sent (agreement_for_reader); 404 for everyone else
    agreement, _as_staff = agreement_for_reader(request.auth, agreement_id)
    return [
        {
            "id": t.pk,
            "position": t.position,
            "label": t.label,
            "label_text": str(t.get_label_display()),
            "share": t.share,
            "amount": t.amount,
            "status": t.status,
            "paid_amount": t.paid_amount,
            "paid_at": t.paid_at,
        }
        for t in agreement.tranches.order_by("position")
    ]


@router.get(
    "/{agreement_id}/payment-requests",
    response={200: list[PaymentRequestOut], 404: ErrorOut},
    auth=SIGNED_IN,
    summary="An agreement's payment requests, newest first",
)
def agreement_payment_requests(request: SignedInRequest, agreement_id: int) -> list[dict[str, Any]]:
    # permission: signed in; the staff of its call not on its team, the beneficiary's lead and
    # accepted members once sent (agreement_for_reader); 404 for everyone else
    agreement, _as_staff = agreement_for_reader(request.auth, agreement_id)
    rows = []
    for tranche in tranches_with_requests(agreement):
        for payment in tranche.requests.all():
            rows.append(
                {
                    "id": payment.pk,
                    "tranche": tranche.pk,
                    "tranche_label": tranche.label,
                    "amount": payment.amount,
                    "status": payment.status,
                    "requested_at": payment.requested_at,
                    "approvals": len(payment.approvals.all()),
                    "refusal_reason": payment.refusal_reason,
                    "paid_amount": payment.paid_amount,
                    "paid_at": payment.paid_at,
                    "proofs": [
                        {"name": p.original_name, "size": p.size, "scan_status": p.scan_status}
                        for p in payment.proofs.all()
                    ],
                    "computation": payment.computation or {},
                }
            )
    rows.sort(key=lambda row: (row["requested_at"], row["id"]), reverse=True)
    return rows


@router.get(
    "/{agreement_id}/spend",
    response={200: SpendOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="An agreement's regional-spend ledger and the achieved ratio",
)
def agreement_spend(request: SignedInRequest, agreement_id: int) -> dict[str, Any]:
    # permission: signed in; the staff of its call not on its team, the beneficiary's lead and
    # accepted members once sent (agreement_for_reader); 404 for everyone else
    agreement, _as_staff = agreement_for_reader(request.auth, agreement_id)
    lines = list(spend_lines(agreement))
    try:
        computation = spend_computation(agreement)
    except rules.AwardsError:
        computation = None
    outcome = computation.outcome if computation else None
    return {
        "required_ratio": agreement.spend_ratio,
        "floor": agreement.spend_floor,
        "territories": list(agreement.spend_territories or []),
        "lines": [
            {
                "id": line.pk,
                "supplier_name": line.supplier_name,
                "supplier_id": line.supplier_id,
                "commune": line.commune.insee_code if line.commune else None,
                "region": line.region,
                "invoice_number": line.invoice_number,
                "invoice_date": line.invoice_date,
                "amount": line.amount,
                "category": line.category,
                "eligible": line.eligible,
            }
            for line in lines
        ],
        "declared_spend": sum((line.amount for line in lines), Decimal(0)),
        "eligible_spend": sum((line.amount for line in lines if line.eligible), Decimal(0)),
        "ratio": outcome.ratio if outcome else None,
        "required": outcome.required if outcome else None,
        "met": outcome.met if outcome else None,
        "final_tranche": outcome.final_tranche if outcome else None,
        "final_tranche_before": outcome.final_tranche_before if outcome else None,
        "steps": list(outcome.steps) if outcome else [],
        "explanation": spend_steps(outcome, computation.rule) if computation and outcome else [],
    }
