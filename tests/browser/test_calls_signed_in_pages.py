"""The calls pages behind sign-in, under axe-core, with data in them: the applicant's dashboard
and an application's overview and messages, the staff's list (filtered, with a saved filter),
an application's page, the design pages and the ZIP export's progress. The browser also fails
a test on any console error or CSP violation (see conftest)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.models import Role
from filiere.calls.models import ExportJob
from filiere.calls.services.instruction import add_label, post_message, request_correction
from filiere.calls.services.instruction import save_filter as save_staff_filter
from filiere.demo.calls import load_demo_calls
from tests.accounts.factories import user_with_role
from tests.calls.apply_factories import applicant_with_organisation
from tests.calls.instruction_factories import ApplicationFactory, add_document, with_budget

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def call():
    return load_demo_calls()[0]


@pytest.fixture
def staff():
    return user_with_role(Role.STAFF, email="instruction@example.org")


@pytest.fixture
def applications(call, staff):
    """One applicant's applications to the open call: a draft, one submitted, one eligible and
    one under correction with messages both ways."""
    applicant, organisation = applicant_with_organisation(email="camille@example.org")

    def application(state, title):
        created = ApplicationFactory(
            call=call, lead=applicant, organisation=organisation, state=state, title=title
        )
        with_budget(created)
        add_document(created)
        return created

    draft = application("draft", "Les mines en réalité virtuelle")
    submitted = application("submitted", "Le carreau de fosse")
    eligible = application("eligible", "Terrils, un jeu sérieux")
    corrected = application("submitted", "La mémoire des corons")
    request_correction(
        application=corrected,
        items=["Signed CVs of the authors", "Option contract"],
        until=timezone.now() + timedelta(days=2),
        by=staff,
        message="Please send the signed CVs.",
    )
    post_message(application=corrected, by=staff, body="Bonjour, merci.", from_staff=True)
    post_message(application=corrected, by=applicant, body="Merci, c'est noté.", from_staff=False)
    add_label(application=submitted, name="Priorité", by=staff)
    return {
        "applicant": applicant,
        "draft": draft,
        "submitted": submitted,
        "eligible": eligible,
        "corrected": corrected,
    }


def test_applicant_dashboard_overview_and_messages(page, axe, sign_in_browser, applications):
    corrected = applications["corrected"]
    sign_in_browser(applications["applicant"])

    page.goto("/en/calls/my/")
    table = page.get_by_role("table", name="My applications")
    expect(table.get_by_role("row")).to_have_count(5)  # the header and four applications
    row = table.get_by_role("row", name=re.compile(corrected.reference))
    expect(row.get_by_role("cell", name="Incomplete", exact=True)).to_be_visible()
    axe(page)

    row.get_by_role("link", name=f"{corrected.reference} — {corrected.title}").click()
    page.wait_for_url(f"**/en/calls/my/{corrected.pk}/")
    asked = page.get_by_role("region", name=re.compile(r"^Corrections asked"))
    expect(asked.get_by_role("listitem")).to_have_count(2)
    steps = page.get_by_role("navigation", name="Steps of the application")
    expect(steps.locator("[aria-current='step']")).to_have_count(0)  # the overview is no step
    axe(page)

    page.get_by_role("link", name=re.compile(r"^Messages with the instruction team")).click()
    page.wait_for_url(f"**/applications/{corrected.reference}/messages/")
    expect(page.get_by_role("article")).to_have_count(2)
    expect(page.get_by_role("form", name="Write to the instruction team")).to_be_visible()
    axe(page)


def test_applicant_steps_are_a_navigation_with_the_current_step(
    page, axe, sign_in_browser, applications
):
    draft = applications["draft"]
    sign_in_browser(applications["applicant"])

    page.goto(f"/en/calls/my/{draft.pk}/edit/budget/")
    steps = page.get_by_role("navigation", name="Steps of the application")
    current = steps.locator("[aria-current='step']")
    expect(current).to_have_count(1)
    expect(current).to_have_text(re.compile(r"^3\. Budget and financing"))
    # Every budget and financing field has its own name: column, table and line.
    budget = page.get_by_role("table", name="Budget lines")
    plan = page.get_by_role("table", name="Financing sources")
    expect(budget.get_by_label("Amount (EUR), budget line 1", exact=True)).to_have_value("120000")
    expect(plan.get_by_label("Source, financing source 2", exact=True)).to_have_value(
        "Fonds propres"
    )
    expect(page.get_by_label("Amount (EUR), financing source 1", exact=True)).to_have_count(1)
    names = page.locator("table input, table select").evaluate_all(
        "(fields) => fields.map((f) => f.labels.length === 1 ? f.labels[0].textContent : null)"
    )
    assert None not in names
    assert len(names) == len(set(names))
    axe(page)


def test_staff_list_filtered_with_a_saved_filter_and_bulk_actions_by_keyboard(
    page, axe, sign_in_browser, call, staff, applications
):
    save_staff_filter(user=staff, call=call, name="Submitted ones", query="status=submitted")
    sign_in_browser(staff)

    list_url = reverse("calls:staff_applications", args=[call.slug])
    page.goto(f"/en{list_url.removeprefix('/fr')}?status=submitted&sort=reference")
    page.get_by_role("link", name="Submitted ones").wait_for()
    results = page.get_by_role("table", name=re.compile(r"applications? match"))
    submitted = applications["submitted"]
    expect(results.get_by_role("row", name=re.compile(submitted.reference))).to_be_visible()
    axe(page)

    # The bulk actions are reached and used with the keyboard alone, each with its name.
    checkbox = page.get_by_role("checkbox", name=f"Select {submitted.reference}")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    bulk = page.get_by_role("group", name="Bulk actions on the selected applications")
    action = bulk.get_by_label("With the selected applications")
    for _ in range(5):
        page.keyboard.press("Tab")
        if action.evaluate("(element) => element === document.activeElement"):
            break
    expect(action).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(bulk.get_by_role("button", name="Apply")).to_be_focused()


def test_staff_application_page_has_named_forms(page, axe, sign_in_browser, staff, applications):
    submitted = applications["submitted"]
    sign_in_browser(staff)

    page.goto(f"/en/calls/instruction/{submitted.call.slug}/applications/{submitted.reference}/")
    for name in ("Decide", "Ask for a correction", "Write to the applicant team", "Write a note"):
        expect(page.get_by_role("form", name=name)).to_be_visible()
    # Several forms have a "body" or a "reason" field: each label goes to its own field.
    message = page.get_by_role("form", name="Write to the applicant team")
    message.get_by_label(re.compile(r"^Message")).fill("Bonjour")
    expect(message.get_by_role("textbox")).to_have_value("Bonjour")
    ids = page.locator("[id]").evaluate_all("(elements) => elements.map((e) => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    axe(page)


def test_design_pages_and_the_export_progress(page, axe, sign_in_browser, call, staff):
    sign_in_browser(staff)

    page.goto("/en/calls/design/calls/")
    expect(page.get_by_role("link", name=call.title_en).first).to_be_visible()
    axe(page)

    for step in ("questions", "rules", "clone"):
        page.goto(f"/en/calls/design/calls/{call.pk}/{step}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe(page)

    job = ExportJob.objects.create(call=call, requested_by=staff, status="running", done=2, total=5)
    page.goto(f"/en/calls/instruction/{call.slug}/exports/{job.pk}/")
    expect(page.get_by_role("progressbar", name="2 of 5 files")).to_be_visible()
    axe(page)
