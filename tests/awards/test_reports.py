"""Reports and the end of the follow-up: the reports due from the signature, their
submission (a checked file) and acceptance, the reminders (due soon and overdue, once each),
the closure (the application moves to ``closed``) once the final report is accepted and every
tranche paid, and the recovery of unspent amounts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.awards import services_reports as services
from filiere.awards.models import Recovery, Report, ReportReminder
from filiere.calls.models import Application
from filiere.errors import Invalid, NotAllowed, ServiceError
from tests.awards.follow_up_factories import invoice, pay, signed_case, submit
from tests.calls.apply_factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_the_reports_are_due_from_the_signature():
    case = signed_case()
    reports = services.schedule_reports(agreement=case.agreement)
    signed_on = timezone.localdate(case.agreement.signed_at)
    assert [r.kind for r in reports] == ["mid_term", "final"]
    assert reports[0].due_on.year == signed_on.year + 1
    assert reports[1].due_on.year == signed_on.year + 2
    assert services.schedule_reports(agreement=case.agreement) == reports  # once


def test_a_report_is_submitted_accepted_once_clean():
    case = signed_case()
    report = Report.objects.get(agreement=case.agreement, kind="mid_term")
    submitted = services.submit_report(
        report=report, by=case.member, uploaded_file=upload("mid.pdf", pdf_bytes("mid"))
    )
    assert submitted.status == "submitted" and submitted.scan_status == "pending"
    with pytest.raises(ServiceError) as error:
        services.accept_report(report=submitted, by=case.staff)
    assert error.value.code == "awards.report.not_clean"
    Report.objects.filter(pk=report.pk).update(scan_status="clean")
    with pytest.raises(NotAllowed):
        services.accept_report(report=submitted, by=case.lead)
    accepted = services.accept_report(report=submitted, by=case.staff)
    assert accepted.status == "accepted" and accepted.accepted_by == case.staff
    with pytest.raises(ServiceError):
        services.submit_report(
            report=accepted, by=case.lead, uploaded_file=upload("again.pdf", pdf_bytes())
        )
    assert AuditEntry.objects.filter(action="awards.report.accepted").count() == 1


def test_a_hostile_report_file_is_refused():
    case = signed_case()
    report = Report.objects.get(agreement=case.agreement, kind="final")
    with pytest.raises(Invalid):
        services.submit_report(
            report=report, by=case.lead, uploaded_file=upload("r.pdf", b"MZ\x90\x00 exe")
        )
    assert Report.objects.get(pk=report.pk).status == "due"


def _paid_and_reported(case):
    invoice(case, Decimal("40000"))  # the regional spend met: nothing reduced
    pay(case, 0)
    submit(case, "mid_term", accept=True)
    pay(case, 1)
    submit(case, "final")
    pay(case, 2)


def test_the_project_closes_once_the_final_report_is_accepted_and_everything_is_paid():
    case = signed_case(amount=Decimal("40000"))
    _paid_and_reported(case)
    with pytest.raises(ServiceError) as error:
        services.close_agreement(agreement=case.agreement, by=case.staff)
    assert error.value.code == "awards.report.final_not_accepted"
    services.accept_report(
        report=Report.objects.get(agreement=case.agreement, kind="final"), by=case.staff
    )
    closed = services.close_agreement(
        agreement=case.agreement,
        by=case.staff,
        recovery=Decimal("1500"),
        recovery_reason="Unspent post-production budget",
    )
    assert closed.status == "closed" and closed.closed_at is not None
    assert Application.objects.get(pk=case.agreement.application_id).state == "closed"
    recovery = Recovery.objects.get(agreement=case.agreement)
    assert recovery.amount == Decimal("1500") and recovery.recorded_by == case.staff
    entry = AuditEntry.objects.get(action="awards.agreement.closed")
    assert entry.data["paid"] == "40000.00" and entry.data["recovery"] == "1500.00"
    assert AuditEntry.objects.filter(action="calls.application.close").exists()
    with pytest.raises(ServiceError):
        services.close_agreement(agreement=case.agreement, by=case.staff)


def test_a_project_with_a_tranche_unpaid_does_not_close():
    case = signed_case()
    pay(case, 0)
    submit(case, "mid_term", accept=True)
    submit(case, "final", accept=True)
    with pytest.raises(ServiceError) as error:
        services.close_agreement(agreement=case.agreement, by=case.staff)
    assert error.value.code == "awards.report.final_unpaid"


def test_a_recovery_never_exceeds_what_was_paid():
    case = signed_case(amount=Decimal("40000"))
    pay(case, 0)  # 20 000 €
    with pytest.raises(Invalid):
        services.record_recovery(
            agreement=case.agreement, by=case.staff, amount=Decimal("20000.01"), reason="x"
        )
    with pytest.raises(Invalid):
        services.record_recovery(
            agreement=case.agreement, by=case.staff, amount=Decimal("10"), reason=" "
        )
    services.record_recovery(
        agreement=case.agreement, by=case.staff, amount=Decimal("15000"), reason="a"
    )
    with pytest.raises(Invalid):
        services.record_recovery(
            agreement=case.agreement, by=case.staff, amount=Decimal("5000.01"), reason="b"
        )
    with pytest.raises(NotAllowed):
        services.record_recovery(
            agreement=case.agreement, by=case.lead, amount=Decimal("1"), reason="c"
        )


def test_reminders_go_out_once_due_soon_and_once_overdue():
    case = signed_case()
    report = Report.objects.get(agreement=case.agreement, kind="mid_term")
    due = timezone.make_aware(
        timezone.datetime.combine(report.due_on, timezone.datetime.min.time())
    )
    services.send_report_reminders(now=due - timedelta(days=30))
    assert not mail.outbox
    run = services.send_report_reminders(now=due - timedelta(days=10))
    assert run.reports == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([case.lead.email, case.member.email])
    assert case.agreement.application.reference in mail.outbox[0].subject
    services.send_report_reminders(now=due - timedelta(days=5))
    assert len(mail.outbox) == 2  # once
    services.send_report_reminders(now=due + timedelta(days=2))
    assert len(mail.outbox) == 4  # overdue, once
    call_command("send_report_reminders")
    assert ReportReminder.objects.filter(report=report).count() == 2


def test_a_submitted_report_is_not_reminded():
    case = signed_case()
    report = submit(case, "mid_term")
    due = timezone.make_aware(
        timezone.datetime.combine(report.due_on, timezone.datetime.min.time())
    )
    services.send_report_reminders(now=due + timedelta(days=1))
    assert not ReportReminder.objects.filter(report=report).exists()


def test_the_pages_submit_accept_and_close(client):
    case = signed_case(amount=Decimal("40000"))
    pay(case, 0)
    mid = Report.objects.get(agreement=case.agreement, kind="mid_term")
    client.force_login(case.lead)
    page = client.get(reverse("awards:my_reports", args=[case.agreement.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("awards:report_submit", args=[case.agreement.pk, mid.pk]),
        {f"report-{mid.pk}-file": upload("mid.pdf", pdf_bytes("mid"))},
    )
    assert response.status_code == 302
    Report.objects.filter(pk=mid.pk).update(scan_status="clean")
    client.force_login(case.staff)
    assert (
        client.get(reverse("awards:report_file", args=[case.agreement.pk, mid.pk])).status_code
        == 200
    )
    response = client.post(reverse("awards:report_accept", args=[case.agreement.pk, mid.pk]))
    assert response.status_code == 302
    assert Report.objects.get(pk=mid.pk).status == "accepted"
    response = client.post(reverse("awards:close", args=[case.agreement.pk]), {})
    assert response.status_code == 400  # the final report is not accepted
    page = client.get(reverse("awards:reports", args=[case.agreement.pk])).content.decode()
    assert "mid.pdf" in page
