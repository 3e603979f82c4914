"""The showcase in a real browser (issue #12): the public gallery, a project's page with its
image, the team's page and the staff's review, each under axe-core (no serious or critical WCAG
2.1 AA violation), the stylesheet and images loaded under the CSP; a search typed in the words
box and sent with Enter keeps its words in the address (a link to share)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from filiere.showcase import services
from filiere.showcase.models import Entry
from tests.browser.flow_steps import images_loaded
from tests.showcase.factories import call_staff, clean_image, draft, funded, published

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def showcase():
    public = funded()
    entry = published(public, title="La Mine en jeu")
    waiting = funded(public.application.call)
    pending = draft(waiting, title="Les Terrils en VR")
    clean_image(pending, waiting.lead)
    submitted = services.submit(user=waiting.lead, entry=Entry.objects.get(pk=pending.pk))
    return {"entry": entry, "waiting": waiting, "submitted": submitted, "public": public}


def test_the_public_pages_are_accessible_and_searchable(page, axe, showcase):
    page.goto("/showcase/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("link", name="La Mine en jeu")).to_be_visible()
    images_loaded(page)
    axe(page)
    page.get_by_label("Words").fill("Mine")
    page.get_by_label("Words").press("Enter")
    page.wait_for_url("**/showcase/?q=Mine*")
    expect(page.get_by_role("link", name="La Mine en jeu")).to_be_visible()
    page.get_by_role("link", name="La Mine en jeu").click()
    expect(page.get_by_role("heading", level=1, name="La Mine en jeu")).to_be_visible()
    images_loaded(page)
    axe(page)


def test_the_team_and_staff_pages_are_accessible(page, axe, sign_in_browser, showcase):
    waiting = showcase["waiting"]
    sign_in_browser(waiting.lead)
    page.goto(f"/showcase/my/{waiting.application.reference}/")
    expect(page.get_by_label("Public title")).to_have_value("Les Terrils en VR")
    images_loaded(page)
    axe(page)
    page.context.clear_cookies()
    sign_in_browser(call_staff(waiting.application.call))
    page.goto(f"/showcase/staff/entries/{showcase['submitted'].pk}/")
    expect(page.get_by_role("button", name="Approve and publish")).to_be_visible()
    images_loaded(page)
    axe(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("The page is published.")).to_be_visible()
    page.goto(f"/showcase/{showcase['submitted'].slug}/")
    expect(page.get_by_role("heading", level=1, name="Les Terrils en VR")).to_be_visible()
