"""allauth's pages render in our layout, accessibly and under the strict CSP."""

import pytest
from django.urls import reverse

from .factories import PASSWORD, UserFactory, activate_totp, sign_in
from .pagecheck import check_page

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    ("account_login", {}),
    ("account_signup", {}),
    ("account_reset_password", {}),
    ("account_reset_password_done", {}),
    ("account_reset_password_from_key", {"uidb36": "zz", "key": "not-a-real-key"}),
    ("account_reset_password_from_key_done", {}),
    ("account_email_verification_sent", {}),
    ("account_confirm_email", {"key": "not-a-real-key"}),
    ("account_inactive", {}),
]
SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
]
WITH_TOTP_PAGES = [
    "mfa_index",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_reauthenticate",
]


@pytest.mark.parametrize(("name", "kwargs"), ANONYMOUS_PAGES)
def test_public_account_page_uses_our_layout(client, name, kwargs):
    page = check_page(client.get(reverse(name, kwargs=kwargs)))

    assert page.label_targets or name not in {"account_login", "account_signup"}


def test_sign_in_page_has_labelled_fields_and_a_real_button(client):
    response = client.get(reverse("account_login"))

    page = check_page(response)
    html = response.content.decode()
    assert "site-header" in html  # our layout, not allauth's bare one
    assert {"id_login", "id_password"} <= page.label_targets
    assert page.buttons >= 1


def test_wrong_password_shows_a_clear_error(client):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})

    check_page(response)
    assert "not correct" in response.content.decode()


def test_sign_up_errors_are_shown_next_to_the_form(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "password1": "short", "password2": "other"},
    )

    check_page(response)
    html = response.content.decode()
    assert 'class="error"' in html
    assert "valid email address" in html


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_page_uses_our_layout(client, name):
    sign_in(client, UserFactory(), reauthenticate=True)

    check_page(client.get(reverse(name)))


@pytest.mark.parametrize("name", WITH_TOTP_PAGES)
def test_two_factor_management_pages_use_our_layout(client, name):
    user = UserFactory()
    secret = activate_totp(user)
    sign_in(client, user, secret=secret, reauthenticate=True)

    check_page(client.get(reverse(name)))


def test_totp_activation_shows_the_qr_code_as_an_image_allowed_by_the_csp(client):
    sign_in(client, UserFactory(), reauthenticate=True)

    response = client.get(reverse("mfa_activate_totp"))

    page = check_page(response)
    (qr,) = [img for img in page.images if "qr-code" in (img.get("class") or "")]
    assert qr["src"].startswith("data:image/svg+xml")
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]
    assert qr["alt"]  # the secret, readable by assistive technology


def test_signed_in_user_can_still_reach_sign_in_page_helpers(client):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert response.wsgi_request.user == user
