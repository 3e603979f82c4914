"""Steps of the award's follow-up in a browser (issue #12): a browser of its own per person
(each signs in once, through the real forms), the amounts as the French pages write them, and
files chosen in a form as a person picks them on their disk."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from filiere.accounts.models import Role
from filiere.accounts.services import grant_role
from tests.accounts.factories import PASSWORD, activate_totp, totp_code
from tests.browser.conftest import watch
from tests.browser.flow_steps import checked
from tests.calls.apply_factories import pdf_bytes
from tests.factories import UserFactory

SIGNED_OUT = re.compile("Sign out|Se déconnecter")


class People:
    """One browser context per person, watched like the test's `page`: a console error, an
    uncaught exception or a CSP violation on any of them fails the test."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list = []
        self.problems: list[str] = []

    def page(self):
        context = self.browser.new_context(
            base_url=self.base_url, locale="fr-FR", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        problems = watch(context)
        self.contexts.append((context, problems))
        return context.new_page()

    def close(self) -> None:
        for context, problems in self.contexts:
            context.close()
            self.problems.extend(problems)


def staff_of(call, **names: str):
    """A staff member of `call` (a scoped grant) with an authenticator app: (user, secret)."""
    user = UserFactory(**names)
    grant_role(user=user, role=Role.STAFF, scope=call, by=None)
    secret = activate_totp(user)
    user.refresh_from_db()
    return user, secret


def sign_in(page, axe, user, secret: str | None = None) -> None:
    """E-mail and password, then the authenticator's code when the person has one (each form
    checked by axe-core)."""
    page.goto("/en/accounts/login/")
    checked(axe, page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    if secret is not None:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        checked(axe, page)
        page.get_by_label("Code").fill(totp_code(secret))
        page.locator("main form button[type=submit]", has_text="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("button", name=SIGNED_OUT)).to_be_visible()


def eur(amount: Decimal | int | str) -> re.Pattern[str]:
    """An amount as the French pages write it: ``36 000 €``, ``4 000,50 €`` (any kind of
    space between the thousands and before the sign)."""
    value = Decimal(amount)
    whole, cents = f"{value:.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    number = r"[\s\u00a0\u202f]".join(groups)
    if cents != "00":
        number += f",{cents}"
    return re.compile(rf"(?<![\d,]){number}[\s\u00a0\u202f]?€")


def a_pdf(tmp_path, name: str, text: str):
    """A real PDF on the person's disk, to pick in a file field."""
    path = tmp_path / name
    path.write_bytes(pdf_bytes(text))
    return path


@pytest.fixture
def people(browser, live_server):
    crowd = People(browser, live_server.url)
    yield crowd
    crowd.close()
    if crowd.problems:
        pytest.fail(
            "A person's browser reported problems:\n"
            + "\n".join(f"  - {p}" for p in crowd.problems),
            pytrace=False,
        )
