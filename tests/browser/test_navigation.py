"""Using the site with the keyboard only, switching languages with the real switcher, and the
directory's search updating its results in place (htmx)."""

import re

import pytest

from tests.factories import PersonFactory, SkillFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    text: (element.innerText || element.value || "").trim(),
    label: element.labels && element.labels.length ? element.labels[0].innerText.trim() : "",
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    visible: element.getBoundingClientRect().left >= 0,
  };
}"""


def tab_through(page, count: int) -> list[dict]:
    focused = []
    for _ in range(count):
        page.keyboard.press("Tab")
        focused.append(page.evaluate(FOCUSED))
    return focused


def test_skip_link_comes_first_and_moves_focus_to_main(page):
    page.goto("/en/")

    page.keyboard.press("Tab")

    first = page.evaluate(FOCUSED)
    assert first["tag"] == "a"
    assert first["text"] == "Skip to content"
    assert first["visible"], "the skip link stays off screen when focused"
    assert first["outline"] != "none" and first["outlineWidth"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


def test_navigation_and_language_switcher_are_reached_by_tab_with_a_visible_focus(page):
    page.goto("/en/")

    focused = tab_through(page, 14)

    texts = [element["text"] for element in focused]
    for name in (
        "Calls for projects",
        "Directory",
        "Organisations",
        "Territories",
        "Sign in",
        "Join",
        "Change",
    ):
        assert name in texts, f"{name!r} is not reached by Tab: {texts}"
    assert any(element["tag"] == "select" and element["label"] == "Language" for element in focused)
    for element in focused:
        assert element["outline"] != "none" and element["outlineWidth"] > 0, (
            f"no visible focus on {element['tag']} {element['text']!r}"
        )


def switch_language(page, code: str) -> None:
    """Choose a language in the header's switcher and press its button, as a user does."""
    page.locator("#language-select").select_option(code)
    page.locator(".language-switcher button[type=submit]").click()


def test_switching_to_english_then_dutch_with_the_switcher(page, axe):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Connexion"

    switch_language(page, "en")

    page.wait_for_url(re.compile(r"/en/accounts/login/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Sign In"
    assert page.locator("#language-select").input_value() == "en"
    axe(page)

    switch_language(page, "nl")

    page.wait_for_url(re.compile(r"/nl/accounts/login/$"))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Aanmelden"
    assert page.locator("#language-select").input_value() == "nl"

    switch_language(page, "fr")

    page.wait_for_url(re.compile(r":\d+/accounts/login/$"))
    assert page.locator("html").get_attribute("lang") == "fr"


def test_directory_search_updates_the_results_in_place(page, axe):
    PersonFactory(first_name="Camille", last_name="Durand", skills=[SkillFactory(name="Blender")])
    PersonFactory(first_name="Jules", last_name="Martin")
    page.goto("/community/people/")
    assert page.locator("#directory-results h3").count() == 2
    # Gone if the browser loads a new document instead of updating the list.
    page.evaluate("() => { window.stillTheSameDocument = true; }")
    page.locator("[aria-live=polite]").evaluate("(region) => { region.stillThere = true; }")

    search = page.get_by_role("searchbox")
    search.fill("Blender")
    search.press("Enter")

    page.wait_for_url(re.compile(r"[?&]q=Blender"))
    results = page.locator("#directory-results h3")
    results.first.wait_for()
    assert results.all_inner_texts() == ["Camille Durand"]
    assert page.locator("#directory-results h2").inner_text().startswith("1 ")
    assert page.evaluate("() => window.stillTheSameDocument") is True
    assert page.locator("h1").count() == 1
    assert page.locator("#directory-results").count() == 1
    # Screen readers hear the new results: the live region around them is still the same one.
    live_region = page.locator("[aria-live=polite]:has(> #directory-results)")
    assert live_region.evaluate("(region) => region.stillThere") is True
    axe(page)
