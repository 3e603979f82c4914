"""Signing in end to end in a real browser: e-mail and password, then the authenticator code for
roles that require a second factor, and the activation of that second factor."""

import re

import pytest
from playwright.sync_api import expect

from filiere.accounts.models import Role
from tests.accounts.factories import PASSWORD, activate_totp, totp_code, user_with_role
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit_credentials(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_member_signs_in_with_email_and_password_and_sees_their_account(page, axe):
    member = UserFactory(email="camille@example.org", preferred_language="en")

    submit_credentials(page, member.email)

    assert page.url.endswith("/en/")
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_role("link", name="My account").click()
    assert page.locator("h1").inner_text() == "My account"
    assert page.get_by_text("You have no API token.").is_visible()
    axe(page)


def test_wrong_password_is_refused_with_a_message(page, axe):
    member = UserFactory()

    submit_credentials(page, member.email, "not-the-password")

    assert page.url.endswith("/en/accounts/login/")
    assert page.get_by_role("alert").inner_text().strip() != ""
    assert page.get_by_role("button", name="Sign out").count() == 0
    axe(page)


def test_staff_with_totp_is_asked_for_the_code_and_then_let_in(page, axe):
    staff = user_with_role(Role.STAFF, with_totp=False, preferred_language="en")
    secret = activate_totp(staff)

    submit_credentials(page, staff.email)

    assert page.url.endswith("/en/accounts/2fa/authenticate/")
    assert page.get_by_role("button", name="Sign out").count() == 0
    axe(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.locator("main form button[type=submit]", has_text="Sign In").click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.get_by_role("button", name="Sign out").is_visible()
    page.get_by_role("link", name="My account").click()
    # count() does not wait: the account page is awaited first.
    page.wait_for_url(re.compile(r"/en/me/$"))
    expect(page.get_by_role("listitem").filter(has_text="Staff")).to_have_count(1)


def test_staff_without_totp_activates_it_from_the_qr_code_page(page, axe):
    staff = user_with_role(Role.STAFF, with_totp=False)

    submit_credentials(page, staff.email)
    page.goto("/en/community/people/")

    # Sent to the activation page from anywhere; allauth first asks for the password again
    # (a change of second factor needs a fresh confirmation, not only a sign-in).
    assert "/en/accounts/reauthenticate/" in page.url
    axe(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/accounts/2fa/totp/activate/")
    # The QR code is a data: image that the CSP allows (the page fixture fails the test on any
    # CSP violation).
    qr_code = page.locator("img.qr-code")
    assert (qr_code.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert qr_code.evaluate("(image) => image.complete && image.naturalWidth > 0")
    axe(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.locator("main form button[type=submit]", has_text="Activate").click()
    # Wait for the answer to the activation itself before going elsewhere.
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    page.goto("/en/me/")
    assert page.locator("h1").inner_text() == "My account"


def test_sign_in_lands_in_the_language_chosen_on_my_account(page):
    member = UserFactory(preferred_language="nl")

    submit_credentials(page, member.email)

    page.wait_for_url(re.compile(r"/nl/$"))
    assert page.locator("html").get_attribute("lang") == "nl"
