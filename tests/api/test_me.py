"""API authentication: personal tokens for clients, the session (with CSRF) for the browser."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from filiere.accounts.models import ApiToken, Role
from filiere.accounts.services import create_api_token, grant_role
from tests.accounts.factories import UserFactory, activate_totp, sign_in

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_token_created_on_my_account_page_works_until_revoked(client):
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    sign_in(client, user)
    with translation.override("en"):
        page = client.post(
            reverse("accounts:my_account"), {"name": "export script", "access": "read_write"}
        )
    (key,) = re.findall(r'<code class="token">(flr_[^<]+)</code>', page.content.decode())
    api_client = Client()

    used = api_client.get(ME, **bearer(key))

    assert used.status_code == 200
    assert used.json()["email"] == user.email
    assert used.json()["name"] == "Ada Lovelace"
    token = ApiToken.objects.get(user=user)
    assert token.key_hash != key and key not in token.key_hash  # only the hash is stored
    assert token.last_used_at is not None

    with translation.override("en"):
        revoked = client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert revoked.status_code == 302

    refused = api_client.get(ME, **bearer(key))
    assert refused.status_code == 401


def test_me_lists_the_roles_with_their_scope(client):
    user = UserFactory()
    grant_role(user=user, role=Role.EXPERT, by=None, scope_type="call", scope_id=12)
    grant_role(user=user, role=Role.APPLICANT, by=None)
    activate_totp(user)  # experts need a second factor for their tokens to work
    _token, key = create_api_token(user=user, name="t")

    roles = client.get(ME, HTTP_ACCEPT_LANGUAGE="en", **bearer(key)).json()["roles"]

    assert roles == [
        {"role": "applicant", "label": "Applicant", "scope_type": "", "scope_id": None},
        {"role": "expert", "label": "Expert", "scope_type": "call", "scope_id": 12},
    ]


@pytest.mark.parametrize(
    "header", ["Bearer flr_not-a-real-key", "Bearer ", "Basic dXNlcjpwYXNz", "flr_no-scheme"]
)
def test_anonymous_or_bad_credentials_get_401(client, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert client.get(ME).status_code == 401


def test_token_of_a_deactivated_account_is_refused(client):
    user = UserFactory()
    _token, key = create_api_token(user=user, name="t")
    user.is_active = False
    user.save()

    assert client.get(ME, **bearer(key)).status_code == 401


def test_signed_in_browser_uses_its_session(client):
    user = UserFactory()
    sign_in(client, user)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_session_needs_the_csrf_token_for_unsafe_methods():
    user = UserFactory()
    token, _key = create_api_token(user=user, name="t")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    with translation.override("en"):
        browser.get(reverse("accounts:my_account"))  # sets the CSRF cookie, as a page view does

    forged = browser.delete(f"{ME}/tokens/{token.pk}")
    assert forged.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None

    genuine = browser.delete(
        f"{ME}/tokens/{token.pk}", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
    )
    assert genuine.status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_token_clients_need_no_csrf_token():
    user = UserFactory()
    token, key = create_api_token(user=user, name="t")

    response = Client(enforce_csrf_checks=True).delete(f"{ME}/tokens/{token.pk}", **bearer(key))

    assert response.status_code == 204


def test_nobody_can_revoke_someone_elses_token(client):
    owner, other = UserFactory(), UserFactory()
    token, _ = create_api_token(user=owner, name="t")
    _, other_key = create_api_token(user=other, name="t")

    response = client.delete(f"{ME}/tokens/{token.pk}", **bearer(other_key))

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_token_list_shows_only_my_active_tokens_without_secrets(client):
    user = UserFactory()
    _mine, key = create_api_token(user=user, name="mine")
    create_api_token(user=UserFactory(), name="someone else's")

    listed = client.get(f"{ME}/tokens", **bearer(key)).json()

    assert [t["name"] for t in listed] == ["mine"]
    assert set(listed[0]) == {
        "id",
        "name",
        "hint",
        "created_at",
        "expires_at",
        "read_only",
        "last_used_at",
    }
    assert listed[0]["hint"] == key[:8]
