"""Writes of the payments: the beneficiary asks for a tranche with its proofs, two different
staff members of the call approve it, then its payment is recorded with its date; or it is
refused with a reason.

One door per verb, each audited (``awards.payment.*``, money decisions all) in its
transaction. Nobody approves a payment of a file they are on (``permissions.manages``), nor one
they asked for, nor twice (the database holds one approval per person). The final tranche is
the engine's (``engine.awards.regional_spend``): reduced when the regional spend is missed,
with the computation kept on the request. The application moves to ``in_payment`` at its first
payment through ``calls``' transition service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events, throttle
from filiere.calls.models import ScanStatus
from filiere.calls.models import State as AppState
from filiere.calls.services.transitions import transition_application
from filiere.engine import awards as rules
from filiere.errors import Invalid, NotAllowed, ServiceError

from . import scanned_files
from .events_follow_up import ProofUploaded
from .models import (
    Agreement,
    AgreementStatus,
    PaymentApproval,
    PaymentProof,
    PaymentRequest,
    PaymentStatus,
    Report,
    ReportKind,
    ReportStatus,
    Tranche,
    TrancheLabel,
    TrancheStatus,
)
from .permissions import manages, reads_as_beneficiary
from .selectors_spend import computation_record, spend_computation

#: The agreement's statuses in which tranches are paid.
PAYABLE = (AgreementStatus.SIGNED, AgreementStatus.AMENDED)
#: The report a tranche waits for, by the tranche's label.
REPORT_BEFORE = {
    TrancheLabel.MID_TERM: ReportKind.MID_TERM,
    TrancheLabel.FINAL_REPORT: ReportKind.FINAL,
}
MAX_PROOFS = 10
#: A request awaiting a decision.
PENDING = (PaymentStatus.REQUESTED, PaymentStatus.APPROVED_ONCE)
SETTLED = (TrancheStatus.PAID, TrancheStatus.REDUCED)


def _audit(request: PaymentRequest, tranche: Tranche) -> dict[str, object]:
    return {
        "agreement": tranche.agreement_id,
        "payment_request": request.pk,
        "tranche": tranche.label,
        "position": tranche.position,
        "amount": str(request.amount),
        "status": request.status,
    }


def _lock_tranche(tranche: Tranche) -> Tranche:
    return (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("agreement__application__call")
        .get(pk=tranche.pk)
    )


def _lock_request(request: PaymentRequest) -> PaymentRequest:
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    locked.tranche = _lock_tranche(locked.tranche)
    return locked


# --- request ------------------------------------------------------------------------------------


def _check_order(tranche: Tranche, agreement: Agreement) -> None:
    earlier = Tranche.objects.filter(agreement=agreement, position__lt=tranche.position)
    if earlier.exclude(status__in=SETTLED).exists():
        raise ServiceError("awards.payment.previous_unpaid")
    kind = REPORT_BEFORE.get(TrancheLabel(tranche.label))
    if kind is not None:
        submitted = Report.objects.filter(
            agreement=agreement,
            kind=kind,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
        ).exists()
        if not submitted:
            raise ServiceError(
                "awards.payment.report_missing", {"report": str(ReportKind(kind).label).lower()}
            )


def _amount_due(tranche: Tranche, agreement: Agreement) -> tuple[Decimal, dict[str, object]]:
    """What the tranche pays: its amount, or for the final one what the regional-spend rule
    leaves of it (with the computation)."""
    last = agreement.tranches.order_by("-position").values_list("pk", flat=True).first()
    if tranche.pk != last:
        return tranche.amount, {}
    try:
        computation = spend_computation(agreement)
    except rules.AwardsError as error:
        raise Invalid(f"awards.engine.{error.code}", error.params) from None
    if computation is None:
        return tranche.amount, {}
    return computation.outcome.final_tranche, computation_record(computation)


def request_payment(
    *, tranche: Tranche, by: User, proofs: Sequence[File], note: str = ""
) -> PaymentRequest:
    """The beneficiary asks for ``tranche`` with its proofs (each checked like calls'
    documents, scanned after the commit). Tranches are asked for in order, once the agreement
    is signed; the mid-term and final ones once their report is submitted. The final tranche's
    amount is the engine's, computed now from the invoices declared (which then freeze)."""
    if not proofs:
        raise Invalid("awards.payment.proofs_missing", field="proofs")
    if len(proofs) > MAX_PROOFS:
        raise Invalid("awards.payment.too_many_proofs", {"maximum": MAX_PROOFS}, field="proofs")
    throttle.hit(scope="upload", user=by)
    checked = [scanned_files.check(proof) for proof in proofs]
    with transaction.atomic():
        locked = _lock_tranche(tranche)
        agreement = Agreement.objects.select_for_update().get(pk=locked.agreement_id)
        if not reads_as_beneficiary(by, agreement):
            raise NotAllowed("awards.payment.not_beneficiary")
        if agreement.status == AgreementStatus.CLOSED:
            raise ServiceError("awards.payment.closed")
        if agreement.status not in PAYABLE:
            raise ServiceError("awards.payment.not_signed")
        if locked.status != TrancheStatus.PLANNED:
            raise ServiceError("awards.payment.tranche_not_open")
        _check_order(locked, agreement)
        amount, computation = _amount_due(locked, agreement)
        try:
            with transaction.atomic():
                request = PaymentRequest.objects.create(
                    tranche=locked,
                    amount=amount,
                    note=(note or "").strip(),
                    requested_by=by,
                    computation=computation,
                )
        except IntegrityError:
            raise ServiceError("awards.payment.tranche_not_open") from None
        stored = [
            scanned_files.store(PaymentProof(request=request, uploaded_by=by), proof, check)
            for proof, check in zip(proofs, checked, strict=True)
        ]
        for proof in stored:
            proof.save()
        locked.status = TrancheStatus.REQUESTED
        locked.save(update_fields=["status"])
        record(
            actor=by,
            action="awards.payment.requested",
            obj=agreement.application,
            data={
                **_audit(request, locked),
                "tranche_amount": str(locked.amount),
                "proofs": [[p.original_name, p.sha256] for p in stored],
                "computation": computation,
            },
        )
        for proof in stored:
            events.publish(ProofUploaded(proof_id=proof.pk))
    return request


def scan_proof(*, proof_id: int) -> str:
    return scanned_files.scan(PaymentProof, proof_id, "awards.payment.proof_scan")


# --- decide -------------------------------------------------------------------------------------


def _require_manager(by: User, agreement: Agreement) -> None:
    if not manages(by, agreement):
        raise NotAllowed("awards.payment.not_staff")


def approve_payment(*, request: PaymentRequest, by: User) -> PaymentRequest:
    """One of the two approvals: staff of the call, not on the file, not the requester, once
    each; every proof must be clean. The second makes the tranche ``approved``."""
    with transaction.atomic():
        locked = _lock_request(request)
        tranche = locked.tranche
        agreement = tranche.agreement
        _require_manager(by, agreement)
        if locked.requested_by_id == by.pk:
            raise NotAllowed("awards.payment.own_request")
        if locked.status not in PENDING:
            raise ServiceError("awards.payment.not_pending")
        if locked.proofs.exclude(scan_status=ScanStatus.CLEAN).exists():
            raise ServiceError("awards.payment.proofs_not_clean")
        try:
            with transaction.atomic():
                PaymentApproval.objects.create(request=locked, by=by)
        except IntegrityError:
            raise ServiceError("awards.payment.already_approved") from None
        count = locked.approvals.count()
        if count >= 2:
            locked.status = PaymentStatus.APPROVED
            tranche.status = TrancheStatus.APPROVED
            tranche.save(update_fields=["status"])
        else:
            locked.status = PaymentStatus.APPROVED_ONCE
        locked.save(update_fields=["status"])
        record(
            actor=by,
            action="awards.payment.approved",
            obj=agreement.application,
            data={**_audit(locked, tranche), "approval": count},
        )
    return locked


def refuse_payment(*, request: PaymentRequest, by: User, reason: str) -> PaymentRequest:
    """Refuse a request not yet paid, with its reason: the tranche may be asked for again."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("awards.payment.reason_missing", field="reason")
    with transaction.atomic():
        locked = _lock_request(request)
        tranche = locked.tranche
        _require_manager(by, tranche.agreement)
        if locked.status not in (*PENDING, PaymentStatus.APPROVED):
            raise ServiceError("awards.payment.not_pending")
        locked.status = PaymentStatus.REFUSED
        locked.refusal_reason = reason
        locked.save(update_fields=["status", "refusal_reason"])
        tranche.status = TrancheStatus.PLANNED
        tranche.save(update_fields=["status"])
        record(
            actor=by,
            action="awards.payment.refused",
            obj=tranche.agreement.application,
            reason=reason,
            data=_audit(locked, tranche),
        )
    return locked


def _paid_moment(paid_on: date) -> datetime:
    return timezone.make_aware(datetime.combine(paid_on, time(12)))


def record_payment(*, request: PaymentRequest, by: User, paid_on: date) -> PaymentRequest:
    """The payment of an approved request was made on ``paid_on`` (staff of the call). The
    tranche is ``paid``, or ``reduced`` when less than its amount; the first payment moves the
    application to ``in_payment``."""
    with transaction.atomic():
        locked = _lock_request(request)
        tranche = locked.tranche
        agreement = tranche.agreement
        _require_manager(by, agreement)
        if locked.status != PaymentStatus.APPROVED:
            raise ServiceError("awards.payment.not_approved")
        if paid_on > timezone.localdate() or paid_on < timezone.localdate(locked.requested_at):
            raise Invalid("awards.payment.paid_on_invalid", field="paid_on")
        moment = _paid_moment(paid_on)
        locked.status = PaymentStatus.PAID
        locked.paid_amount = locked.amount
        locked.paid_at = moment
        locked.save(update_fields=["status", "paid_amount", "paid_at"])
        tranche.paid_amount = locked.amount
        tranche.paid_at = moment
        tranche.status = (
            TrancheStatus.REDUCED if locked.amount < tranche.amount else TrancheStatus.PAID
        )
        tranche.save(update_fields=["status", "paid_amount", "paid_at"])
        application = agreement.application
        if application.state == AppState.AGREEMENT:
            transition_application(
                application=application,
                code="start_payment",
                service="record_payment",
                by=by,
                data={"agreement": agreement.pk, "payment_request": locked.pk},
            )
        record(
            actor=by,
            action="awards.payment.paid",
            obj=application,
            data={
                **_audit(locked, tranche),
                "paid_amount": str(locked.paid_amount),
                "paid_on": paid_on.isoformat(),
                "tranche_status": tranche.status,
                "approvers": list(locked.approvals.values_list("by_id", flat=True)),
            },
        )
    return locked
