"""Attackers of the reports and the closure: another team's member, a pending invitee, the
staff of another call, a staff member on the team, a staff member without a second factor, a
hostile file, and the beneficiary once the project is closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.awards.models import AgreementStatus, Recovery, Report
from tests.accounts.factories import sign_in, user_with_role
from tests.awards.follow_up_factories import signed_case, submit
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import EICAR, pdf_bytes, upload
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory
from tests.review.factories import call_staff, open_call

pytestmark = pytest.mark.django_db

clamd_server = _clamd.clamd_server
clamd = _clamd.clamd


def _state(case):
    return (
        list(Report.objects.order_by("pk").values_list("status", "file")),
        Recovery.objects.count(),
        case.agreement.__class__.objects.get(pk=case.agreement.pk).status,
    )


def _locked_out(client, user, case):
    before = _state(case)
    mid = Report.objects.get(agreement=case.agreement, kind="mid_term")
    pk = case.agreement.pk
    client.force_login(user)
    assert client.get(reverse("awards:my_reports", args=[pk])).status_code == 404
    response = client.post(
        reverse("awards:report_submit", args=[pk, mid.pk]),
        {f"report-{mid.pk}-file": upload("r.pdf", pdf_bytes())},
    )
    assert response.status_code == 404
    assert client.get(reverse("awards:report_file", args=[pk, mid.pk])).status_code == 404
    for name, args, data in (
        ("report_accept", [pk, mid.pk], {}),
        ("close", [pk], {}),
        ("recovery", [pk], {"amount": "1", "reason": "x"}),
    ):
        assert client.post(reverse(f"awards:{name}", args=args), data).status_code in (403, 404)
    assert client.get(reverse("awards:reports", args=[pk])).status_code in (403, 404)
    assert _state(case) == before


def test_outsiders_read_nothing_and_change_nothing(client):
    case, other = signed_case(), signed_case()
    submit(case, "mid_term")
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    for user in (other.lead, other.member, invitee, call_staff(open_call())):
        _locked_out(client, user, case)


def test_staff_on_the_team_do_not_accept_their_own_report(client):
    case = signed_case()
    report = submit(case, "mid_term")
    insider = call_staff(case.agreement.application.call)
    add_member(case.agreement.application, insider)
    client.force_login(insider)
    response = client.post(reverse("awards:report_accept", args=[case.agreement.pk, report.pk]))
    assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    case = signed_case()
    sign_in(client, user_with_role("staff", with_totp=False))
    response = client.post(reverse("awards:close", args=[case.agreement.pk]))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert _state(case)[2] == "signed"


def test_a_hostile_report_is_refused(client):
    case = signed_case()
    mid = Report.objects.get(agreement=case.agreement, kind="mid_term")
    client.force_login(case.lead)
    url = reverse("awards:report_submit", args=[case.agreement.pk, mid.pk])
    for name, data in (("r.pdf", b"MZ\x90\x00 exe"), ("r.svg", b"<svg onload=alert(1)>")):
        assert client.post(url, {f"report-{mid.pk}-file": upload(name, data)}).status_code == 400
    assert Report.objects.get(pk=mid.pk).status == "due"


def test_an_infected_report_is_never_served_nor_accepted(
    client, clamd, django_capture_on_commit_callbacks
):
    case = signed_case()
    mid = Report.objects.get(agreement=case.agreement, kind="mid_term")
    client.force_login(case.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:report_submit", args=[case.agreement.pk, mid.pk]),
            {f"report-{mid.pk}-file": upload("r.pdf", b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")},
        )
    assert response.status_code == 302
    mid.refresh_from_db()
    assert mid.status == "submitted" and mid.scan_status == "infected"
    assert AuditEntry.objects.filter(action="awards.report.scan_infected").exists()
    client.force_login(case.staff)
    response = client.get(reverse("awards:report_file", args=[case.agreement.pk, mid.pk]))
    assert response.status_code == 409
    client.post(reverse("awards:report_accept", args=[case.agreement.pk, mid.pk]))
    assert Report.objects.get(pk=mid.pk).status == "submitted"


def test_nothing_is_submitted_after_closure(client):
    case = signed_case()
    case.agreement.status = AgreementStatus.CLOSED
    case.agreement.save()
    mid = Report.objects.get(agreement=case.agreement, kind="mid_term")
    client.force_login(case.lead)
    response = client.post(
        reverse("awards:report_submit", args=[case.agreement.pk, mid.pk]),
        {f"report-{mid.pk}-file": upload("r.pdf", pdf_bytes())},
    )
    assert response.status_code in (400, 404)
    assert Report.objects.get(pk=mid.pk).status == "due"
