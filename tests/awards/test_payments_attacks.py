"""Attackers of the payments, by page and API: another team's member, a pending invitee, the
staff of another call, a staff member on the team, one staff member approving twice, the
requester approving, a staff member without a second factor, a hostile proof, and anyone once
the project is closed. Each learns nothing (404) or is refused, and nothing changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.awards.models import AgreementStatus, PaymentApproval, PaymentRequest
from tests.accounts.factories import sign_in, user_with_role
from tests.awards.follow_up_factories import ask, proof, signed_case, tranche
from tests.awards.pages import bearer
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import EICAR, upload
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory
from tests.review.factories import call_staff, open_call

pytestmark = pytest.mark.django_db

clamd_server = _clamd.clamd_server
clamd = _clamd.clamd


def _state(case):
    return (
        list(PaymentRequest.objects.order_by("pk").values_list("pk", "status")),
        PaymentApproval.objects.count(),
        list(case.agreement.tranches.order_by("position").values_list("status", flat=True)),
    )


def _locked_out(client, user, case, request):
    """``user`` reads nothing of the payments and changes nothing, by page or API."""
    before = _state(case)
    agreement = case.agreement
    first = tranche(agreement, 1)
    client.force_login(user)
    assert client.get(reverse("awards:my_payments", args=[agreement.pk])).status_code == 404
    response = client.post(
        reverse("awards:payment_request", args=[agreement.pk, first.pk]),
        {f"tranche-{first.pk}-proofs": [proof()]},
    )
    assert response.status_code == 404
    proof_row = request.proofs.get()
    assert (
        client.get(reverse("awards:proof_file", args=[agreement.pk, proof_row.pk])).status_code
        == 404
    )
    for name in ("payment_approve", "payment_refuse", "payment_paid"):
        url = reverse(f"awards:{name}", args=[agreement.pk, request.pk])
        assert client.post(url, {"reason": "x"}).status_code in (403, 404), name
    assert client.get(reverse("awards:payments", args=[agreement.pk])).status_code in (403, 404)
    for path in ("tranches", "payment-requests", "spend"):
        url = f"/api/v1/agreements/{agreement.pk}/{path}"
        assert client.get(url, **bearer(user)).status_code == 404, path
    assert _state(case) == before


def test_a_member_of_another_team_gets_nothing(client):
    case, other = signed_case(), signed_case()
    request = ask(case, 0)
    _locked_out(client, other.lead, case, request)
    _locked_out(client, other.member, case, request)


def test_a_pending_invitee_is_not_on_the_team_yet(client):
    case = signed_case()
    request = ask(case, 0)
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    _locked_out(client, invitee, case, request)


def test_the_staff_of_another_call_decide_nothing(client):
    case = signed_case()
    request = ask(case, 0)
    _locked_out(client, call_staff(open_call()), case, request)
    text = client.get(reverse("awards:payments_pending")).content.decode()
    assert case.agreement.application.reference not in text


def test_staff_on_the_team_do_not_approve_their_own_payment(client):
    case = signed_case()
    request = ask(case, 0)
    insider = call_staff(case.agreement.application.call)
    add_member(case.agreement.application, insider)
    client.force_login(insider)
    url = reverse("awards:payment_approve", args=[case.agreement.pk, request.pk])
    assert client.post(url).status_code == 404
    assert not PaymentApproval.objects.exists()


def test_one_staff_member_cannot_give_both_approvals(client):
    case = signed_case()
    request = ask(case, 0)
    client.force_login(case.staff)
    url = reverse("awards:payment_approve", args=[case.agreement.pk, request.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert "already approved" in response.content.decode()
    assert PaymentApproval.objects.filter(request=request).count() == 1
    assert PaymentRequest.objects.get(pk=request.pk).status == "approved_once"
    paid_url = reverse("awards:payment_paid", args=[case.agreement.pk, request.pk])
    client.post(paid_url, {f"paid-{request.pk}-paid_on": timezone.localdate().isoformat()})
    assert PaymentRequest.objects.get(pk=request.pk).status == "approved_once"


def test_the_requester_never_approves_even_with_a_staff_grant_on_the_call():
    from filiere.accounts.models import Role
    from filiere.accounts.services import grant_role
    from filiere.awards.services_payments import approve_payment
    from filiere.errors import NotAllowed

    case = signed_case()
    request = ask(case, 0)
    # The lead holds a staff grant on the call: still on the team, still the requester.
    grant_role(user=case.lead, role=Role.STAFF, scope=case.agreement.application.call, by=None)
    with pytest.raises(NotAllowed) as error:
        approve_payment(request=request, by=case.lead)
    assert error.value.code == "awards.payment.not_staff"
    assert not PaymentApproval.objects.exists()


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    case = signed_case()
    request = ask(case, 0)
    user = user_with_role("staff", with_totp=False)
    sign_in(client, user)
    for url in (
        reverse("awards:payments", args=[case.agreement.pk]),
        reverse("awards:ledger"),
        reverse("awards:ledger_export", args=["xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    response = client.post(reverse("awards:payment_approve", args=[case.agreement.pk, request.pk]))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not PaymentApproval.objects.exists()
    assert client.get(f"/api/v1/agreements/{case.agreement.pk}/tranches").status_code == 401


def test_a_hostile_proof_is_refused_and_nothing_is_asked_for(client):
    case = signed_case()
    first = tranche(case.agreement, 0)
    client.force_login(case.lead)
    url = reverse("awards:payment_request", args=[case.agreement.pk, first.pk])
    for name, data in (
        ("invoice.pdf", b"MZ\x90\x00 an executable"),
        ("invoice.html", b"<script>alert(1)</script>"),
        ("empty.pdf", b""),
    ):
        response = client.post(url, {f"tranche-{first.pk}-proofs": [upload(name, data)]})
        assert response.status_code == 400, name
    assert not PaymentRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="awards.payment.requested").exists()


def test_nothing_is_asked_for_once_the_project_is_closed(client):
    case = signed_case()
    case.agreement.status = AgreementStatus.CLOSED
    case.agreement.save()
    first = tranche(case.agreement, 0)
    client.force_login(case.lead)
    response = client.post(
        reverse("awards:payment_request", args=[case.agreement.pk, first.pk]),
        {f"tranche-{first.pk}-proofs": [proof()]},
    )
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not PaymentRequest.objects.exists()
    assert Decimal(case.agreement.amount) > 0


def test_an_infected_proof_is_never_served_nor_approved(
    client, clamd, django_capture_on_commit_callbacks
):
    case = signed_case()
    first = tranche(case.agreement, 0)
    client.force_login(case.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:payment_request", args=[case.agreement.pk, first.pk]),
            {
                f"tranche-{first.pk}-proofs": [
                    upload("rib.pdf", b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")
                ]
            },
        )
    assert response.status_code == 302
    request = PaymentRequest.objects.get(tranche=first)
    infected = request.proofs.get()
    assert infected.scan_status == "infected"
    assert AuditEntry.objects.filter(action="awards.payment.proof_scan_infected").exists()
    client.force_login(case.staff)
    url = reverse("awards:proof_file", args=[case.agreement.pk, infected.pk])
    assert client.get(url).status_code == 409
    client.post(reverse("awards:payment_approve", args=[case.agreement.pk, request.pk]))
    assert not PaymentApproval.objects.exists()
