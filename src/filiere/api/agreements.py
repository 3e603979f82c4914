"""Agreements: ``GET /api/v1/agreements`` and ``GET /api/v1/agreements/{id}``.

With the permissions of the pages (``awards.access``): the staff of a call who are not on the
application's team read its agreements, drafts included; the beneficiary's lead and accepted
team members read theirs once sent. Everyone else gets an empty list and 404 for one agreement
(a pending invitee included).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema

from filiere.awards.access import agreement_for_reader, visible_agreements
from filiere.awards.models import Agreement, AgreementStatus
from filiere.awards.selectors import with_parts

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["agreements"])


class TrancheOut(Schema):
    position: int
    #: ``signature``, ``mid_term`` or ``final_report``.
    label: str
    label_text: str
    #: Share of the amount, in %.
    share: Decimal
    amount: Decimal
    #: ``planned``, ``requested``, ``approved``, ``paid`` or ``reduced``.
    status: str
    paid_amount: Decimal | None
    paid_at: datetime | None


class CoFunderShareOut(Schema):
    name: str
    amount: Decimal


class AmendmentOut(Schema):
    number: int
    #: What changed: ``{"field": [before, after]}``.
    changes: dict[str, Any]
    reason: str
    at: datetime


class AgreementOut(Schema):
    id: int
    application: int
    reference: str
    title: str
    call: str
    organisation: str
    amount: Decimal
    #: ``draft``, ``sent``, ``signed``, ``amended`` or ``closed``.
    status: str
    status_label: str
    version: int
    language: str
    #: Regional spend required, as a multiple of the amount (1.5 for 150 %).
    spend_ratio: Decimal
    spend_floor: Decimal
    #: Territory codes where the regional spend counts.
    spend_territories: list[str]
    sent_at: datetime | None
    signed_at: datetime | None


class AgreementDetailOut(AgreementOut):
    conditions: str
    tranches: list[TrancheOut]
    cofunder_shares: list[CoFunderShareOut]
    amendments: list[AmendmentOut]
    #: The signed copy's antivirus verdict (``pending``, ``clean``...); null without a copy.
    signed_copy_scan_status: str | None


class AgreementsQuery(PageQuery):
    call: str = Field("", description="Only the agreements of this call (its short name).")
    status: AgreementStatus | None = Field(None, description="Only agreements in this status.")


def _row(agreement: Agreement) -> dict[str, Any]:
    application = agreement.application
    return {
        "id": agreement.pk,
        "application": application.pk,
        "reference": application.reference,
        "title": application.title,
        "call": application.call.slug,
        "organisation": application.organisation.name,
        "amount": agreement.amount,
        "status": agreement.status,
        "status_label": str(agreement.get_status_display()),
        "version": agreement.version,
        "language": agreement.language,
        "spend_ratio": agreement.spend_ratio,
        "spend_floor": agreement.spend_floor,
        "spend_territories": list(agreement.spend_territories or []),
        "sent_at": agreement.sent_at,
        "signed_at": agreement.signed_at,
    }


@router.get(
    "",
    response={200: page_of(AgreementOut), 422: ErrorOut},
    auth=SIGNED_IN,
    summary="Agreements (the staff's calls', the beneficiary's own)",
)
def list_agreements(request: SignedInRequest, query: Query[AgreementsQuery]) -> dict[str, Any]:
    # permission: signed in; the staff of a call read its agreements (never one of a file they
    # are on), the beneficiary's lead and accepted members theirs once sent (visible_agreements);
    # an empty list for anyone else
    rows = visible_agreements(request.auth)
    if query.call:
        rows = rows.filter(application__call__slug=query.call)
    if query.status:
        rows = rows.filter(status=query.status)
    page = paginate(request, rows.order_by("application__reference", "pk"), query)
    return {**page, "results": [_row(a) for a in page["results"]]}


@router.get(
    "/{agreement_id}",
    response={200: AgreementDetailOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="One agreement, with its tranches",
)
def agreement_detail(request: SignedInRequest, agreement_id: int) -> dict[str, Any]:
    # permission: signed in; the staff of its call not on its team, the beneficiary's lead and
    # accepted members once sent (agreement_for_reader); 404 for everyone else
    agreement, _as_staff = agreement_for_reader(request.auth, agreement_id)
    agreement = with_parts(agreement)
    return {
        **_row(agreement),
        "conditions": agreement.conditions,
        "tranches": [
            {
                "position": t.position,
                "label": t.label,
                "label_text": str(t.get_label_display()),
                "share": t.share,
                "amount": t.amount,
                "status": t.status,
                "paid_amount": t.paid_amount,
                "paid_at": t.paid_at,
            }
            for t in agreement.tranches.all()
        ],
        "cofunder_shares": [
            {"name": s.name, "amount": s.amount} for s in agreement.cofunder_shares.all()
        ],
        "amendments": [
            {"number": a.number, "changes": a.changes, "reason": a.reason, "at": a.at}
            for a in agreement.amendments.all()
        ],
        "signed_copy_scan_status": (
            agreement.signed_copy_scan_status if agreement.signed_copy else None
        ),
    }
