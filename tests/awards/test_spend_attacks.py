"""Attackers of the spend ledger: another team's member, a pending invitee, the staff of
another call (and the call's own staff, who read but never declare), a staff member without
a second factor, and anyone once the project is closed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from filiere.awards.models import AgreementStatus, SpendLine
from tests.accounts.factories import sign_in, user_with_role
from tests.awards.follow_up_factories import SIRET, invoice, signed_case
from tests.awards.pages import bearer
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory
from tests.review.factories import call_staff, open_call

pytestmark = pytest.mark.django_db

FORM = {"supplier_name": "X", "supplier_id": SIRET, "amount": "999", "category": "crew"}


def _locked_out(client, user, case, line):
    lines = list(SpendLine.objects.values_list("pk", "amount"))
    client.force_login(user)
    url = reverse("awards:my_spend", args=[case.agreement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, FORM).status_code == 404
    withdraw = reverse("awards:spend_withdraw", args=[case.agreement.pk, line.pk])
    assert client.post(withdraw).status_code == 404
    assert client.get(reverse("awards:spend", args=[case.agreement.pk])).status_code in (403, 404)
    api = f"/api/v1/agreements/{case.agreement.pk}/spend"
    assert client.get(api, **bearer(user)).status_code == 404
    assert list(SpendLine.objects.values_list("pk", "amount")) == lines


def test_another_team_a_pending_invitee_and_another_calls_staff_get_nothing(client):
    case, other = signed_case(), signed_case()
    line = invoice(case, Decimal("100"))
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    for user in (other.lead, other.member, invitee, call_staff(open_call())):
        _locked_out(client, user, case, line)


def test_the_calls_staff_read_the_ledger_but_never_declare(client):
    case = signed_case()
    client.force_login(case.staff)
    assert client.get(reverse("awards:spend", args=[case.agreement.pk])).status_code == 200
    assert (
        client.post(reverse("awards:my_spend", args=[case.agreement.pk]), FORM).status_code == 404
    )
    assert not SpendLine.objects.exists()


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    case = signed_case()
    sign_in(client, user_with_role("staff", with_totp=False))
    response = client.get(reverse("awards:spend", args=[case.agreement.pk]))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_nothing_is_declared_or_withdrawn_after_closure(client):
    case = signed_case()
    line = invoice(case, Decimal("100"))
    case.agreement.status = AgreementStatus.CLOSED
    case.agreement.save()
    client.force_login(case.lead)
    url = reverse("awards:my_spend", args=[case.agreement.pk])
    assert client.post(url, FORM).status_code == 400
    client.post(reverse("awards:spend_withdraw", args=[case.agreement.pk, line.pk]))
    assert list(SpendLine.objects.values_list("pk", flat=True)) == [line.pk]
    assert 'name="supplier_name"' not in client.get(url).content.decode()
