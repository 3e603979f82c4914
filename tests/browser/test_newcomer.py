"""A newcomer's first hour, in a real browser, with no administrator anywhere.

Someone signs up, confirms their address from the e-mail that a real SMTP server on the loopback
received, registers their company from the apply page (a French SIRET; or a Belgian BCE/KBO
number with its NACE-BEL code), comes back to the 2009 call, fills every step, uploads PDFs that
a real clamd scans, and submits. The Belgian company passes every automatic check, its activity
code included. axe-core checks the new pages; the browser fails the test on any console error
or CSP violation.

Nothing is created by code but the demo calls: the account, the organisation and the application
are made through the pages.
"""

import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from filiere.demo.calls import load_demo_calls
from tests.accounts.factories import PASSWORD
from tests.browser.test_apply_to_eligibility import (
    REQUIRED_DOCUMENTS,
    autosaved,
    clamd,
    clamd_server,
    missing_panel,
    scanner,
)
from tests.calls.apply_factories import pdf_bytes

# The real clamd of tests/calls, as in the other application journey.
__all__ = ["clamd", "clamd_server", "scanner"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Mailbox:
    """What the loopback SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def call():
    return load_demo_calls()[0]


def sign_up_and_confirm(page, mailbox, email: str) -> None:
    """Through allauth's forms, and the link of the e-mail that went out over SMTP."""
    page.goto("/en/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password \(required\)")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert len(mailbox.messages) == 1, [m["Subject"] for m in mailbox.messages]
    message = mailbox.messages[0]
    assert message["To"] == email
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+)", body)
    assert link, body
    page.goto(link[1])
    page.locator("main form").get_by_role("button", name="Confirm").click()
    # Confirming signs the newcomer in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    expect(page.get_by_role("navigation", name="My space")).to_contain_text("My applications")


def open_apply_page(page, call) -> None:
    page.goto("/en/")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Calls for projects"
    ).click()
    page.get_by_role("link", name=call.title_en).first.click()
    page.wait_for_url(f"**/en/calls/call/{call.slug}/")
    page.get_by_role("link", name="Apply", exact=True).click()


def register_organisation(page, axe, *, country_link: str, fields: dict, seat: tuple) -> None:
    """From the apply page's link to the organisation form, and back to the apply page."""
    apply_url = page.url
    page.get_by_role("link", name="Register or join my organisation").click()
    page.wait_for_url(re.compile(r"/my-organisations/new/\?next="))
    axe(page)
    page.get_by_role("link", name=country_link).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_label(seat[0]).select_option(label=seat[1])
    page.get_by_label("Your role").select_option(label="Founder or manager")
    page.get_by_label("Your position").fill("Producer")
    page.get_by_label("Since").fill("2008-09-01")
    axe(page)
    page.get_by_role("button", name="Register the organisation").click()
    page.wait_for_url(apply_url)
    expect(page.get_by_role("status").filter(has_text="and you manage it")).to_be_visible()


def apply_and_submit(page, axe, *, organisation: str, tmp_path) -> None:
    """From the apply page to the acknowledgement of receipt (a web documentary in development)."""
    page.get_by_label("On behalf of").select_option(label=organisation)
    page.get_by_label("Project title").fill("Les mines du Hainaut en réalité virtuelle")
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_url(re.compile(r"/en/calls/my/\d+/edit/project/$"))
    autosaved(page, lambda: page.get_by_label("Genre").select_option(label="Web documentary"), 2)
    autosaved(page, lambda: page.get_by_label("Stage").select_option(label="Development"), 3)
    autosaved(
        page,
        lambda: page.get_by_label("Summary").press_sequentially(
            "Un webdocumentaire sur les mines."
        ),
        4,
    )

    page.get_by_role("link", name=re.compile(r"^3\. Budget and financing")).click()
    page.wait_for_url("**/edit/budget/")
    budget = page.get_by_role("table", name="Budget lines")
    budget.get_by_label("Amount (EUR), budget line 1", exact=True).fill("40 000")
    budget.get_by_label("Amount (EUR), budget line 2", exact=True).fill("60 000")
    budget.get_by_label("Amount (EUR), budget line 7", exact=True).fill("50 000")
    budget.get_by_label("Of which in the region (EUR), budget line 7", exact=True).fill("20 000")
    plan = page.get_by_role("table", name="Financing sources")
    plan.get_by_label("Amount (EUR), financing source 1", exact=True).fill("60 000")
    plan.get_by_label("Source, financing source 2", exact=True).fill("Fonds propres")
    plan.get_by_label("Amount (EUR), financing source 2", exact=True).fill("90 000")
    plan.get_by_label("Secured, financing source 2", exact=True).check()
    page.get_by_label("Amount requested from this call (EUR)").fill("60 000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^4\. Documents")).click()
    page.wait_for_url("**/edit/documents/")
    missing = missing_panel(page)
    for label, name in REQUIRED_DOCUMENTS:
        path = tmp_path / name
        path.write_bytes(pdf_bytes(name))
        page.get_by_label("Kind of document").select_option(label=label)
        page.get_by_label("File").set_input_files(path)
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url("**/edit/documents/")
        expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_contain_text("Checked")
        expect(missing.get_by_role("link", name=f"Add the document “{label}”.")).to_have_count(0)

    page.get_by_role("link", name=re.compile(r"^5\. Extra questions")).click()
    page.wait_for_url("**/edit/questions/")
    page.get_by_label("Who is the work for?").fill(
        "Les habitants du bassin minier, les scolaires et les visiteurs du Louvre-Lens."
    )
    page.get_by_role("group", name=re.compile("Platforms")).get_by_label("Web").check()
    page.get_by_label("Planned delivery date").fill("2010-06-30")
    page.get_by_role("group", name=re.compile("research lab involved")).get_by_label("No").check()
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/edit/review/")
    expect(page.get_by_text("Everything the call asks for is there.")).to_be_visible()
    expect(page.locator("ul.checks li.error")).to_have_count(0)
    axe(page)


def submit(page, axe) -> None:
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r"/en/calls/my/\d+/receipt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acknowledgement of receipt")
    expect(page.locator("main dl")).to_contain_text("Submitted at (server clock)")
    axe(page)


def test_newcomer_registers_a_french_company_by_siret_and_submits(
    page, axe, mailbox, call, scanner, tmp_path
):
    sign_up_and_confirm(page, mailbox, "nadia.benali@example.org")
    open_apply_page(page, call)
    expect(page.get_by_text("You apply on behalf of an organisation you work for.")).to_be_visible()
    axe(page)
    # A mistyped SIRET is explained, and nothing typed is lost.
    register_page_fields = {
        "Name of the organisation": "Studio Beffroi",
        "SIRET number": "732 829 320 00079",
        "NAF/APE code": "59.11C",
    }
    apply_url = page.url
    page.get_by_role("link", name="Register or join my organisation").click()
    page.get_by_role("link", name="Register a French organisation (SIRET number)").click()
    for label, value in register_page_fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Commune of the seat").select_option(label="Tourcoing")
    page.get_by_label("Your role").select_option(label="Founder or manager")
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.get_by_text("This SIRET number is not valid: check its digits.")).to_be_visible()
    expect(page.get_by_label("Name of the organisation")).to_have_value("Studio Beffroi")
    axe(page)
    page.get_by_label("SIRET number").fill("732 829 320 00074")
    page.get_by_role("button", name="Register the organisation").click()
    page.wait_for_url(apply_url)

    apply_and_submit(page, axe, organisation="Studio Beffroi", tmp_path=tmp_path)
    expect(page.get_by_text("OK: The NAF/APE code 59.11C is accepted.")).to_be_visible()
    submit(page, axe)

    # The newcomer manages the company they registered.
    page.get_by_role("navigation", name="My space").get_by_role(
        "link", name="My organisations"
    ).click()
    row = page.get_by_role("table", name="Organisations I work for").get_by_role(
        "row", name=re.compile("Studio Beffroi")
    )
    expect(row).to_contain_text("Yes")
    axe(page)


def test_belgian_newcomer_registers_by_bce_number_and_is_eligible(
    page, axe, mailbox, call, scanner, tmp_path
):
    sign_up_and_confirm(page, mailbox, "wouter.peeters@example.be")
    open_apply_page(page, call)
    register_organisation(
        page,
        axe,
        country_link="Register a Belgian organisation (BCE/KBO number)",
        fields={
            "Name of the organisation": "Meuse Productions SRL",
            "Enterprise number (BCE/KBO)": "BE 0403.019.261",
            "NACE-BEL code": "59.111",
        },
        seat=("Region of the seat", "Wallonia"),
    )
    apply_and_submit(page, axe, organisation="Meuse Productions SRL", tmp_path=tmp_path)
    # Every automatic check passes, the activity code read from the NACE-BEL code.
    expect(page.get_by_text("OK: The NACE-BEL code 59.111 is accepted.")).to_be_visible()
    submit(page, axe)
