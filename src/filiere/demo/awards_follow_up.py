"""The demo's follow-up of the 2009 call's signed agreements (after ``demo.awards``): paid
tranches with their two approvals, regional-spend ledgers at various ratios, reports, one
final payment reduced by the regional-spend rule, closed projects with a recovery.

Written as the record of what happened, dated after each signature (never in the future):

- a file in ``agreement``: its first tranche asked for, approved once (the staff's queue);
- a file in ``in_payment``: its first tranche paid, the mid-term report submitted, invoices;
- a closed file: every tranche paid, both reports accepted, the ledger complete. One of them
  missed its regional spend: its final tranche is reduced by the engine's rule, with the
  computation kept and shown; another pays back an unspent amount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum import luhn

from filiere.accounts.models import User
from filiere.awards import services_reports
from filiere.awards.models import (
    Agreement,
    AgreementStatus,
    PaymentApproval,
    PaymentProof,
    PaymentRequest,
    PaymentStatus,
    Recovery,
    Report,
    ReportStatus,
    SpendCategory,
    SpendLine,
    Tranche,
    TrancheStatus,
)
from filiere.awards.selectors_spend import computation_record, spend_computation
from filiere.calls.models import Call, ScanStatus
from filiere.community.models import Commune

from .accounts import DEMO_STAFF_EMAIL
from .pdf import tiny_pdf

#: Eligible spend as a share of what the agreement requires, in turn: projects still running
#: (some below it so far), closed projects that met it (the reduced one apart).
RUNNING_RATIOS = (Decimal("0.97"), Decimal("1.12"), Decimal("0.74"), Decimal("1.31"))
MET_RATIOS = (Decimal("1.04"), Decimal("1.58"), Decimal("1.12"), Decimal("1.31"))
#: The closed project that missed its regional spend: 80 % of the requirement.
MISSED = Decimal("0.80")
SUPPLIERS = (
    ("Studio Lumière Lille", SpendCategory.TECHNICAL),
    ("Roubaix Post-Production", SpendCategory.POST_PRODUCTION),
    ("Décors du Nord", SpendCategory.SETS),
    ("Tourcoing Cast", SpendCategory.CAST),
    ("Transports Valenciennois", SpendCategory.TRANSPORT),
    ("Équipe technique Hainaut", SpendCategory.CREW),
)


@dataclass
class DemoFollowUpResult:
    paid: int = 0
    awaiting: int = 0
    invoices: int = 0
    reduced: int = 0
    closed_with_reports: int = 0
    recoveries: int = 0


def _siret(n: int) -> str:
    """A SIRET with the right check digits (Luhn on the SIREN and on the whole)."""
    siren = f"{51000000 + n:08d}"
    siren += luhn.calc_check_digit(siren)
    body = f"{siren}{1 + n % 9999:04d}"
    return body + luhn.calc_check_digit(body)


def _bce(n: int) -> str:
    """A Belgian enterprise number with the right check (97 - the first 8 digits mod 97)."""
    body = f"0{(4000000 + n * 7919) % 10**7:07d}"
    return body + f"{97 - int(body) % 97:02d}"


class _Clock:
    """Dates after the signature, spread over what has passed since, never in the future."""

    def __init__(self, start: dt.datetime) -> None:
        now = timezone.now() - dt.timedelta(hours=1)
        self.start = min(start, now)
        self.step = max(dt.timedelta(hours=1), min(dt.timedelta(days=120), (now - self.start) / 8))

    def at(self, steps: float) -> dt.datetime:
        return self.start + self.step * steps


def _pay(
    tranche: Tranche,
    lead: User,
    approvers: list[User],
    when: dt.datetime,
    *,
    amount: Decimal | None = None,
    computation: dict[str, object] | None = None,
) -> PaymentRequest:
    amount = tranche.amount if amount is None else amount
    request = PaymentRequest.objects.create(
        tranche=tranche,
        amount=amount,
        requested_by=lead,
        status=PaymentStatus.PAID,
        paid_amount=amount,
        paid_at=when,
        computation=computation or {},
    )
    PaymentRequest.objects.filter(pk=request.pk).update(requested_at=when - dt.timedelta(days=9))
    _proof(request, lead, f"justificatifs-{tranche.label}.pdf")
    for person in approvers:
        PaymentApproval.objects.create(request=request, by=person)
    tranche.status = TrancheStatus.REDUCED if amount < tranche.amount else TrancheStatus.PAID
    tranche.paid_amount = amount
    tranche.paid_at = when
    tranche.save(update_fields=["status", "paid_amount", "paid_at"])
    return request


def _proof(request: PaymentRequest, lead: User, name: str) -> None:
    data = tiny_pdf(name)
    proof = PaymentProof(
        request=request,
        uploaded_by=lead,
        original_name=name,
        content_type="application/pdf",
        size=len(data),
        scan_status=ScanStatus.CLEAN,
    )
    proof.file.save("file", ContentFile(data), save=False)
    proof.save()


def _report(
    agreement: Agreement, kind: str, lead: User, when: dt.datetime, staff: User | None
) -> None:
    report = Report.objects.get(agreement=agreement, kind=kind)
    data = tiny_pdf(f"Rapport {kind} {agreement.application.reference}")
    report.file.save("file", ContentFile(data), save=False)
    report.original_name = f"rapport-{kind}.pdf"
    report.content_type = "application/pdf"
    report.size = len(data)
    report.scan_status = ScanStatus.CLEAN
    report.status = ReportStatus.ACCEPTED if staff else ReportStatus.SUBMITTED
    report.submitted_at = when
    report.submitted_by = lead
    if staff:
        report.accepted_at = when + dt.timedelta(days=6)
        report.accepted_by = staff
    report.save()


def _ledger(agreement: Agreement, lead: User, share: Decimal, seed: int) -> int:
    """Invoices whose eligible total is ``share`` x the required spend, plus a few elsewhere."""
    required = max(agreement.amount * agreement.spend_ratio, agreement.spend_floor)
    target = (required * share).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    communes = list(
        Commune.objects.filter(territory__code__in=agreement.spend_territories).order_by("name")[:6]
    )
    lines: list[SpendLine] = []
    parts = 4
    for i in range(parts):
        amount = (target / parts).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
        if i == parts - 1:
            amount = target - sum((line.amount for line in lines), Decimal(0))
        name, category = SUPPLIERS[(seed + i) % len(SUPPLIERS)]
        lines.append(
            SpendLine(
                agreement=agreement,
                supplier_name=name,
                supplier_id=_siret(seed * 10 + i),
                commune=communes[(seed + i) % len(communes)] if communes else None,
                amount=amount,
                category=category,
                invoice_number=f"F-{seed:03d}-{i + 1}",
                invoice_date=timezone.localdate(agreement.signed_at) + dt.timedelta(days=30 * i),
                eligible=bool(communes),
                declared_by=lead,
            )
        )
    # Spent elsewhere: a Paris lab and a Flemish studio (outside the territories).
    lines.append(
        SpendLine(
            agreement=agreement,
            supplier_name="Laboratoire parisien",
            supplier_id=_siret(seed * 10 + 8),
            amount=(agreement.amount / 10).quantize(Decimal("0.01")),
            category=SpendCategory.POST_PRODUCTION,
            eligible=False,
            declared_by=lead,
        )
    )
    lines.append(
        SpendLine(
            agreement=agreement,
            supplier_name="Gent Sound Studio",
            supplier_id=_bce(seed),
            region="flanders",
            amount=(agreement.amount / 20).quantize(Decimal("0.01")),
            category=SpendCategory.SERVICES,
            eligible="flanders" in agreement.spend_territories,
            declared_by=lead,
        )
    )
    SpendLine.objects.bulk_create(lines)
    return len(lines)


def seed_demo_follow_up(call: Call) -> DemoFollowUpResult:
    """The follow-up of ``call``'s signed agreements (see the module's docstring)."""
    result = DemoFollowUpResult()
    staff = list(User.objects.filter(email=DEMO_STAFF_EMAIL))
    second = (
        User.objects.filter(role_grants__role="staff", role_grants__revoked_at__isnull=True)
        .exclude(email=DEMO_STAFF_EMAIL)
        .order_by("pk")
        .first()
    )
    if not staff:
        return result
    approvers = [staff[0], second] if second is not None else staff
    agreements = (
        Agreement.objects.filter(
            application__call=call,
            status__in=[AgreementStatus.SIGNED, AgreementStatus.CLOSED],
            signed_at__isnull=False,
        )
        .exclude(tranches__requests__isnull=False)
        .select_related("application__lead")
        .order_by("application__reference")
        .distinct()
    )
    running_ratios, met_ratios = iter(RUNNING_RATIOS * 50), iter(MET_RATIOS * 50)
    missed_done = recovery_done = False
    for seed, agreement in enumerate(agreements, start=1):
        lead = agreement.application.lead
        state = agreement.application.state
        services_reports.schedule_reports(agreement=agreement)
        tranches = list(agreement.tranches.order_by("position"))
        clock = _Clock(agreement.signed_at or timezone.now())
        if state == "agreement":
            request = PaymentRequest.objects.create(
                tranche=tranches[0],
                amount=tranches[0].amount,
                requested_by=lead,
                status=PaymentStatus.APPROVED_ONCE,
            )
            _proof(request, lead, "rib-et-attestations.pdf")
            PaymentApproval.objects.create(request=request, by=staff[0])
            Tranche.objects.filter(pk=tranches[0].pk).update(status=TrancheStatus.REQUESTED)
            result.awaiting += 1
            continue
        closed = state == "closed"
        if closed:
            share = MISSED if not missed_done else next(met_ratios)
        else:
            share = next(running_ratios)
        result.invoices += _ledger(agreement, lead, share, seed)
        _pay(tranches[0], lead, approvers, clock.at(1))
        result.paid += 1
        if not closed:
            _report(agreement, "mid_term", lead, clock.at(3), None)
            continue
        _report(agreement, "mid_term", lead, clock.at(3), staff[0])
        for tranche in tranches[1:-1]:
            _pay(tranche, lead, approvers, clock.at(4))
            result.paid += 1
        _report(agreement, "final", lead, clock.at(6), staff[0])
        computation = spend_computation(agreement)
        final_amount = computation.outcome.final_tranche if computation else tranches[-1].amount
        _pay(
            tranches[-1],
            lead,
            approvers,
            clock.at(7),
            amount=final_amount,
            computation=computation_record(computation) if computation else {},
        )
        result.paid += 1
        if final_amount < tranches[-1].amount:
            result.reduced += 1
            missed_done = True
        elif not recovery_done:
            Recovery.objects.create(
                agreement=agreement,
                amount=(agreement.amount / 25).quantize(Decimal("0.01")),
                reason="Budget de post-production non dépensé (état récapitulatif final).",
                recorded_by=staff[0],
            )
            recovery_done = True
            result.recoveries += 1
        Agreement.objects.filter(pk=agreement.pk).update(closed_at=clock.at(8))
        result.closed_with_reports += 1
    return result
