"""The follow-up of an agreement: its tranches, payment requests and regional-spend ledger,
``/api/v1/agreements/{id}/...``, with the permissions of the pages (``awards.access``).

Reads — the staff of the call who are not on the application's team, and the beneficiary's
lead and accepted team members once the agreement is sent; everyone else gets 404 (a pending
invitee included):

- ``GET …/tranches``, ``GET …/payment-requests`` (newest first), ``GET …/spend``.

Writes, each through the service the pages call (``awards.services_spend`` and
``services_payments``: their checks, transactions and audit entries; their refusals answer in
the API's error shape, ``api/errors.py``):

- ``POST …/spend/lines`` — the beneficiary declares an invoice (the page's form: the same
  fields and checks; the commune by its INSEE code): 201 with the line; 409 once the ledger is
  closed (agreement not signed, or the final tranche asked for).
- ``DELETE …/spend/lines/{line_id}`` — the beneficiary withdraws one, while the ledger is open.
- ``POST …/payment-requests/{request_id}/approve``, ``…/refuse`` (``{"reason": ...}``),
  ``…/pay`` (``{"paid_on": "YYYY-MM-DD"}``) — the staff of the call not on the file (403 for
  people who instruct no call, 404 for the others), with a second factor like every staff
  member (a token or session without one: 401 ``second_factor_required``, api/auth.py and the
  MFA middleware). Two different people approve, never the requester (the service's rule).

A payment request with its proofs is asked for on the beneficiary's page only: a multipart body
that size would go past the API's request cap (``FILIERE_UPLOAD_BODY_LIMITS`` names the page).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr
from pydantic import ValidationError as PydanticValidationError

from filiere.awards import services_payments, services_spend
from filiere.awards.access import (
    agreement_for_beneficiary,
    agreement_for_reader,
    agreement_for_staff,
)
from filiere.awards.forms_payments import InvoiceForm, PaidForm, RefuseForm
from filiere.awards.models import (
    Agreement,
    BelgianRegion,
    PaymentApproval,
    PaymentProof,
    PaymentRequest,
    SpendCategory,
    SpendLine,
    Tranche,
)
from filiere.awards.phrases_follow_up import spend_steps
from filiere.awards.selectors_payments import request_of, tranches_with_requests
from filiere.awards.selectors_spend import spend_computation, spend_lines
from filiere.calls.permissions import instructs_some_call
from filiere.engine import awards as rules

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut, invalid_input

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


def _payment(payment: PaymentRequest, tranche: Tranche) -> dict[str, Any]:
    """A request as ``PaymentRequestOut`` (its proofs and approvals prefetched or not)."""
    return {
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


def _line(line: SpendLine) -> dict[str, Any]:
    return {
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
    rows = [
        _payment(payment, tranche)
        for tranche in tranches_with_requests(agreement)
        for payment in tranche.requests.all()
    ]
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
        "lines": [_line(line) for line in lines],
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


# --- writes: the same services as the pages ---------------------------------------------------


class _Body(BaseModel):
    """A JSON object (a ninja ``Schema`` would also read attributes of a list or a string)."""

    model_config = ConfigDict(extra="ignore")


class InvoiceIn(_Body):
    supplier_name: StrictStr
    supplier_id: StrictStr
    amount: StrictStr | StrictInt | StrictFloat
    commune: StrictStr | None = None
    region: StrictStr | None = None
    category: StrictStr
    invoice_number: StrictStr | None = None
    invoice_date: StrictStr | None = None


class RefuseIn(_Body):
    reason: StrictStr


class PaidIn(_Body):
    paid_on: StrictStr


#: The documents' bodies (the checks themselves are the pages' forms and the services').
INVOICE_BODY = {
    "title": "InvoiceIn",
    "type": "object",
    "required": ["supplier_name", "supplier_id", "amount", "category"],
    "properties": {
        "supplier_name": {"type": "string", "maxLength": 200, "pattern": "\\S"},
        "supplier_id": {
            "type": "string",
            "minLength": 9,
            "maxLength": 20,
            "pattern": "^(BE|be)?[0-9 .]{9,18}$",
            "description": "A SIRET (14 digits) or a Belgian enterprise number (10 digits), "
            "checked by their check digits.",
            "examples": ["73282932000074", "0403019261"],
        },
        "amount": {
            "description": "Excluding VAT (EUR), above zero, at most two decimals.",
            "oneOf": [
                {
                    "type": "string",
                    "pattern": "^(0*[1-9][0-9]{0,9}(\\.[0-9]{1,2})?|0*\\.(0[1-9]|[1-9][0-9]?))$",
                },
                {"type": "integer", "minimum": 1, "maximum": 9999999999},
            ],
        },
        "commune": {
            "type": "string",
            "pattern": "^([0-9]{5}|2[ABab][0-9]{3})?$",
            "examples": ["59599"],
            "description": "A French supplier's commune by its INSEE code (absent: outside the "
            "listed communes); needs a SIRET.",
        },
        "region": {
            "type": "string",
            "enum": ["", *BelgianRegion.values],
            "description": "A Belgian supplier's region; needs an enterprise number.",
        },
        "category": {"type": "string", "enum": list(SpendCategory.values)},
        "invoice_number": {"type": "string", "maxLength": 60},
        "invoice_date": {"type": "string", "format": "date"},
    },
}
REFUSE_BODY = {
    "title": "RefuseIn",
    "type": "object",
    "required": ["reason"],
    "properties": {
        "reason": {
            "type": "string",
            "maxLength": 2000,
            "pattern": "\\S",
            "description": "Shown to the beneficiary (required, not blank).",
        }
    },
}
PAID_BODY = {
    "title": "PaidIn",
    "type": "object",
    "required": ["paid_on"],
    "properties": {
        "paid_on": {
            "type": "string",
            "format": "date",
            "description": "The day it was paid: not before the request, not in the future.",
        }
    },
}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


B = TypeVar("B", bound=_Body)


def _read(model: type[B], request: SignedInRequest) -> B:
    """The JSON body as ``model``, or 422 ``invalid_input`` naming each field that is wrong."""
    try:
        return model.model_validate_json(request.body or b"{}")
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            # The body is flat: the field, not the member of a union that refused it.
            name = str(problem["loc"][0]) if problem["loc"] else "__all__"
            text = _("This field is required.") if problem["type"] == "missing" else None
            fields.setdefault(name, []).append(text or _("This value is not valid."))
        raise invalid_input(fields) from None


F = TypeVar("F", bound=forms.Form)


def _checked(form: F) -> F:
    """The page's form, valid, or 422 ``invalid_input`` with its messages per field."""
    if not form.is_valid():
        raise invalid_input(
            {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        )
    return form


class _InvoiceForm(InvoiceForm):
    """The page's form, the commune given by its INSEE code (as the ledger shows it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.to_field_name = "insee_code"


def _line_of(agreement: Agreement, line_id: int) -> SpendLine:
    line = SpendLine.objects.filter(pk=line_id, agreement=agreement).first()
    if line is None:
        raise Http404
    return line


@router.post(
    "/{agreement_id}/spend/lines",
    response={201: SpendLineOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="Declare an invoice on the regional-spend ledger (the beneficiary)",
    openapi_extra=_body(INVOICE_BODY),
)
def declare_invoice(request: SignedInRequest, agreement_id: int) -> Status:
    # permission: signed in; the beneficiary's lead and accepted team members once the agreement
    # is sent (agreement_for_beneficiary: 404 for everyone else, the call's staff and a pending
    # invitee included), before the body is read; then the page's form (422 with its messages)
    # and services_spend.declare_invoice: 409 unless signed and the final tranche not asked
    # for, 422 for a supplier number or place it refuses; audited
    agreement = agreement_for_beneficiary(request.auth, agreement_id)
    payload = _read(InvoiceIn, request)
    form = _checked(
        _InvoiceForm(
            {
                "supplier_name": payload.supplier_name,
                "supplier_id": payload.supplier_id,
                "amount": str(payload.amount),
                "commune": payload.commune or "",
                "region": payload.region or "",
                "category": payload.category,
                "invoice_number": payload.invoice_number or "",
                "invoice_date": payload.invoice_date or "",
            }
        )
    )
    line = services_spend.declare_invoice(
        agreement=agreement,
        by=request.auth,
        **form.invoice(),
    )
    return Status(201, _line(line))


@router.delete(
    "/{agreement_id}/spend/lines/{line_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=SIGNED_IN,
    summary="Withdraw an invoice from the regional-spend ledger (the beneficiary)",
)
def withdraw_invoice(request: SignedInRequest, agreement_id: int, line_id: int) -> Status:
    # permission: signed in; the beneficiary's lead and accepted team members once the agreement
    # is sent (agreement_for_beneficiary: 404 for everyone else), a line of that agreement
    # (404 otherwise); services_spend.withdraw_invoice: 409 once the ledger is closed; audited
    agreement = agreement_for_beneficiary(request.auth, agreement_id)
    line = _line_of(agreement, line_id)
    services_spend.withdraw_invoice(line=line, by=request.auth)
    return Status(204, None)


def _for_staff(request: SignedInRequest, agreement_id: int, request_id: int) -> PaymentRequest:
    """The pages' rule: people who instruct no call get 403; then the staff of the agreement's
    call not on its team (agreement_for_staff), a request of that agreement (404 otherwise)."""
    if not instructs_some_call(request.auth):
        raise PermissionDenied
    agreement = agreement_for_staff(request.auth, agreement_id)
    payment = request_of(agreement, request_id)
    if payment is None:
        raise Http404
    return payment


def _decided(payment: PaymentRequest) -> dict[str, Any]:
    """The request as it stands after a decision, as ``GET …/payment-requests`` gives it."""
    fresh = (
        PaymentRequest.objects.select_related("tranche")
        .prefetch_related(
            Prefetch("proofs", queryset=PaymentProof.objects.order_by("uploaded_at", "pk")),
            Prefetch("approvals", queryset=PaymentApproval.objects.all()),
        )
        .get(pk=payment.pk)
    )
    return _payment(fresh, fresh.tranche)


_DECISION_ANSWERS: dict[int, Any] = {
    200: PaymentRequestOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post(
    "/{agreement_id}/payment-requests/{request_id}/approve",
    response=_DECISION_ANSWERS,
    auth=SIGNED_IN,
    summary="Approve a payment request (two different staff members of the call)",
)
def approve_payment(request: SignedInRequest, agreement_id: int, request_id: int) -> dict[str, Any]:
    # permission: signed in with a second factor (staff: api/auth.py, the MFA middleware);
    # instructs a call (403 otherwise), the staff of the agreement's call not on its team
    # (agreement_for_staff: 404 otherwise); services_payments.approve_payment: 403 for the
    # requester, 409 for a second approval by the same person, a request not pending or proofs
    # not found clean; audited (a money decision)
    payment = _for_staff(request, agreement_id, request_id)
    services_payments.approve_payment(request=payment, by=request.auth)
    return _decided(payment)


@router.post(
    "/{agreement_id}/payment-requests/{request_id}/refuse",
    response=_DECISION_ANSWERS,
    auth=SIGNED_IN,
    summary="Refuse a payment request with its reason (the tranche may be asked for again)",
    openapi_extra=_body(REFUSE_BODY),
)
def refuse_payment(request: SignedInRequest, agreement_id: int, request_id: int) -> dict[str, Any]:
    # permission: signed in with a second factor (staff: api/auth.py, the MFA middleware);
    # instructs a call (403 otherwise), the staff of the agreement's call not on its team
    # (agreement_for_staff: 404 otherwise), before the body is read; the page's form (422
    # without a reason); services_payments.refuse_payment: 409 once paid or refused; audited
    payment = _for_staff(request, agreement_id, request_id)
    payload = _read(RefuseIn, request)
    form = _checked(RefuseForm({"reason": payload.reason}))
    services_payments.refuse_payment(
        request=payment, by=request.auth, reason=form.cleaned_data["reason"]
    )
    return _decided(payment)


@router.post(
    "/{agreement_id}/payment-requests/{request_id}/pay",
    response=_DECISION_ANSWERS,
    auth=SIGNED_IN,
    summary="Record the payment of an approved request, with the day it was paid",
    openapi_extra=_body(PAID_BODY),
)
def record_payment(request: SignedInRequest, agreement_id: int, request_id: int) -> dict[str, Any]:
    # permission: signed in with a second factor (staff: api/auth.py, the MFA middleware);
    # instructs a call (403 otherwise), the staff of the agreement's call not on its team
    # (agreement_for_staff: 404 otherwise), before the body is read; the page's form (422 for
    # a date it does not read); services_payments.record_payment: 409 before the two approvals,
    # 422 for a day before the request or in the future; audited (a money decision)
    payment = _for_staff(request, agreement_id, request_id)
    payload = _read(PaidIn, request)
    form = _checked(PaidForm({"paid_on": payload.paid_on}))
    services_payments.record_payment(
        request=payment, by=request.auth, paid_on=form.cleaned_data["paid_on"]
    )
    return _decided(payment)
