"""Steps shared by the end-to-end browser flows of issue #11 (matchmaking, events): a page
checked by axe-core with a title that reads as words, a member's sign-in through the real forms,
and canaries that must not reach a page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD


def checked(axe, page) -> None:
    """No axe-core violation, and a page title that reads as words (axe only checks that there
    is one): a screen reader announces it first on every page."""
    assert axe(page) == [], page.url
    title = page.title()
    assert title.strip(), f"{page.url}: the page has no title"
    assert "<" not in title, f"{page.url}: the page title holds markup: {title[:120]}…"


def sign_in(page, user) -> None:
    """A member without a second factor signs in through the real form (English pages, whose
    labels are allauth's own source strings)."""
    page.context.clear_cookies()
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("button", name=re.compile("Sign out|Se déconnecter"))).to_be_visible()


def as_staff(page, sign_in_browser, user) -> None:
    """The staff hold a second factor: their session is given to the browser directly (the
    sign-in with an authenticator is covered by test_committee_flow and test_sign_in)."""
    page.context.clear_cookies()
    sign_in_browser(user)


def assert_free_of(page, *canaries: str) -> None:
    """None of ``canaries`` is in the page: not in its text, not in its HTML (a mailto: link,
    an attribute, a hidden element)."""
    html = page.content().lower()
    text = page.locator("body").inner_text().lower()
    for canary in canaries:
        assert canary.lower() not in html, (page.url, canary)
        assert canary.lower() not in text, (page.url, canary)


def images_loaded(page) -> None:
    """Wait until every image of the page is decoded (fails on a broken one: it never is).
    Checked at once, a loaded machine had not finished loading them (CI, once)."""
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )
