"""Background work of the follow-up (django-tasks): the antivirus scan of the proofs and
reports uploaded, enqueued once the service's transaction has committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from . import services_payments, services_reports
from .events_follow_up import ProofUploaded, ReportUploaded


@task()
def scan_payment_proof(proof_id: int) -> str:
    return services_payments.scan_proof(proof_id=proof_id)


@task()
def scan_report(report_id: int) -> str:
    return services_reports.scan_report(report_id=report_id)


@events.handles(ProofUploaded)
def _scan_proof(event: ProofUploaded) -> None:
    scan_payment_proof.enqueue(proof_id=event.proof_id)


@events.handles(ReportUploaded)
def _scan_report(event: ReportUploaded) -> None:
    scan_report.enqueue(report_id=event.report_id)
