"""The staff of the call move a report's due date with a reason (an extension granted): the
change is audited, the reminders follow the new date; never for an accepted report, a closed
project or a past day. Attackers (another team, a pending invitee, another call's staff, staff
on the team, the beneficiary, staff without a second factor) change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.awards import services_reports as services
from filiere.awards.models import AgreementStatus, Report, ReportReminder
from filiere.errors import Invalid, NotAllowed, ServiceError
from tests.accounts.factories import sign_in, user_with_role
from tests.awards.follow_up_factories import signed_case, submit
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory
from tests.review.factories import call_staff, open_call

pytestmark = pytest.mark.django_db


def _mid_term(case) -> Report:
    return Report.objects.get(agreement=case.agreement, kind="mid_term")


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def test_staff_move_a_due_date_with_a_reason_and_it_is_audited():
    case = signed_case()
    report = _mid_term(case)
    before = report.due_on
    later = before + timedelta(days=45)
    moved = services.change_due_date(
        report=report, by=case.staff, due_on=later, reason="Tournage décalé par la météo."
    )
    assert Report.objects.get(pk=report.pk).due_on == later == moved.due_on
    entry = AuditEntry.objects.get(action="awards.report.due_changed")
    assert entry.actor_id == case.staff.pk
    assert entry.reason == "Tournage décalé par la météo."
    assert entry.data["before"] == before.isoformat()
    assert entry.data["due_on"] == later.isoformat()


def test_the_reminders_follow_the_new_date():
    case = signed_case()
    report = _mid_term(case)
    services.send_report_reminders(now=_midnight(report.due_on) - timedelta(days=10))
    assert ReportReminder.objects.filter(report=report).count() == 1
    sent = len(mail.outbox)
    later = report.due_on + timedelta(days=60)
    services.change_due_date(report=report, by=case.staff, due_on=later, reason="Extension.")
    # Near the old date: nothing, the report is no longer due then.
    services.send_report_reminders(now=_midnight(report.due_on))
    assert len(mail.outbox) == sent
    # Near the new date: its own "due soon" reminder.
    services.send_report_reminders(now=_midnight(later) - timedelta(days=10))
    assert len(mail.outbox) == sent + 2  # the lead and the member
    assert AuditEntry.objects.get(action="awards.report.due_changed").data["reminders_reset"] == 1


@pytest.mark.parametrize(
    ("due", "reason", "code"),
    [
        (timedelta(days=30), "  ", "awards.report.reason_missing"),
        (None, "Extension.", "awards.report.due_in_past"),
        (timedelta(0), "Extension.", "awards.report.due_unchanged"),
    ],
)
def test_a_change_needs_a_reason_a_new_day_and_not_a_past_one(due, reason, code):
    case = signed_case()
    report = _mid_term(case)
    day = timezone.localdate() - timedelta(days=1) if due is None else report.due_on + due
    with pytest.raises(Invalid) as refused:
        services.change_due_date(report=report, by=case.staff, due_on=day, reason=reason)
    assert refused.value.code == code
    assert Report.objects.get(pk=report.pk).due_on == report.due_on
    assert not AuditEntry.objects.filter(action="awards.report.due_changed").exists()


def test_an_accepted_report_and_a_closed_project_keep_their_dates():
    case = signed_case()
    accepted = submit(case, "mid_term", accept=True)
    later = accepted.due_on + timedelta(days=30)
    with pytest.raises(ServiceError) as refused:
        services.change_due_date(report=accepted, by=case.staff, due_on=later, reason="x")
    assert refused.value.code == "awards.report.already_accepted"
    case.agreement.status = AgreementStatus.CLOSED
    case.agreement.save()
    final = Report.objects.get(agreement=case.agreement, kind="final")
    with pytest.raises(ServiceError) as refused:
        services.change_due_date(
            report=final, by=case.staff, due_on=final.due_on + timedelta(days=1), reason="x"
        )
    assert refused.value.code == "awards.report.closed"


def test_the_beneficiary_does_not_move_its_own_due_date():
    case = signed_case()
    report = _mid_term(case)
    with pytest.raises(NotAllowed):
        services.change_due_date(
            report=report, by=case.lead, due_on=report.due_on + timedelta(days=90), reason="x"
        )


# --- the page -----------------------------------------------------------------------------------


def _url(case, report) -> str:
    return reverse("awards:report_due", args=[case.agreement.pk, report.pk])


def _post(client, case, report, due_on, reason="Extension accordée."):
    prefix = f"due-{report.pk}"
    return client.post(_url(case, report), {f"{prefix}-due_on": due_on, f"{prefix}-reason": reason})


def test_the_staff_page_moves_a_due_date(client):
    case = signed_case()
    report = _mid_term(case)
    client.force_login(case.staff)
    page = client.get(reverse("awards:reports", args=[case.agreement.pk])).content.decode()
    assert "Change the due date of the Mid-term report" in page
    assert f'value="{report.due_on.isoformat()}"' in page  # the date picker reads ISO dates
    later = report.due_on + timedelta(days=30)
    response = _post(client, case, report, later.isoformat())
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).due_on == later
    page = client.get(response["Location"]).content.decode()
    assert "The report&#x27;s due date is changed." in page


def test_the_page_says_what_is_wrong_and_changes_nothing(client):
    case = signed_case()
    report = _mid_term(case)
    client.force_login(case.staff)
    prefix = f"id_due-{report.pk}"
    for due_on, reason, message in (
        # Django's own words (French here): the field is marked in error.
        ((report.due_on + timedelta(days=3)).isoformat(), "", f'id="{prefix}-reason_error"'),
        ("not a date", "x", f'id="{prefix}-due_on_error"'),
        ("2001-01-01", "x", "The new due date cannot be in the past."),
        (report.due_on.isoformat(), "x", "This is already the report&#x27;s due date."),
    ):
        response = _post(client, case, report, due_on, reason)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Report.objects.get(pk=report.pk).due_on == report.due_on


def test_no_form_for_an_accepted_report(client):
    case = signed_case()
    submit(case, "mid_term", accept=True)
    client.force_login(case.staff)
    page = client.get(reverse("awards:reports", args=[case.agreement.pk])).content.decode()
    assert "Change the due date of the Mid-term report" not in page
    assert "Change the due date of the Final report" in page


def test_attackers_change_nothing(client):
    case, other = signed_case(), signed_case()
    report = _mid_term(case)
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    insider = call_staff(case.agreement.application.call)
    add_member(case.agreement.application, insider)
    later = (report.due_on + timedelta(days=30)).isoformat()
    for user in (
        other.lead,
        other.member,
        invitee,
        call_staff(open_call()),
        insider,
        case.lead,
        case.member,
    ):
        client.force_login(user)
        assert _post(client, case, report, later).status_code in (403, 404), user
    client.logout()
    sign_in(client, user_with_role("staff", with_totp=False))
    response = _post(client, case, report, later)
    assert response["Location"] == reverse("mfa_activate_totp")
    assert Report.objects.get(pk=report.pk).due_on == report.due_on
    assert not AuditEntry.objects.filter(action="awards.report.due_changed").exists()
