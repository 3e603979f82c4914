"""API tokens: second factor, expiry, read-only scope, revocation on a password change or a grant,
and 401 (not 403) for a caller with no credentials at all."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from filiere.accounts.models import ApiToken, Role
from filiere.accounts.services import create_api_token, grant_role
from filiere.audit.models import AuditEntry
from tests.accounts.factories import PASSWORD, UserFactory, activate_totp, sign_in, user_with_role

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}


# --- Second factor ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STAFF, Role.COMMITTEE, Role.ADMIN, Role.EXPERT])
def test_token_of_a_role_requiring_mfa_is_refused_until_a_second_factor_is_active(client, role):
    user = user_with_role(role, with_totp=False)
    _token, key = create_api_token(user=user, name="script")

    refused = client.get(ME, **bearer(key))

    assert refused.status_code == 401
    assert refused.json()["code"] == "second_factor_required"
    assert "second factor" in refused.json()["message"]

    activate_totp(user)
    assert client.get(ME, **bearer(key)).status_code == 200


def test_token_of_a_scoped_expert_without_second_factor_is_refused(client):
    user = UserFactory()
    grant_role(user=user, role=Role.EXPERT, by=None, scope_type="call", scope_id=4)
    _token, key = create_api_token(user=user, name="script")

    response = client.get(ME, **bearer(key))

    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"


def test_token_of_a_member_works_without_a_second_factor(client):
    _token, key = create_api_token(user=UserFactory(), name="script")

    assert client.get(ME, **bearer(key)).status_code == 200


# --- Revocation ---------------------------------------------------------------------------------


def test_granting_a_role_that_requires_mfa_revokes_the_tokens_with_an_audit_entry(client):
    admin = user_with_role(Role.ADMIN)
    user = UserFactory()
    activate_totp(user)
    token, key = create_api_token(user=user, name="script")
    assert client.get(ME, **bearer(key)).status_code == 200

    grant_role(user=user, role=Role.STAFF, by=admin, reason="joins the team")

    assert client.get(ME, **bearer(key)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.get(action="api_token.revoked", object_id=str(token.pk))
    assert entry.actor == admin
    assert "second factor" in entry.reason


def test_granting_a_role_without_mfa_keeps_the_tokens(client):
    user = UserFactory()
    _token, key = create_api_token(user=user, name="script")

    grant_role(user=user, role=Role.APPLICANT, by=None)

    assert client.get(ME, **bearer(key)).status_code == 200


def test_changing_the_password_revokes_the_tokens(client):
    user = UserFactory()
    token, key = create_api_token(user=user, name="script")
    sign_in(client, user)

    with translation.override("en"):
        changed = client.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "a-new-long-passphrase",
                "password2": "a-new-long-passphrase",
            },
        )

    assert changed.status_code == 302
    assert Client().get(ME, **bearer(key)).status_code == 401
    entry = AuditEntry.objects.get(action="api_token.revoked", object_id=str(token.pk))
    assert entry.reason == "password changed"
    assert entry.actor == user


# --- Expiry -------------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_lifetime(client, settings):
    settings.FILIERE_API_TOKEN_LIFETIME_DAYS = 30
    before = timezone.now()
    token, key = create_api_token(user=UserFactory(), name="script")

    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    assert client.get(ME, **bearer(key)).status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get(ME, **bearer(key))

    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"


def test_default_lifetime_is_90_days():
    token, _key = create_api_token(user=UserFactory(), name="script")

    lifetime = token.expires_at - token.created_at
    assert timedelta(days=90) - timedelta(minutes=1) < lifetime <= timedelta(days=90)


def test_my_account_page_shows_when_each_token_expires_and_its_access(client):
    user = UserFactory()
    token, _key = create_api_token(user=user, name="export", read_only=True)
    sign_in(client, user)

    with translation.override("en"):
        page = client.get(reverse("accounts:my_account")).content.decode()

        shown = formats.date_format(timezone.localtime(token.expires_at), "SHORT_DATE_FORMAT")
    assert "Expires" in page
    assert shown in page
    assert "Read only" in page


# --- Read-only scope ----------------------------------------------------------------------------


def test_read_only_token_reads_but_gets_403_on_unsafe_methods(client):
    user = UserFactory()
    token, key = create_api_token(user=user, name="export", read_only=True)

    assert client.get(f"{ME}/tokens", **bearer(key)).status_code == 200
    refused = client.delete(f"{ME}/tokens/{token.pk}", **bearer(key))

    assert refused.status_code == 403
    assert refused.json()["code"] == "read_only_token"
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_read_write_token_may_change_things(client):
    token, key = create_api_token(user=UserFactory(), name="sync", read_only=False)

    assert client.delete(f"{ME}/tokens/{token.pk}", **bearer(key)).status_code == 204


def test_token_form_offers_read_only_or_read_and_write(client):
    user = UserFactory()
    sign_in(client, user)

    with translation.override("en"):
        page = client.get(reverse("accounts:my_account")).content.decode()
        client.post(reverse("accounts:my_account"), {"name": "ro", "access": "read_only"})
        client.post(reverse("accounts:my_account"), {"name": "rw", "access": "read_write"})

    assert 'value="read_only"' in page and 'value="read_write"' in page
    assert dict(ApiToken.objects.values_list("name", "read_only")) == {"ro": True, "rw": False}


# --- No credentials at all: 401, whatever the method --------------------------------------------


def _unsafe_operations() -> list[tuple[str, str]]:
    from filiere.api.router import api

    return [
        (method, path)
        for path, item in api.get_openapi_schema()["paths"].items()
        for method in item
        if method in {"post", "put", "patch", "delete"}
    ]


def test_every_unsafe_operation_answers_401_to_a_caller_without_credentials():
    # ninja's session check used to refuse them with 403 (CSRF) before seeing there was no session.
    anonymous = Client(enforce_csrf_checks=True)
    operations = _unsafe_operations()
    assert ("delete", "/api/v1/me/tokens/{token_id}") in operations

    answers = {
        (method, path): getattr(anonymous, method)(
            re.sub(r"\{\w+\}", "1", path), HTTP_ACCEPT_LANGUAGE="en"
        )
        for method, path in operations
    }

    assert {key: r.status_code for key, r in answers.items()} == dict.fromkeys(answers, 401)
    assert {r.json()["code"] for r in answers.values()} == {"unauthorized"}


def test_unsafe_request_with_a_bad_token_gets_401():
    token, _key = create_api_token(user=UserFactory(), name="t")

    response = Client(enforce_csrf_checks=True).delete(
        f"{ME}/tokens/{token.pk}", **bearer("flr_not-a-real-key")
    )

    assert response.status_code == 401
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_signed_in_session_without_csrf_token_still_gets_403():
    user = UserFactory()
    token, _key = create_api_token(user=user, name="t")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    response = browser.delete(f"{ME}/tokens/{token.pk}")

    assert response.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
