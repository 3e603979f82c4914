"""Background work of the awards app (django-tasks; run ``manage.py db_worker``). Thin: each
task runs one service; services publish an event (``calls.events``) and the handler here
enqueues the task once their transaction has committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from . import notifications, services_agreements
from .events import AgreementSent, SignedCopyUploaded


@task()
def scan_signed_copy(agreement_id: int) -> str:
    return services_agreements.scan_signed_copy(agreement_id=agreement_id)


@events.handles(SignedCopyUploaded)
def _scan_signed_copy(event: SignedCopyUploaded) -> None:
    scan_signed_copy.enqueue(agreement_id=event.agreement_id)


@task()
def email_agreement_sent(agreement_id: int) -> int:
    return notifications.email_agreement_sent(agreement_id=agreement_id)


@events.handles(AgreementSent)
def _email_agreement_sent(event: AgreementSent) -> None:
    email_agreement_sent.enqueue(agreement_id=event.agreement_id)
