"""Deadline reminders: e-mail the holders of unsubmitted drafts 7 days and 48 hours before closing.

Run it every hour or so (``manage.py send_deadline_reminders``, or the ``send_deadline_reminders``
task). Exactly once per draft and kind: the reminder is recorded first
(:class:`~filiere.calls.models.DeadlineReminder`, unique on application and kind), and only the
run that inserted the row sends the e-mail. When both are due at once (a draft started two days
before closing), only the 48-hour reminder goes out and the 7-day one is recorded as skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Application, DeadlineReminder, State

WINDOWS = (
    (DeadlineReminder.Kind.TWO_DAYS, timedelta(hours=48)),
    (DeadlineReminder.Kind.SEVEN_DAYS, timedelta(days=7)),
)


def _recipients(application: Application) -> list:
    people = [application.lead]
    people += [
        member.user
        for member in application.team.all()
        if member.user is not None and member.accepted_at and member.can_edit
    ]
    seen, unique = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    return unique


def _record(application: Application, kind: str, recipients: list[str]) -> bool:
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(
                application=application, kind=kind, recipients=recipients
            )
    except IntegrityError:
        return False
    return True


def send_deadline_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders due at ``now``; returns the number of e-mails sent."""
    now = now or timezone.now()
    drafts = (
        Application.objects.filter(
            state=State.DRAFT,
            call__closes_at__gt=now,
            call__closes_at__lte=now + timedelta(days=7),
        )
        .select_related("call", "lead")
        .prefetch_related("team__user", "deadline_reminders")
    )
    sent = 0
    for application in drafts:
        remaining = application.call.closes_at - now
        done = {reminder.kind for reminder in application.deadline_reminders.all()}
        due = [kind for kind, window in WINDOWS if remaining <= window and kind not in done]
        if not due:
            continue
        kind, skipped = due[0], due[1:]  # the most urgent one only
        people = _recipients(application)
        if not _record(application, kind, [person.email for person in people]):
            continue
        for other in skipped:
            _record(application, other, [])
        for person in people:
            with translation.override(person.preferred_language or "fr"):
                context = {"application": application, "kind": kind, "person": person}
                subject = render_to_string("calls/applicant/email/reminder_subject.txt", context)
                body = render_to_string("calls/applicant/email/reminder.txt", context)
            send_mail(" ".join(subject.split()), body, None, [person.email])
            sent += 1
    return sent
