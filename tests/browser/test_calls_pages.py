"""The public calls pages in a real browser, under axe-core: the list grouped by phase and a
call's page, in French and in English (the demo calls of tests/calls/test_public.py)."""

import pytest

from filiere.demo.calls import load_demo_calls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_calls():
    return load_demo_calls()


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["fr", "en"])
def test_public_calls_list_and_an_open_call_are_accessible(page, axe, demo_calls, prefix):
    open_call = demo_calls[0]
    page.goto(f"{prefix}/calls/")

    assert page.locator("h1").count() == 1
    link = page.locator(f"main a[href$='/calls/call/{open_call.slug}/']").first
    assert link.is_visible()
    axe(page)

    link.click()

    page.wait_for_url(f"**{prefix}/calls/call/{open_call.slug}/")
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip() != ""
    axe(page)


def test_closed_call_page_is_accessible(page, axe, demo_calls):
    closed = demo_calls[2]

    page.goto(f"/en/calls/call/{closed.slug}/")

    assert page.locator("h1").inner_text() == "Interactive experiences — new genres (2008)"
    axe(page)
