"""A member's privacy pages in a browser, every page under axe-core, with the keyboard alone
(issue #11, privacy): signed in through the real form, the member goes from *My account* to
*My data and privacy*, withdraws one consent and gives another, downloads the ZIP of their data
after confirming their password (its data.json holds their account, the consents just changed
and their works), then deletes their account from the confirmation page, which first refuses an
address that is not theirs.

Every link and button is reached with Tab and pressed with Enter; the confirmation field is
found by its label. The browser also fails the test on any console error or CSP violation (see
conftest)."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from filiere.accounts.models import Consent, ConsentPurpose, User
from filiere.accounts.services import record_consent
from filiere.community.models import Work
from tests.accounts.factories import PASSWORD
from tests.factories import PersonFactory, UserFactory

from .flow_steps import checked, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "camille.privacy-canary@example.org"
WORK = "La Baleine des Terrils"
CONTACT = "Receiving introduction requests from other members"
CALLS_DIGEST = "The weekly digest of calls I could answer"
TAB_LIMIT = 80


@pytest.fixture
def member():
    """A member with a profile and one work, who agreed to receive introduction requests."""
    user = UserFactory(email=EMAIL, first_name="Camille", last_name="Lefebvre")
    person = PersonFactory(user=user, first_name="Camille", last_name="Lefebvre")
    Work.objects.create(person=person, title=WORK, year=2024, role="Director")
    record_consent(user=user, purpose=ConsentPurpose.CONTACT, granted=True, source="registration")
    return user


def _focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator) -> None:
    """Presses Tab until ``locator`` has the focus (it must be reachable by the keyboard)."""
    expect(locator).to_have_count(1)
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if _focused(locator):
            return
    pytest.fail(f"{locator} is not reached with Tab on {page.url}", pytrace=False)


def press(page, locator) -> None:
    """Reaches ``locator`` with Tab and presses Enter on it, as a keyboard user does."""
    tab_to(page, locator)
    page.keyboard.press("Enter")


def _heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _now_row(page, label: str):
    return page.get_by_role("table", name="Now").get_by_role("row").filter(has_text=label)


def test_a_member_manages_consents_exports_and_deletes_their_account_by_keyboard(
    page, axe, member, tmp_path
):
    # 1. Signed in, from My account to My data and privacy.
    sign_in(page, member)
    page.goto("/en/")
    press(page, page.get_by_role("link", name="My account", exact=True))
    _heading(page, "My account")
    checked(axe, page)
    press(page, page.get_by_role("link", name="My data and privacy"))
    _heading(page, "My data and privacy")
    checked(axe, page)
    for name in (
        "Who sees each field of my profile",
        "My consents: digests and introductions",
        "Download all my data",
        "Delete my account",
    ):
        expect(page.get_by_role("main").get_by_role("link", name=name)).to_be_visible()

    # 2. Consents: withdraw the introductions, give the calls' digest.
    press(page, page.get_by_role("link", name="My consents: digests and introductions"))
    _heading(page, "My consents")
    checked(axe, page)
    expect(_now_row(page, CONTACT).get_by_role("cell").nth(1)).to_have_text("Yes")
    press(page, page.get_by_role("button", name=f"Withdraw — {CONTACT}"))
    expect(page.get_by_text("Your consent is withdrawn.")).to_be_visible()
    expect(_now_row(page, CONTACT).get_by_role("cell").nth(1)).to_have_text("No")
    checked(axe, page)
    press(page, page.get_by_role("button", name=f"Give my consent — {CALLS_DIGEST}"))
    expect(page.get_by_text("Your consent is recorded.")).to_be_visible()
    expect(_now_row(page, CALLS_DIGEST).get_by_role("cell").nth(1)).to_have_text("Yes")
    history = page.get_by_role("table", name="What you gave or withdrew, and when")
    expect(history.get_by_role("row")).to_have_count(4)  # the header and three changes
    expect(history).to_contain_text("privacy page")
    checked(axe, page)
    latest = {c.purpose: c.granted for c in reversed(Consent.objects.filter(user=member))}
    assert latest == {ConsentPurpose.CONTACT: False, ConsentPurpose.CALLS_DIGEST: True}

    # 3. The export: a ZIP with data.json (for programs) and summary.html (to read).
    press(page, page.get_by_role("link", name="Back to my data and privacy"))
    press(page, page.get_by_role("link", name="Download all my data"))
    _heading(page, "Download all my data")
    checked(axe, page)
    press(page, page.get_by_role("button", name="Download my data"))
    # Signing in is not a confirmation: allauth asks for the password once, then resumes the
    # download it held.
    _heading(page, "Confirm Access")
    checked(axe, page)
    password = page.get_by_label(re.compile("^Password"))
    tab_to(page, password)
    page.keyboard.type(PASSWORD)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")  # submits the form from its field
    download = download_info.value
    assert download.suggested_filename.endswith(".zip"), download.suggested_filename
    archive = tmp_path / download.suggested_filename
    download.save_as(archive)
    with zipfile.ZipFile(archive) as zipped:
        assert set(zipped.namelist()) == {"data.json", "summary.html"}
        data = json.loads(zipped.read("data.json"))
        summary = zipped.read("summary.html").decode()
    assert data["format"]["name"] == "filiere-personal-data"
    assert data["account"]["email"] == EMAIL
    consents = [(c["purpose"], c["granted"]) for c in data["account"]["consents"]]
    assert ("contact", False) in consents and ("calls_digest", True) in consents
    assert [work["title"] for work in data["profile"]["works"]] == [WORK]
    assert WORK in summary

    # 4. Deleting the account (the password was confirmed a moment ago: not asked again): the
    # confirmation page says what goes and what stays, and asks for the account's address in a
    # labelled field.
    press(page, page.get_by_role("link", name="My account", exact=True))
    press(page, page.get_by_role("link", name="My data and privacy"))
    press(page, page.get_by_role("link", name="Delete my account"))
    _heading(page, "Delete my account")
    expect(page.get_by_role("heading", name="What is deleted")).to_be_visible()
    expect(page.get_by_role("heading", name="What is kept, and why")).to_be_visible()
    checked(axe, page)
    field = page.get_by_label(re.compile("^Type your e-mail address to confirm"))
    expect(field).to_have_accessible_description(re.compile("The address you sign in with"))
    tab_to(page, field)
    page.keyboard.type("someone.else@example.org")
    press(page, page.get_by_role("button", name="Delete my account"))
    field = page.get_by_label(re.compile("^Type your e-mail address to confirm"))
    expect(page.get_by_text("This is not the address of your account.")).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    checked(axe, page)
    assert User.objects.get(pk=member.pk).is_active

    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Enter")  # submits the form from its field
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    checked(axe, page)

    gone = User.objects.get(pk=member.pk)
    assert not gone.is_active
    assert gone.email == f"deleted-{member.pk}@invalid"
    assert not Work.objects.filter(title=WORK).exists()
