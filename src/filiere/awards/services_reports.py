"""Writes of the reports and the end of the follow-up: the reports due (mid-term, final)
scheduled from the signature, their reminders, their submission (a file, checked and
scanned), their acceptance by staff; the closure of the project once the final report is
accepted and every tranche settled (the application moves to ``closed`` through ``calls``'
transition service); the recovery of unspent amounts.

One door per verb, each audited (``awards.report.*``, ``awards.agreement.closed``,
``awards.recovery.recorded``). ``send_report_reminders`` runs periodically (``manage.py
send_report_reminders``): each report not submitted gets one "due soon" reminder and one
"overdue" reminder at most, by the database (the run that inserts the reminder sends it).
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events, throttle
from filiere.calls.models import Application, ScanStatus, TeamMember
from filiere.calls.models import State as AppState
from filiere.calls.permissions import is_member
from filiere.calls.services.transitions import transition_application
from filiere.errors import Invalid, NotAllowed, ServiceError

from . import scanned_files
from .events_follow_up import ReportUploaded
from .models import (
    Agreement,
    AgreementStatus,
    DeclaredAid,
    PaymentRequest,
    PaymentStatus,
    Recovery,
    Report,
    ReportKind,
    ReportReminder,
    ReportReminderKind,
    ReportStatus,
    Tranche,
    TrancheLabel,
    TrancheStatus,
)
from .permissions import manages, reads_as_beneficiary

#: Months after the signature when each report is due (``FILIERE_REPORT_DUE_MONTHS``).
DUE_MONTHS = {ReportKind.MID_TERM: 12, ReportKind.FINAL: 24}
#: The "due soon" reminder goes out this close to the due date; "overdue" the day after, and
#: only within ``OVERDUE_WITHIN`` (a first run on old data sends nothing about ancient reports).
DUE_SOON = timedelta(days=14)
OVERDUE_WITHIN = timedelta(days=60)
SIGNED = (AgreementStatus.SIGNED, AgreementStatus.AMENDED)
SETTLED = (TrancheStatus.PAID, TrancheStatus.REDUCED)


def _audit(report: Report) -> dict[str, object]:
    return {
        "agreement": report.agreement_id,
        "report": report.pk,
        "kind": report.kind,
        "status": report.status,
        "due_on": report.due_on.isoformat(),
    }


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _due_months() -> dict[str, int]:
    configured = getattr(settings, "FILIERE_REPORT_DUE_MONTHS", {})
    return {kind: int(configured.get(kind, months)) for kind, months in DUE_MONTHS.items()}


# --- schedule -----------------------------------------------------------------------------------


def schedule_reports(*, agreement: Agreement) -> list[Report]:
    """The reports a signed agreement asks for, due so many months after its signature: a
    mid-term report when a tranche waits for it, and the final report. Idempotent."""
    if agreement.signed_at is None or agreement.status not in (*SIGNED, AgreementStatus.CLOSED):
        return list(Report.objects.filter(agreement=agreement).order_by("due_on"))
    kinds = [ReportKind.FINAL]
    if Tranche.objects.filter(agreement=agreement, label=TrancheLabel.MID_TERM).exists():
        kinds.insert(0, ReportKind.MID_TERM)
    existing = set(Report.objects.filter(agreement=agreement).values_list("kind", flat=True))
    months = _due_months()
    signed_on = timezone.localdate(agreement.signed_at)
    with transaction.atomic():
        for kind in kinds:
            if kind in existing:
                continue
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        agreement=agreement, kind=kind, due_on=_add_months(signed_on, months[kind])
                    )
            except IntegrityError:
                continue  # scheduled by a concurrent reader
            record(
                actor=None,
                action="awards.report.scheduled",
                obj=agreement.application,
                data=_audit(report),
            )
    return list(Report.objects.filter(agreement=agreement).order_by("due_on"))


# --- submit, accept -----------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("agreement__application__call")
        .get(pk=report.pk)
    )


def submit_report(*, report: Report, by: User, uploaded_file: File) -> Report:
    """The beneficiary's team hands in a report (one file, checked like calls' documents,
    scanned after the commit); a new file replaces one not yet accepted."""
    throttle.hit(scope="upload", user=by)
    checked = scanned_files.check(uploaded_file)
    with transaction.atomic():
        locked = _lock(report)
        agreement = locked.agreement
        if not reads_as_beneficiary(by, agreement):
            raise NotAllowed("awards.report.not_beneficiary")
        if agreement.status == AgreementStatus.CLOSED:
            raise ServiceError("awards.report.closed")
        if agreement.status not in SIGNED:
            raise ServiceError("awards.report.not_signed")
        if locked.status == ReportStatus.ACCEPTED:
            raise ServiceError("awards.report.already_accepted")
        previous = locked.file.name
        scanned_files.store(locked, uploaded_file, checked)
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.save()
        record(
            actor=by,
            action="awards.report.submitted",
            obj=agreement.application,
            data={**_audit(locked), "size": checked.size, "sha256": checked.sha256},
        )
        if previous:
            storage = locked.file.storage
            transaction.on_commit(lambda: storage.delete(previous))
        events.publish(ReportUploaded(report_id=locked.pk))
    return locked


def scan_report(*, report_id: int) -> str:
    return scanned_files.scan(Report, report_id, "awards.report.scan")


def accept_report(*, report: Report, by: User) -> Report:
    """Staff of the call (not on the file) accept a submitted report the antivirus found
    clean."""
    with transaction.atomic():
        locked = _lock(report)
        if not manages(by, locked.agreement):
            raise NotAllowed("awards.report.not_staff")
        if locked.status == ReportStatus.ACCEPTED:
            raise ServiceError("awards.report.already_accepted")
        if locked.status != ReportStatus.SUBMITTED:
            raise ServiceError("awards.report.not_submitted")
        if locked.scan_status != ScanStatus.CLEAN:
            raise ServiceError("awards.report.not_clean")
        locked.status = ReportStatus.ACCEPTED
        locked.accepted_at = timezone.now()
        locked.accepted_by = by
        locked.save(update_fields=["status", "accepted_at", "accepted_by"])
        record(
            actor=by,
            action="awards.report.accepted",
            obj=locked.agreement.application,
            data={**_audit(locked), "sha256": locked.sha256},
        )
    return locked


def change_due_date(*, report: Report, by: User, due_on: date, reason: str) -> Report:
    """Staff of the call (not on the file) move a report's due date, with the reason (an
    extension granted, a schedule agreed). Not for a report already accepted nor once the
    project is closed; never to a past day. The reminders sent for the old date are forgotten,
    so that the new date gets its own "due soon" and "overdue" reminders."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("awards.report.reason_missing", field="reason")
    with transaction.atomic():
        locked = _lock(report)
        agreement = locked.agreement
        if not manages(by, agreement):
            raise NotAllowed("awards.report.not_staff")
        if agreement.status == AgreementStatus.CLOSED:
            raise ServiceError("awards.report.closed")
        if locked.status == ReportStatus.ACCEPTED:
            raise ServiceError("awards.report.already_accepted")
        if due_on < timezone.localdate():
            raise Invalid("awards.report.due_in_past", field="due_on")
        if due_on == locked.due_on:
            raise Invalid("awards.report.due_unchanged", field="due_on")
        before = locked.due_on
        locked.due_on = due_on
        locked.save(update_fields=["due_on"])
        forgotten, _by_model = ReportReminder.objects.filter(report=locked).delete()
        record(
            actor=by,
            action="awards.report.due_changed",
            obj=agreement.application,
            reason=reason,
            data={**_audit(locked), "before": before.isoformat(), "reminders_reset": forgotten},
        )
    return locked


# --- close, recover -----------------------------------------------------------------------------


def paid_total(agreement: Agreement) -> Decimal:
    total = PaymentRequest.objects.filter(
        tranche__agreement=agreement, status=PaymentStatus.PAID
    ).aggregate(total=Sum("paid_amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def _recovery(agreement: Agreement, by: User, amount: Decimal, reason: str) -> Recovery:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("awards.report.reason_missing", field="recovery_reason")
    amount = Decimal(amount).quantize(Decimal("0.01"))
    paid = paid_total(agreement)
    recovered = Decimal(
        Recovery.objects.filter(agreement=agreement).aggregate(total=Sum("amount"))["total"] or 0
    )
    if amount <= 0 or amount + recovered > paid:
        raise Invalid(
            "awards.report.recovery_invalid", {"paid": str(paid - recovered)}, field="recovery"
        )
    recovery = Recovery.objects.create(
        agreement=agreement, amount=amount, reason=reason, recorded_by=by
    )
    record(
        actor=by,
        action="awards.recovery.recorded",
        obj=agreement.application,
        reason=reason,
        data={"agreement": agreement.pk, "recovery": recovery.pk, "amount": str(amount)},
    )
    return recovery


def close_agreement(
    *,
    agreement: Agreement,
    by: User,
    recovery: Decimal | None = None,
    recovery_reason: str = "",
) -> Agreement:
    """Close a project whose final report is accepted and whose tranches are all paid
    (staff of the call): the agreement is ``closed``, the application too (transition
    ``close``); an unspent amount to pay back is recorded with its reason."""
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("application__call")
            .get(pk=agreement.pk)
        )
        if not manages(by, locked):
            raise NotAllowed("awards.report.not_staff")
        if locked.status == AgreementStatus.CLOSED:
            raise ServiceError("awards.report.closed")
        final = Report.objects.filter(agreement=locked, kind=ReportKind.FINAL).first()
        if final is None or final.status != ReportStatus.ACCEPTED:
            raise ServiceError("awards.report.final_not_accepted")
        if Tranche.objects.filter(agreement=locked).exclude(status__in=SETTLED).exists():
            raise ServiceError("awards.report.final_unpaid")
        application = locked.application
        if application.state != AppState.IN_PAYMENT:
            raise ServiceError("awards.report.not_in_payment")
        recorded = None
        if recovery:
            recorded = _recovery(locked, by, Decimal(recovery), recovery_reason)
        locked.status = AgreementStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        transition_application(
            application=application,
            code="close",
            service="close_agreement",
            by=by,
            data={"agreement": locked.pk, "paid": str(paid_total(locked))},
        )
        record(
            actor=by,
            action="awards.agreement.closed",
            obj=application,
            data={
                "agreement": locked.pk,
                "amount": str(locked.amount),
                "paid": str(paid_total(locked)),
                "recovery": str(recorded.amount) if recorded else None,
            },
        )
    return locked


def record_recovery(*, agreement: Agreement, by: User, amount: Decimal, reason: str) -> Recovery:
    """An unspent amount the beneficiary pays back (staff of the call), with its reason; never
    more than what was paid, all recoveries together."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not manages(by, locked):
            raise NotAllowed("awards.report.not_staff")
        if locked.status not in (*SIGNED, AgreementStatus.CLOSED):
            raise ServiceError("awards.report.not_signed")
        return _recovery(locked, by, Decimal(amount), reason)


# --- reminders ----------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What a run sent: e-mails per kind, and the reports they named."""

    emails: Counter[str] = field(default_factory=Counter)
    reports: int = 0


def _recipients(agreement: Agreement) -> list[User]:
    application = agreement.application
    members = [
        m.user
        for m in TeamMember.objects.filter(
            application=application, accepted_at__isnull=False, user__isnull=False
        ).select_related("user")
    ]
    people = {u.pk: u for u in [application.lead, *members] if u is not None and u.email}
    return sorted(people.values(), key=lambda u: u.pk)


def _language(user: User) -> str:
    offered = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in offered else settings.LANGUAGE_CODE


def _send(report: Report, kind: str, people: list[User]) -> None:
    application = report.agreement.application
    for person in people:
        with translation.override(_language(person)):
            context = {
                "report": report,
                "kind": kind,
                "application": application,
                "platform": settings.FILIERE_PLATFORM_NAME,
                "url": settings.FILIERE_SITE_URL
                + reverse("awards:my_reports", args=[report.agreement_id]),
            }
            subject = render_to_string("awards/email/report_reminder_subject.txt", context)
            body = render_to_string("awards/email/report_reminder.txt", context)
        send_mail(" ".join(subject.split()), body, None, [person.email])


def _kind_due(report: Report, today: date) -> str | None:
    if today > report.due_on:
        return ReportReminderKind.OVERDUE if today - report.due_on <= OVERDUE_WITHIN else None
    if report.due_on - today <= DUE_SOON:
        return ReportReminderKind.DUE
    return None


def send_report_reminders(*, now: datetime | None = None) -> ReminderRun:
    """Schedule the reports of signed agreements, then send the reminders due at ``now``:
    "due soon" within ``DUE_SOON`` of the date, "overdue" after it — once each per report."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = ReminderRun()
    for agreement in Agreement.objects.filter(status__in=SIGNED, signed_at__isnull=False):
        schedule_reports(agreement=agreement)
    reports = (
        Report.objects.filter(status=ReportStatus.DUE, agreement__status__in=SIGNED)
        .select_related("agreement__application__lead")
        .order_by("due_on", "pk")
    )
    for report in reports:
        kind = _kind_due(report, today)
        if kind is None:
            continue
        people = _recipients(report.agreement)
        try:
            with transaction.atomic():
                ReportReminder.objects.create(
                    report=report, kind=kind, sent_to=[p.email for p in people], sent_at=now
                )
                Report.objects.filter(pk=report.pk).update(reminded_at=now)
                record(
                    actor=None,
                    action="awards.report.reminded",
                    obj=report.agreement.application,
                    data={**_audit(report), "reminder": kind, "recipients": len(people)},
                )
        except IntegrityError:
            continue  # this reminder already went out
        _send(report, kind, people)
        run.emails[kind] += len(people)
        run.reports += 1
    return run


# --- declared aids (de minimis) -----------------------------------------------------------------


def declare_aid(
    *, application: Application, by: User, granter: str, granted_on: date, amount: Decimal
) -> DeclaredAid:
    """The team of an application declares an aid its company received elsewhere; the
    committee sees it in the de minimis total."""
    granter = (granter or "").strip()
    if not is_member(by, application):
        raise NotAllowed("awards.aid.not_member")
    if not granter:
        raise Invalid("awards.aid.granter_missing", field="granter")
    if amount is None or Decimal(amount) <= 0:
        raise Invalid("awards.aid.amount_not_positive", field="amount")
    if granted_on > timezone.localdate():
        raise Invalid("awards.aid.date_invalid", field="granted_on")
    with transaction.atomic():
        aid = DeclaredAid.objects.create(
            organisation=application.organisation,
            granter=granter[:200],
            granted_on=granted_on,
            amount=Decimal(amount),
            declared_by=by,
        )
        record(
            actor=by,
            action="awards.aid.declared",
            obj=application,
            data={
                "aid": aid.pk,
                "organisation": application.organisation_id,
                "granter": aid.granter,
                "granted_on": granted_on.isoformat(),
                "amount": str(aid.amount),
            },
        )
    return aid
