"""Pages behind sign-in, used through their forms in a real browser, under axe-core."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_my_account_creates_an_api_token_through_the_form(page, axe, sign_in_browser):
    sign_in_browser(UserFactory())
    page.goto("/en/me/")
    axe(page)

    page.get_by_label("Name").fill("Export script")
    page.locator("main form button[type=submit]", has_text="Create a token").click()

    page.wait_for_url("**/en/me/")
    assert page.locator("code.token").inner_text().strip() != ""
    assert page.locator("table tbody tr td").first.inner_text() == "Export script"
    axe(page)


def test_my_profile_shows_an_error_linked_to_its_field(page, axe, sign_in_browser):
    sign_in_browser(UserFactory(first_name="Camille", last_name="Durand"))
    page.goto("/community/profile/")
    first_name = page.locator("#id_first_name")
    assert first_name.input_value() == "Camille"

    first_name.fill("")
    page.locator("main form button[type=submit]").click()

    # is_visible() does not wait for the answer to the submission; expect() does.
    expect(page.locator(".notice--error")).to_be_visible()
    assert first_name.get_attribute("aria-invalid") == "true"
    described_by = (first_name.get_attribute("aria-describedby") or "").split()
    assert "id_first_name_error" in described_by
    error = page.locator("#id_first_name_error")
    assert error.is_visible()
    assert error.inner_text().strip() != ""
    # The error sits with its field, inside the field's group, after its label.
    assert page.locator(".field--error #id_first_name + #id_first_name_error").count() == 1
    axe(page)
