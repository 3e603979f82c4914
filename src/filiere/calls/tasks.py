"""Background work of the calls app (django-tasks; run ``manage.py db_worker``).

Tasks are thin: they call a service. They are enqueued after the commit of the transaction
that made them necessary (``transaction.on_commit``). Services enqueue tasks and tasks call
services, so each side imports the other inside its functions, which breaks the import cycle
(issue #9 is to give the app one direction instead).
"""

from django_tasks import task

# --- Applying and submission (antivirus, receipts, deadline reminders) -------------------------


@task()
def scan_document(document_id: int) -> str:
    from .services.scanning import scan_document as scan

    return scan(document_id=document_id)


@task()
def scan_message_attachment(message_id: int) -> str:
    from .services.scanning import scan_message_attachment as scan

    return scan(message_id=message_id)


@task()
def scan_rules_pdf(call_id: int) -> str:
    from .services.scanning import scan_rules_pdf as scan

    return scan(call_id=call_id)


@task()
def send_receipt(submission_id: int) -> None:
    from .services.submission import send_receipt_email

    send_receipt_email(submission_id=submission_id)


@task()
def send_deadline_reminders() -> int:
    from .services.reminders import send_deadline_reminders as send

    return send()
