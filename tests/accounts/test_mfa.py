"""Experts, staff, committee members and administrators must use a second factor; others may."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.accounts.services import grant_role

from .factories import PASSWORD, UserFactory, activate_totp, sign_in, totp_code, user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.STAFF, Role.COMMITTEE, Role.ADMIN, Role.EXPERT])
@pytest.mark.parametrize("page", ["ui:home", "accounts:my_account", "community:directory"])
def test_role_requiring_mfa_without_totp_is_sent_to_activation_from_any_page(client, role, page):
    user = user_with_role(role, with_totp=False)
    sign_in(client, user)

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_session_without_second_factor_gets_the_api_error_not_a_redirect(client):
    # The same rule as for an API token of that account: a program cannot follow the redirect.
    sign_in(client, user_with_role(Role.EXPERT, with_totp=False))

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"


def test_admin_without_totp_cannot_reach_the_admin(client):
    sign_in(client, user_with_role(Role.ADMIN, with_totp=False))

    response = client.get(reverse("admin:index"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_committee_member_for_one_call_only_must_also_use_mfa(client):
    user = UserFactory()
    grant_role(user=user, role=Role.COMMITTEE, by=None, scope_type="call", scope_id=7)
    sign_in(client, user)

    response = client.get(reverse("ui:home"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_expert_for_one_call_only_must_also_use_mfa(client):
    # Experts read confidential application files: a scoped grant is enough to require it.
    user = UserFactory()
    grant_role(user=user, role=Role.EXPERT, by=None, scope_type="call", scope_id=7)
    sign_in(client, user)

    response = client.get(reverse("community:directory"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_can_activate_totp_with_a_code_from_their_app_and_then_use_the_site(client):
    user = user_with_role(Role.STAFF, with_totp=False)
    sign_in(client, user, reauthenticate=True)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]  # what the QR code and the text field show

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("accounts:my_account")).status_code == 200


def test_wrong_activation_code_is_refused_with_a_message(client):
    sign_in(client, user_with_role(Role.STAFF, with_totp=False), reauthenticate=True)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert client.get(reverse("ui:home"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [Role.STAFF, Role.COMMITTEE, Role.ADMIN, Role.EXPERT])
def test_role_requiring_mfa_with_totp_uses_the_site(client, role):
    user = user_with_role(role, with_totp=False)
    secret = activate_totp(user)
    sign_in(client, user, secret=secret)

    assert client.get(reverse("ui:home")).status_code == 200
    assert client.get(reverse("accounts:my_account")).status_code == 200


def test_sign_in_with_totp_asks_for_the_code_before_letting_in(client):
    user = user_with_role(Role.STAFF, with_totp=False)
    secret = activate_totp(user)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:my_account")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    assert client.get(reverse("accounts:my_account")).status_code == 200


def test_a_used_code_cannot_be_replayed(client):
    user = user_with_role(Role.STAFF, with_totp=False)
    code = totp_code(activate_totp(user))
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_other_roles_are_not_asked_for_a_second_factor(client, role):
    user = user_with_role(role, preferred_language="en")

    response = sign_in(client, user)

    assert response["Location"] == reverse("ui:home")
    assert client.get(reverse("ui:home")).status_code == 200
    assert client.get(reverse("accounts:my_account")).status_code == 200
