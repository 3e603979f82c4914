"""Builders of the follow-up's tests: a signed agreement (the application in ``agreement``),
proofs and reports marked clean as the antivirus would, invoices, a tranche paid with its two
approvals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from filiere.accounts.models import User
from filiere.awards import services_payments, services_reports, services_spend
from filiere.awards.models import (
    Agreement,
    AgreementStatus,
    PaymentProof,
    PaymentRequest,
    Report,
    ReportKind,
    Tranche,
)
from filiere.calls.models import Application
from filiere.community.models import Commune, Territory
from tests.awards.pages import Case, sent_case
from tests.calls.apply_factories import pdf_bytes, upload
from tests.review.factories import call_staff

#: Valid numbers (check digits right): a SIRET and a Belgian enterprise number.
SIRET = "73282932000074"
BCE = "0403019261"


@dataclass
class Signed(Case):
    second_staff: User  # a second staff member of the call (the second approval)


def signed_case(*, amount: Decimal = Decimal("40000"), territories=None, **kwargs) -> Signed:
    """A sent agreement made signed, the application in ``agreement``, reports scheduled."""
    case = sent_case(amount=amount, **kwargs)
    agreement = case.agreement
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_at = timezone.now()
    if territories is not None:
        agreement.spend_territories = list(territories)
    agreement.save()
    Application.objects.filter(pk=agreement.application_id).update(state="agreement")
    services_reports.schedule_reports(agreement=agreement)
    return Signed(
        agreement=Agreement.objects.get(pk=agreement.pk),
        lead=case.lead,
        member=case.member,
        staff=case.staff,
        second_staff=call_staff(agreement.application.call),
    )


def tranche(agreement: Agreement, position: int) -> Tranche:
    return Tranche.objects.get(agreement=agreement, position=position)


def proof(name: str = "invoice.pdf"):
    return upload(name, pdf_bytes("proof"))


def clean_proofs(request: PaymentRequest) -> None:
    PaymentProof.objects.filter(request=request).update(scan_status="clean")


def ask(case: Signed, position: int, *, by: User | None = None) -> PaymentRequest:
    request = services_payments.request_payment(
        tranche=tranche(case.agreement, position), by=by or case.lead, proofs=[proof()]
    )
    clean_proofs(request)
    return request


def pay(case: Signed, position: int, *, paid_on: date | None = None) -> PaymentRequest:
    """Ask for the tranche, approve it twice, record its payment."""
    request = ask(case, position)
    services_payments.approve_payment(request=request, by=case.staff)
    services_payments.approve_payment(request=request, by=case.second_staff)
    return services_payments.record_payment(
        request=request, by=case.staff, paid_on=paid_on or timezone.localdate()
    )


def submit(case: Signed, kind: str, *, accept: bool = False) -> Report:
    report = Report.objects.get(agreement=case.agreement, kind=kind)
    report = services_reports.submit_report(
        report=report, by=case.lead, uploaded_file=upload(f"{kind}.pdf", pdf_bytes(kind))
    )
    Report.objects.filter(pk=report.pk).update(scan_status="clean")
    report.refresh_from_db()
    if accept:
        report = services_reports.accept_report(report=report, by=case.staff)
    return report


def eligible_place(agreement: Agreement) -> Commune:
    """A commune in one of the agreement's territories (made when the test data has none)."""
    code = agreement.spend_territories[0]
    territory = Territory.objects.get(code=code)
    commune = Commune.objects.filter(territory=territory).first()
    if commune is None:
        commune = Commune.objects.create(
            insee_code="59350", siren="215903501", name="Lille", territory=territory
        )
    return commune


def invoice(case: Signed, amount: Decimal, *, eligible: bool = True, **kwargs):
    place = {"commune": eligible_place(case.agreement)} if eligible else {}
    return services_spend.declare_invoice(
        agreement=case.agreement,
        by=case.lead,
        supplier_name=kwargs.pop("supplier_name", "Studio du Nord"),
        supplier_id=kwargs.pop("supplier_id", SIRET),
        amount=Decimal(amount),
        **place,
        **kwargs,
    )


__all__ = ["BCE", "SIRET", "ReportKind", "Signed", "signed_case"]
