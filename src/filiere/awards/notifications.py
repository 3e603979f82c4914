"""E-mails of the agreements, built from the events the services publish (never importing a
service): the agreement sent to the beneficiary's team, its PDF attached, in the agreement's
language (the applicant's)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from filiere.calls.notifications import team_recipients
from filiere.calls.phrases import format_money

from .agreement_pdf import agreement_filename, agreement_pdf
from .models import Agreement, AgreementStatus


def email_agreement_sent(*, agreement_id: int) -> int:
    """E-mail the sent agreement to the application's lead and accepted team members; returns
    how many messages left (none once the agreement is no longer waiting for its signature)."""
    agreement = (
        Agreement.objects.select_related("application__call__fund", "application__lead")
        .filter(pk=agreement_id, status=AgreementStatus.SENT)
        .first()
    )
    if agreement is None:
        return 0
    application = agreement.application
    with translation.override(agreement.language):
        context = {
            "application": application,
            "amount": format_money(agreement.amount, cents=True),
            "url": settings.FILIERE_SITE_URL + reverse("awards:my_agreement", args=[agreement.pk]),
        }
        subject = " ".join(render_to_string("awards/email/sent_subject.txt", context).split())
        body = render_to_string("awards/email/sent_body.txt", context).strip() + "\n"
        pdf = agreement_pdf(agreement)
        filename = agreement_filename(agreement)
    messages = []
    for recipient in team_recipients(application):
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[recipient.email],
            headers={"Content-Language": agreement.language, "Auto-Submitted": "auto-generated"},
        )
        message.attach(filename, pdf, "application/pdf")
        messages.append(message)
    with get_connection() as connection:
        connection.send_messages(messages)
    return len(messages)
