"""One application from the call's page to the eligibility decision, in a real browser.

An applicant signs in, opens the demo 2009 call, applies for her company, fills every step as
people do (the project autosaves as she types, amounts typed "40 000"), uploads real PDFs
that a real clamd scans, answers the extra questions, submits, reads and downloads her
acknowledgement of receipt. A staff member then signs in with his authenticator code, finds
the application through the menu and the filters, reads the automatic eligibility checks and
asks for a correction; the applicant replaces a document and sends the file again (her receipt
records it), and the staff declare it eligible, which her dashboard shows. axe-core checks each
key page; the browsers fail the test on any console error or CSP violation.

No service is called after the setup (the demo calls, the two people, the organisation): the
scans happen as in production, after the upload's commit (tests run tasks immediately).
"""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from filiere.accounts.models import Role
from filiere.demo.calls import load_demo_calls
from tests.accounts.factories import PASSWORD, activate_totp, totp_code, user_with_role
from tests.browser.conftest import watch
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import applicant_with_organisation, pdf_bytes

# The real clamd of tests/calls (started once per session) as the platform's scanner.
clamd_server = _clamd.clamd_server
clamd = _clamd.clamd

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The documents the 2009 call requires for a web documentary in development.
REQUIRED_DOCUMENTS = [
    ("Synopsis", "synopsis.pdf"),
    ("Note of intent", "note-of-intent.pdf"),
    ("Budget", "budget.pdf"),
    ("Financing plan", "financing-plan.pdf"),
    ("CVs / filmographies", "cvs.pdf"),
    ("Company extract (Kbis / BCE)", "kbis.pdf"),
    ("Option or rights contract", "option-contract.pdf"),
]
TITLE = "Les mines du Hainaut en réalité virtuelle"
SUMMARY = "Un webdocumentaire sur les mines, avec les anciens mineurs."


def sign_in(page, email: str, secret: str | None = None) -> None:
    """Through allauth's forms, as a person does (and the authenticator code when asked)."""
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign In").click()
    if secret is not None:
        page.wait_for_url("**/en/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(totp_code(secret))
        page.locator("main form").get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/en/$"))


def missing_panel(page):
    return page.get_by_role("complementary").filter(
        has=page.get_by_role("heading", name="Still missing before you can submit")
    )


def autosaved(page, action, version: int) -> None:
    """Do `action` (a choice, some typing) and wait for the autosave to answer `version`."""
    with page.expect_response(
        lambda response: "/autosave/" in response.url and response.request.method == "POST"
    ) as saved:
        action()
    assert saved.value.ok
    expect(page.locator("#autosave-status")).to_contain_text(
        re.compile(rf"Saved at \d\d:\d\d:\d\d \(version {version}\)\.")
    )


@pytest.fixture
def scanner(request):
    """The real clamd; missing, it fails the test like a missing Chromium (no silent skip)."""
    if _clamd._clamd_binary() is None:
        pytest.fail(
            "clamd not found: this journey scans its uploads with Debian's clamav-daemon. "
            "Run `make system-deps`.",
            pytrace=False,
        )
    return request.getfixturevalue("clamd")


@pytest.fixture
def call():
    return load_demo_calls()[0]


@pytest.fixture
def staff_page(browser, live_server):
    """A second browser, the staff member's, watched like `page`."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    problems = watch(context)
    yield context.new_page()
    context.close()
    if problems:
        pytest.fail(
            "The staff browser reported problems:\n" + "\n".join(f"  - {p}" for p in problems),
            pytrace=False,
        )


def test_applicant_applies_submits_corrects_and_staff_declare_it_eligible(
    page, staff_page, axe, call, scanner, tmp_path
):
    # Both chose English: sign-in lands in each person's preferred language.
    applicant, organisation = applicant_with_organisation(
        email="camille@example.org", preferred_language="en"
    )
    staff = user_with_role(
        Role.STAFF, with_totp=False, email="instruction@example.org", preferred_language="en"
    )
    secret = activate_totp(staff)
    files = {}
    for _label, name in REQUIRED_DOCUMENTS:
        files[name] = tmp_path / name
        files[name].write_bytes(pdf_bytes(name))
    signed_cvs = tmp_path / "signed-cvs.pdf"
    signed_cvs.write_bytes(pdf_bytes("CVs, signed"))

    # --- The applicant finds the call and starts an application ---------------------------------
    sign_in(page, applicant.email)
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Calls for projects"
    ).click()
    page.get_by_role("link", name=call.title_en).first.click()
    page.wait_for_url(f"**/en/calls/call/{call.slug}/")
    axe(page)
    page.get_by_role("link", name="Apply", exact=True).click()

    page.get_by_label("On behalf of").select_option(label=organisation.name)
    page.get_by_label("Project title").fill(TITLE)
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_url(re.compile(r"/en/calls/my/\d+/edit/project/$"))
    reference = page.get_by_role("heading", level=1).locator(".meta").inner_text().strip("()")
    assert reference == "EI2009-0001"

    # --- Project: saved as one types; the completeness panel says what is missing ---------------
    missing = missing_panel(page)
    expect(missing.get_by_role("link", name="Write a summary of the project.")).to_be_visible()
    expect(missing.get_by_role("link", name="Add the document “Synopsis”.")).to_be_visible()
    axe(page)
    genre = page.get_by_label("Genre")
    autosaved(page, lambda: genre.select_option(label="Web documentary"), version=2)
    autosaved(page, lambda: page.get_by_label("Stage").select_option(label="Development"), 3)
    autosaved(page, lambda: page.get_by_label("Summary").press_sequentially(SUMMARY), 4)
    # Nothing was lost: the page as reloaded shows what was typed, and the summary is no longer
    # missing; the stage asks for the rights contract.
    page.reload()
    expect(page.get_by_label("Summary")).to_have_value(SUMMARY)
    expect(genre).to_have_value(re.compile(r"\d+"))
    expect(missing.get_by_role("link", name="Write a summary of the project.")).to_have_count(0)
    expect(
        missing.get_by_role("link", name="Add the document “Option or rights contract”.")
    ).to_be_visible()
    page.get_by_role("navigation", name="Steps of the application").get_by_role(
        "link", name=re.compile(r"^3\. Budget and financing")
    ).click()

    # --- Budget and financing, amounts typed as people do ---------------------------------------
    page.wait_for_url("**/edit/budget/")
    # Each field is named by its column and its line (the two tables share column names).
    budget = page.get_by_role("table", name="Budget lines")
    budget.get_by_label("Amount (EUR), budget line 1", exact=True).fill("40 000")
    budget.get_by_label("Amount (EUR), budget line 2", exact=True).fill("60 000")
    budget.get_by_label("Amount (EUR), budget line 7", exact=True).fill("50 000")
    budget.get_by_label("Of which in the region (EUR), budget line 7", exact=True).fill("20 000")
    plan = page.get_by_role("table", name="Financing sources")
    plan.get_by_label("Amount (EUR), financing source 1", exact=True).fill("60 000")
    plan.get_by_label("Source, financing source 2", exact=True).fill("Fonds propres")
    plan.get_by_label("Amount (EUR), financing source 2", exact=True).fill("90 000,00")
    plan.get_by_label("Secured, financing source 2", exact=True).check()
    page.get_by_label("Amount requested from this call (EUR)").fill("60 000")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/edit/budget/")
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    totals = page.get_by_role("region", name="Totals (as saved)")
    expect(totals.locator("dd").first).to_contain_text(re.compile(r"150.000"))
    expect(totals.locator("li.error")).to_have_count(0)
    expect(totals.locator("li")).to_have_count(2)  # the ceiling and the balanced plan: OK
    # The saved lines come back first (their order kept), then empty lines for more: the third
    # line, numbered 3 in its row header and in its fields' names, is the one typed on line 7.
    line_3 = budget.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="3", exact=True)
    )
    expect(line_3.get_by_label("Amount (EUR), budget line 3", exact=True)).to_have_value("50000")
    expect(
        line_3.get_by_label("Of which in the region (EUR), budget line 3", exact=True)
    ).to_have_value("20000")
    axe(page)

    # --- Documents: real PDFs, scanned by a real clamd ------------------------------------------
    page.get_by_role("link", name=re.compile(r"^4\. Documents")).click()
    page.wait_for_url("**/edit/documents/")
    expect(page.get_by_text("No file yet.")).to_be_visible()
    for label, name in REQUIRED_DOCUMENTS:
        page.get_by_label("Kind of document").select_option(label=label)
        page.get_by_label("File").set_input_files(files[name])
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url("**/edit/documents/")
        expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_contain_text("Checked")
        expect(missing.get_by_role("link", name=f"Add the document “{label}”.")).to_have_count(0)
    axe(page)
    # A clean file can be downloaded by the team, as it was sent.
    with page.expect_download() as download:
        page.get_by_role("link", name="synopsis.pdf").click()
    assert download.value.suggested_filename == "synopsis.pdf"
    assert Path(download.value.path()).read_bytes() == files["synopsis.pdf"].read_bytes()
    # What is left: the required extra questions.
    expect(
        missing.get_by_role("link", name="Answer the question “Who is the work for?”.")
    ).to_be_visible()

    # --- Extra questions ------------------------------------------------------------------------
    page.get_by_role("link", name=re.compile(r"^5\. Extra questions")).click()
    page.wait_for_url("**/edit/questions/")
    page.get_by_label("Who is the work for?").fill(
        "Les habitants du bassin minier, les scolaires et les visiteurs du Louvre-Lens."
    )
    page.get_by_role("group", name=re.compile("Platforms")).get_by_label("Web").check()
    page.get_by_label("Planned delivery date").fill("2010-06-30")
    page.get_by_role("group", name=re.compile("research lab involved")).get_by_label("No").check()
    axe(page)
    page.get_by_role("button", name="Save and continue").click()

    # --- Review and submit ----------------------------------------------------------------------
    page.wait_for_url("**/edit/review/")
    expect(page.get_by_text("Everything the call asks for is there.")).to_be_visible()
    expect(page.locator("ul.checks li.error")).to_have_count(0)
    axe(page)
    page.get_by_role("button", name="Submit the application").click()

    page.wait_for_url(re.compile(r"/en/calls/my/\d+/receipt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acknowledgement of receipt")
    facts = page.locator("main dl")
    expect(facts).to_contain_text(reference)
    expect(facts).to_contain_text("Submitted at (server clock)")
    assert re.fullmatch(r"[0-9a-f]{64}", facts.locator("code").inner_text())
    # Each file is listed with the SHA-256 of what was sent.
    for name, path in files.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        expect(page.get_by_role("listitem").filter(has_text=name)).to_contain_text(digest)
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{reference}.pdf"
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert 1_000 < len(pdf) < 500_000
    assert reference.encode() in pdf

    # --- Staff: from the menu to the application, then the decision -----------------------------
    sign_in(staff_page, staff.email, secret)
    staff_page.get_by_role("navigation", name="My space").get_by_role(
        "link", name="Instruction"
    ).click()
    staff_page.get_by_role("link", name=f"Applications to “{call.title_en}”").click()
    staff_page.wait_for_url(f"**/instruction/{call.slug}/applications/")
    staff_page.get_by_label("Search").fill(reference)
    staff_page.get_by_role("button", name="Filter").click()
    staff_page.wait_for_url(re.compile(rf"\?(.*&)?q={reference}"))
    results = staff_page.get_by_role("table", name="1 application matches")
    expect(results.get_by_role("row", name=re.compile(reference))).to_contain_text("Submitted")
    axe(staff_page)
    results.get_by_role("link", name=reference).click()

    staff_page.wait_for_url(f"**/applications/{reference}/")
    checks = staff_page.get_by_role("table", name="Automatic checks: no rule failed.")
    expect(checks.get_by_role("row", name=re.compile(r"^Deadline.*Passed"))).to_be_visible()
    expect(checks.get_by_role("cell", name="Failed")).to_have_count(0)
    axe(staff_page)

    # The CVs are not signed: a correction is asked (open two days by default).
    # (the form is named by its heading: a form landmark)
    correction = staff_page.get_by_role("form", name="Ask for a correction")
    correction.get_by_label("Items to correct (one per line)").fill("Signed CVs of the authors")
    correction.get_by_label("Message to the applicant").fill("Please send the signed CVs.")
    correction.get_by_role("button", name="Send the request").click()
    status = staff_page.locator("main dl.facts dd").first
    expect(status).to_contain_text(re.compile(r"^Incomplete — open for corrections until"))

    # --- The applicant corrects the file and sends it again -------------------------------------
    page.get_by_role("navigation", name="My space").get_by_role(
        "link", name="My applications"
    ).click()
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row.get_by_role("cell", name="Incomplete", exact=True)).to_be_visible()
    expect(row).to_contain_text("Corrections asked, until")
    row.get_by_role("link", name=f"{reference} — {TITLE}").click()
    asked = page.get_by_role("region", name=re.compile(r"^Corrections asked"))
    expect(asked.get_by_role("listitem")).to_have_text(["Signed CVs of the authors"])
    page.get_by_role("link", name=re.compile(r"^4\. Documents")).click()
    page.get_by_role("button", name="Delete cvs.pdf").click()
    expect(
        missing.get_by_role("link", name="Add the document “CVs / filmographies”.")
    ).to_be_visible()
    page.get_by_label("Kind of document").select_option(label="CVs / filmographies")
    page.get_by_label("File").set_input_files(signed_cvs)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("row", name=re.compile("signed-cvs.pdf"))).to_contain_text("Checked")
    page.get_by_role("link", name=re.compile(r"^6\. Review and submit")).click()
    expect(page.get_by_text("Everything the call asks for is there.")).to_be_visible()
    page.get_by_role("button", name="Send the corrected application").click()
    page.wait_for_url(re.compile(r"/en/calls/my/\d+/receipt/$"))
    again = page.get_by_role("table", name="Sent again after a correction request")
    expect(again.get_by_role("row")).to_have_count(2)  # the header and the corrected version
    assert re.search(r"\b[0-9a-f]{64}\b", again.inner_text())
    axe(page)

    # --- Staff: the corrected file is back, and eligible ----------------------------------------
    staff_page.reload()
    expect(status).to_have_text("Submitted")
    expect(staff_page.get_by_role("table", name="Documents")).to_contain_text("signed-cvs.pdf")
    staff_page.get_by_role("radio", name="Eligible", exact=True).check()
    staff_page.get_by_role("button", name="Record the decision").click()
    expect(status).to_have_text("Eligible")

    # --- The applicant sees the new status ------------------------------------------------------
    page.get_by_role("navigation", name="My space").get_by_role(
        "link", name="My applications"
    ).click()
    row = page.get_by_role("row", name=re.compile(reference))
    expect(row.get_by_role("cell", name="Eligible", exact=True)).to_be_visible()
    expect(row.get_by_role("link", name="Acknowledgement of receipt")).to_be_visible()
    axe(page)
