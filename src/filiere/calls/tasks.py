"""Background work of the calls app (django-tasks; run ``manage.py db_worker``): the one module
that defines the app's tasks.

Tasks are thin: each calls one function of a service, of ``notifications`` or of ``exports``.
Services never import this module: they publish an event (``events.py``) in their transaction,
and the handlers below enqueue the task once it has committed. One direction: tasks → services
→ events.
"""

from __future__ import annotations

from django_tasks import task

from . import events, exports, notifications
from .services import reminders, scanning, submission

# --- antivirus ----------------------------------------------------------------------------------


@task()
def scan_document(document_id: int) -> str:
    return scanning.scan_document(document_id=document_id)


@task()
def scan_message_attachment(message_id: int) -> str:
    return scanning.scan_message_attachment(message_id=message_id)


@task()
def scan_rules_pdf(call_id: int) -> str:
    return scanning.scan_rules_pdf(call_id=call_id)


@events.handles(events.DocumentUploaded)
def _scan_document(event: events.DocumentUploaded) -> None:
    scan_document.enqueue(document_id=event.document_id)


@events.handles(events.AttachmentUploaded)
def _scan_attachment(event: events.AttachmentUploaded) -> None:
    scan_message_attachment.enqueue(message_id=event.message_id)


@events.handles(events.RulesPdfUploaded)
def _scan_rules_pdf(event: events.RulesPdfUploaded) -> None:
    scan_rules_pdf.enqueue(call_id=event.call_id)


# --- submission and deadlines -------------------------------------------------------------------


@task()
def send_receipt(submission_id: int) -> None:
    submission.send_receipt_email(submission_id=submission_id)


@events.handles(events.ApplicationSubmitted)
def _send_receipt(event: events.ApplicationSubmitted) -> None:
    send_receipt.enqueue(submission_id=event.submission_id)


@task()
def send_deadline_reminders() -> int:
    return reminders.send_deadline_reminders()


# --- e-mails built from events ------------------------------------------------------------------


@task()
def send_transition_emails(
    application_id: int, code: str, reason: str, actor_id: int | None
) -> int:
    return notifications.send_transition_emails_now(
        application_id=application_id, code=code, reason=reason, actor_id=actor_id
    )


@events.handles(events.ApplicationTransitioned)
def _tell_parties(event: events.ApplicationTransitioned) -> None:
    if notifications.parties_told(event.code):  # most transitions tell someone; not all
        send_transition_emails.enqueue(
            event.application_id, event.code, event.reason, event.actor_id
        )


@task()
def send_invitation_email(member_id: int) -> int:
    return notifications.send_invitation_email_now(member_id=member_id)


@events.handles(events.TeamMemberInvited)
def _invite(event: events.TeamMemberInvited) -> None:
    send_invitation_email.enqueue(event.member_id)


@task()
def send_message_emails(message_id: int) -> int:
    return notifications.send_message_emails_now(message_id=message_id)


@events.handles(events.MessagePosted)
def _tell_readers(event: events.MessagePosted) -> None:
    send_message_emails.enqueue(event.message_id)


# --- exports ------------------------------------------------------------------------------------


@task()
def build_documents_zip(job_id: int) -> int:
    return exports.build_documents_zip_now(job_id=job_id).done


@events.handles(events.DocumentsExportRequested)
def _build_documents_zip(event: events.DocumentsExportRequested) -> None:
    build_documents_zip.enqueue(event.job_id)
