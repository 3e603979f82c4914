"""The public pages in a real browser: assets load under the CSP, and axe-core finds no serious
or critical WCAG 2.1 AA violation."""

import pytest

from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SkillFactory,
    profession,
    sector,
    territory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def community():
    """A small directory: two public people, one of them working for a studio."""
    studio = OrganisationFactory(name="Studio Lumière", sectors=[sector("animation")])
    camille = PersonFactory(
        slug="camille-durand",
        first_name="Camille",
        last_name="Durand",
        headline="Animatrice 3D",
        territory=territory("mel"),
        professions=[profession("animator-3d")],
        sectors=[sector("animation")],
        skills=[SkillFactory(name="Blender"), SkillFactory(name="Maya")],
        bio="Dix ans de séries d'animation.",
    )
    PersonFactory(
        slug="jules-martin",
        first_name="Jules",
        last_name="Martin",
        headline="Monteur",
        territory=territory("mel"),
    )
    AffiliationFactory(person=camille, organisation=studio, title="Lead animator")
    return {"studio": studio, "camille": camille}


def test_home_loads_its_stylesheet_and_htmx_and_is_accessible(page, axe):
    statuses = {}
    page.on("response", lambda response: statuses.__setitem__(response.url, response.status))

    page.goto("/")

    assert page.locator("h1").count() == 1
    assert page.locator("main#main").count() == 1
    loaded = {url.rsplit("/static/", 1)[-1]: status for url, status in statuses.items()}
    assert loaded.get("ui/filiere.css") == 200, loaded
    assert loaded.get("vendor/htmx.min.js") == 200, loaded
    # What a user sees of both: the styled header, and htmx ready to update lists in place.
    header_background = page.locator(".site-header").evaluate(
        "(element) => getComputedStyle(element).backgroundColor"
    )
    assert header_background == "rgb(29, 58, 110)"
    assert page.evaluate("() => typeof window.htmx") == "object"
    axe(page)


def test_directory_with_results_and_with_a_filter_is_accessible(page, axe, community):
    page.goto("/community/people/")
    assert page.locator("#directory-results h3").count() == 2
    axe(page)

    page.goto("/community/people/?territory=mel&q=Blender")

    assert page.locator("#directory-results h3").all_inner_texts() == ["Camille Durand"]
    axe(page)


def test_person_profile_is_accessible(page, axe, community):
    page.goto("/community/people/camille-durand/")

    assert page.locator("h1").inner_text() == "Camille Durand"
    assert page.get_by_role("link", name="Studio Lumière").is_visible()
    axe(page)


def test_organisations_list_and_organisation_page_are_accessible(page, axe, community):
    page.goto("/community/organisations/")
    assert page.get_by_role("link", name="Studio Lumière").is_visible()
    axe(page)

    page.get_by_role("link", name="Studio Lumière").click()

    assert page.locator("h1").inner_text() == "Studio Lumière"
    assert page.get_by_role("link", name="Camille Durand").is_visible()
    axe(page)


def test_territories_page_is_accessible(page, axe):
    page.goto("/community/territories/")

    assert page.locator("table caption").is_visible()
    assert page.locator("tbody tr").count() == 3
    axe(page)


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"],
    ids=["sign-in", "sign-up", "password-reset"],
)
def test_account_entrance_pages_are_accessible(page, axe, path):
    page.goto(path)

    assert page.locator("h1").count() == 1
    assert page.locator("main form input[type=email]").is_visible()
    axe(page)


def test_api_reference_page_is_accessible_and_lists_every_operation(page, axe):
    # Swagger UI failed axe (contrast, nested controls, no lang, no <main>); ours is plain HTML.
    page.goto("/api/v1/docs")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("main h1").count() == 1
    submit = page.get_by_role("heading", name="POST /api/v1/applications/{application_id}/submit")
    assert submit.count() == 1
    assert page.locator("main section").count() == page.locator("main nav li a").count() > 15
    axe(page)
