"""An award followed to its end in a browser, every page under axe-core (issue #12, "Done
means"): from a confirmed award decision, a staff member of the call draws up the agreement and
sends it; the team lead downloads its PDF and uploads the signed copy (a real PDF, scanned by a
real clamd); the staff record the signature and move the final report's due date with a
reason; the lead asks for the first tranche with a proof, two different staff members approve
it, the payment is recorded; the lead declares invoices (inside and outside the agreement's
territories, one of them with the keyboard only) and reads the ratio after each one;
the mid-term and final reports are handed in and accepted, the mid-term tranche paid; the final
tranche is asked for and comes out reduced exactly as ``engine.awards.regional_spend`` says,
with its computation shown; it is paid; the staff close the agreement; the open-data files,
fetched anonymously, carry the award with its amount and what was disbursed; the lead presents
the project in the showcase, the staff approve it, and a visitor finds it in the gallery.

Each person uses a browser of their own and signs in through the real forms (the staff with
their authenticator). Every browser fails the test on a console error, an uncaught exception or
a CSP violation (see conftest)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as Pillow
from playwright.sync_api import expect

from filiere.awards.models import Agreement, PaymentRequest, Report, Tranche
from filiere.awards.phrases_follow_up import spend_steps
from filiere.calls.models import Application
from filiere.engine import awards as rules
from filiere.engine.identifiers import make_siren, make_siret
from tests.awards.factories import awarded, open_call
from tests.browser.flow_steps import checked, images_loaded
from tests.browser.follow_up_steps import a_pdf, eur, people, sign_in, staff_of
from tests.calls import clamd_server as _clamd
from tests.factories import UserFactory

# The real clamd of tests/calls (started once per session) as the platform's scanner.
clamd_server = _clamd.clamd_server
clamd = _clamd.clamd
__all__ = ["clamd", "clamd_server", "people"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AWARD = Decimal("40000")
TITLE = "Les terrils en réalité augmentée"
SHOWN_TITLE = "Terrils augmentés"
PREFIX = "360G-filiere"
# The invoices: (supplier, SIRET or BCE, place, amount excluding VAT). Tourcoing is in the Métropole
# Européenne de Lille, one of the agreement's territories; Wallonia and a French supplier
# outside the listed communes are not.
INSIDE = ("Studio du Nord", make_siret(make_siren("73282932"), "0007"), "Tourcoing", "36000")
WALLOON = ("Atelier de Mons", "0403019261", "Wallonia", "5000")
ELSEWHERE = ("Son de Paris", make_siret(make_siren("55210055"), "0040"), "", "3000")


@pytest.fixture
def stage(settings):
    settings.FILIERE_OPEN_DATA_PUBLISHER_NAME = "Pôle Images"
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = "00000000000018"
    settings.FILIERE_OPEN_DATA_360G_PREFIX = PREFIX
    cache.clear()  # the open-data files are cached per version
    call = open_call()
    lead = UserFactory(email="lead@example.org", preferred_language="fr")
    application, _decision = awarded(call, amount=AWARD, lead=lead, title=TITLE)
    return {
        "call": call,
        "application": application,
        "lead": lead,
        "staff": staff_of(call, email="anne.staff@example.org", first_name="Anne"),
        "second": staff_of(call, email="bruno.staff@example.org", first_name="Bruno"),
    }


# --- steps --------------------------------------------------------------------------------------


def _go(page, axe, name: str, *args: object) -> None:
    page.goto(reverse(f"awards:{name}", args=args))
    checked(axe, page)


def _tranche(page, label: str):
    """A tranche's section (its heading starts with the tranche's label)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(label)} — "))


def _ask_for_tranche(page, axe, agreement_pk: int, label: str, proof) -> None:
    _go(page, axe, "my_payments", agreement_pk)
    section = _tranche(page, label)
    section.get_by_label(re.compile("^Proofs")).set_input_files(proof)
    section.get_by_role("button", name=f"Ask for the tranche “{label}”").click()
    expect(
        page.get_by_text("The payment is asked for: the staff check your proofs.")
    ).to_be_visible()
    checked(axe, page)
    # The antivirus ran once the request was stored: the proof is offered for download.
    expect(_tranche(page, label).get_by_role("link", name=proof.name)).to_be_visible()


def _approve_twice_and_pay(first, second, axe, agreement_pk: int, label: str) -> None:
    _go(first, axe, "payments", agreement_pk)
    _tranche(first, label).get_by_role("button", name="Approve").click()
    expect(
        first.get_by_text("Approval recorded: another staff member must approve.")
    ).to_be_visible()
    checked(axe, first)
    # Nobody approves twice: the same person's second click is refused.
    _tranche(first, label).get_by_role("button", name="Approve").click()
    expect(first.get_by_text("You have already approved this payment")).to_be_visible()

    # The second staff member finds it among the payments awaiting a decision.
    _go(second, axe, "payments_pending")
    waiting = second.get_by_role("table", name="Requests to approve or to pay").get_by_role("row")
    waiting = waiting.filter(has_text=label)
    expect(waiting).to_contain_text("Approved once, awaiting a second approval")
    waiting.get_by_role("link").click()
    expect(second.get_by_role("heading", level=1)).to_contain_text("Payments of")
    checked(axe, second)
    _tranche(second, label).get_by_role("button", name="Approve").click()
    expect(second.get_by_text("Second approval recorded: the payment can be made.")).to_be_visible()
    checked(axe, second)
    section = _tranche(second, label)
    expect(section.get_by_label(re.compile("^Date of the payment"))).to_have_value(
        timezone.localdate().isoformat()
    )
    section.get_by_role("button", name="Record the payment").click()
    expect(second.get_by_text("The payment is recorded.")).to_be_visible()
    checked(axe, second)


def _hand_in_report(page, axe, agreement_pk: int, kind: str, path) -> None:
    _go(page, axe, "my_reports", agreement_pk)
    section = page.get_by_role("region", name=f"Hand in the {kind}")
    section.get_by_label(re.compile("^Report")).set_input_files(path)
    section.get_by_role("button", name=f"Submit the {kind}").click()
    expect(
        page.get_by_text("The report was received; the antivirus checks it now.")
    ).to_be_visible()
    checked(axe, page)
    reports = page.get_by_role("table", name="Reports")
    expect(reports.get_by_role("link", name=path.name)).to_be_visible()  # scanned: clean


def _accept_report(page, axe, agreement_pk: int, kind: str) -> None:
    _go(page, axe, "reports", agreement_pk)
    page.get_by_role("button", name=f"Accept the {kind}").click()
    expect(page.get_by_text("The report is accepted.")).to_be_visible()
    row = page.get_by_role("table", name="Reports").get_by_role("row").filter(has_text=kind)
    expect(row).to_contain_text("Accepted")
    checked(axe, page)


def _declare(page, invoice, category: str) -> None:
    """Fill the invoice form with the mouse, as most people do."""
    supplier, number, place, amount = invoice
    page.get_by_label("Supplier (required)", exact=True).fill(supplier)
    page.get_by_label(re.compile("^Supplier's SIRET")).fill(number)
    if place == "Wallonia":
        page.get_by_label("Supplier's region (Belgium)").select_option(label=place)
    elif place:
        page.get_by_label("Supplier's commune (France)").select_option(label=place)
    page.get_by_label(re.compile(r"^Amount excluding VAT")).fill(amount)
    page.get_by_label(re.compile("^Category")).select_option(label=category)
    page.get_by_role("button", name="Add the invoice").click()
    expect(page.get_by_text("The invoice is added to the ledger.")).to_be_visible()


def _declare_with_the_keyboard(page, invoice) -> None:
    """The same form with the keyboard only: Tab from field to field in the page's order (the
    places left empty: a French supplier outside the listed communes), Enter to send."""
    supplier, number, _place, amount = invoice
    page.get_by_label("Supplier (required)", exact=True).focus()
    page.keyboard.type(supplier)
    for label, text in (
        (re.compile("^Supplier's SIRET"), number),
        ("Supplier's commune (France)", None),
        ("Supplier's region (Belgium)", None),
        (re.compile(r"^Amount excluding VAT"), amount),
        (re.compile("^Category"), None),
        ("Invoice number", "F-2026-118"),
    ):
        page.keyboard.press("Tab")
        expect(page.get_by_label(label)).to_be_focused()
        if text is not None:
            page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.get_by_text("The invoice is added to the ledger.")).to_be_visible()


def _achieved(page, percent: str) -> None:
    expect(page.get_by_role("region", name="Regional spend achieved")).to_contain_text(
        re.compile(rf"^{percent}[\s\u00a0]%\s+of the award spent in the eligible territories", re.M)
    )


def _expected_final() -> tuple[rules.SpendOutcome, list[str]]:
    """The engine's own verdict on the invoices declared, and its steps in words."""
    rule = rules.SpendRule(required_ratio=Decimal("1.00"))
    lines = [
        rules.SpendLine(amount=Decimal(INSIDE[3]), eligible=True),
        rules.SpendLine(amount=Decimal(WALLOON[3]), eligible=False),
        rules.SpendLine(amount=Decimal(ELSEWHERE[3]), eligible=False),
    ]
    outcome = rules.regional_spend(AWARD, AWARD * Decimal("0.20"), lines, rule)
    with translation.override("fr"):
        return outcome, spend_steps(outcome, rule)


# --- the flow -----------------------------------------------------------------------------------


def test_an_award_is_followed_from_its_agreement_to_its_closure_and_published(
    page, axe, people, stage, clamd, tmp_path
):
    call, application, lead = stage["call"], stage["application"], stage["lead"]
    (anne, anne_secret), (bruno, bruno_secret) = stage["staff"], stage["second"]
    outcome, steps = _expected_final()
    # What the test expects of the engine: 36 000 € of the 40 000 € required, 4 000 € missing,
    # the final tranche of 8 000 € loses 4 000 €.
    assert (outcome.eligible_spend, outcome.shortfall) == (Decimal("36000"), Decimal("4000"))
    assert (outcome.final_tranche_before, outcome.final_tranche) == (
        Decimal("8000"),
        Decimal("4000"),
    )

    staff = page  # Anne's browser
    sign_in(staff, axe, anne, anne_secret)
    beneficiary = people.page()
    sign_in(beneficiary, axe, lead)
    second = people.page()
    sign_in(second, axe, bruno, bruno_secret)

    # 1. Anne draws up the agreement from the call's list of awards without one, then sends it.
    _go(staff, axe, "call_agreements", call.slug)
    staff.get_by_role("row").filter(has_text=application.reference).get_by_role(
        "link", name="Draw up the agreement"
    ).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        f"Agreement for {application.reference}"
    )
    checked(axe, staff)
    territories = staff.get_by_role("group", name=re.compile("^Territories where"))
    expect(territories.get_by_label("Métropole Européenne de Lille")).to_be_checked()
    expect(territories.get_by_label("Wallonie")).not_to_be_checked()
    staff.get_by_role("button", name="Draw up the agreement").click()
    expect(
        staff.get_by_text("The agreement is drawn up: read its PDF, then send it.")
    ).to_be_visible()
    checked(axe, staff)
    agreement = Agreement.objects.get(application=application)
    schedule = staff.get_by_role("table", name="Schedule of payments")
    for label, amount in (
        ("At signature", "20000"),
        ("At mid-term", "12000"),
        ("On the final report", "8000"),
    ):
        expect(schedule.get_by_role("row").filter(has_text=label)).to_contain_text(eur(amount))
    staff.get_by_role("button", name="Send the agreement to the beneficiary").click()
    expect(staff.get_by_text("The agreement is sent: the beneficiary can sign it.")).to_be_visible()
    checked(axe, staff)
    assert any(lead.email in message.to for message in mail.outbox)

    # 2. The lead downloads the agreement, signs it and uploads the signed copy: a real PDF,
    # which the antivirus finds clean.
    _go(beneficiary, axe, "my_agreements")
    beneficiary.get_by_role("link", name=re.compile(re.escape(application.reference))).click()
    expect(beneficiary.get_by_role("heading", name="Sign the agreement")).to_be_visible()
    checked(axe, beneficiary)
    with beneficiary.expect_download() as downloaded:
        beneficiary.get_by_role("link", name="Download the agreement (PDF, FR)").click()
    downloaded.value.save_as(tmp_path / "agreement.pdf")
    agreement_pdf = (tmp_path / "agreement.pdf").read_bytes()
    assert agreement_pdf.startswith(b"%PDF")
    signed = a_pdf(tmp_path, "convention-signee.pdf", "Lu et approuve, signe.")
    beneficiary.get_by_label(re.compile("^Signed agreement")).set_input_files(signed)
    beneficiary.get_by_role("button", name="Upload the signed copy").click()
    expect(
        beneficiary.get_by_text("The signed copy was received; the antivirus checks it now.")
    ).to_be_visible()
    expect(beneficiary.get_by_text("convention-signee.pdf — Checked")).to_be_visible()
    checked(axe, beneficiary)

    # 3. Anne reads the signed copy and records the signature: the reports are scheduled.
    _go(staff, axe, "agreement", agreement.pk)
    with staff.expect_download() as copy:
        staff.get_by_role("link", name="Download the signed copy").click()
    copy.value.save_as(tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes() == signed.read_bytes()
    staff.get_by_role("button", name="Record the signature").click()
    expect(staff.get_by_text("The signature is recorded.")).to_be_visible()
    checked(axe, staff)
    application.refresh_from_db()
    assert application.state == "agreement"

    # Anne grants the final report three more months, with the reason.
    _go(staff, axe, "reports", agreement.pk)
    final_report = Report.objects.get(agreement=agreement, kind="final")
    later = final_report.due_on + timedelta(days=90)
    change = staff.get_by_role("region", name="Change the due date of the Final report")
    change.get_by_label(re.compile("^New due date")).fill(later.isoformat())
    change.get_by_label(re.compile("^Reason for the change")).fill(
        "Tournage décalé d'un trimestre."
    )
    change.get_by_role("button", name="Change the due date of the Final report").click()
    expect(staff.get_by_text("The report's due date is changed.")).to_be_visible()
    checked(axe, staff)
    assert Report.objects.get(pk=final_report.pk).due_on == later

    # 4. The first tranche: asked for with a proof, approved by Anne then Bruno, paid.
    _ask_for_tranche(
        beneficiary, axe, agreement.pk, "At signature", a_pdf(tmp_path, "rib.pdf", "RIB")
    )
    _approve_twice_and_pay(staff, second, axe, agreement.pk, "At signature")
    expect(_tranche(second, "At signature")).to_contain_text(re.compile(r"Status: Paid —"))
    application.refresh_from_db()
    assert application.state == "in_payment"

    # 5. The lead declares the invoices; the ratio is computed again after each one.
    _go(beneficiary, axe, "my_spend", agreement.pk)
    _achieved(beneficiary, "0")
    _declare(beneficiary, WALLOON, "Post-production")
    _achieved(beneficiary, "0")
    checked(axe, beneficiary)
    _declare(beneficiary, INSIDE, "Crew and technicians")
    _achieved(beneficiary, "90")
    checked(axe, beneficiary)
    _declare_with_the_keyboard(beneficiary, ELSEWHERE)
    _achieved(beneficiary, "90")
    checked(axe, beneficiary)
    ledger = beneficiary.get_by_role("table", name="Invoices declared")
    for supplier, _number, _place, _amount in (INSIDE, WALLOON, ELSEWHERE):
        # "Yes" and "No" are Django's own words: French on these pages.
        counts = "Oui" if supplier == INSIDE[0] else "Non"
        expect(
            ledger.get_by_role("row").filter(has_text=supplier).get_by_role("cell").nth(5)
        ).to_have_text(counts)
    spend = beneficiary.get_by_role("region", name="Regional spend achieved")
    for step in steps:
        expect(spend).to_contain_text(step)
    expect(spend).to_contain_text(
        re.compile(r"the final tranche would be 4[\s\u00a0\u202f]000[\s\u00a0\u202f]€ instead of 8")
    )

    # 6. The mid-term report, accepted; the mid-term tranche, paid.
    _hand_in_report(
        beneficiary,
        axe,
        agreement.pk,
        "Mid-term report",
        a_pdf(tmp_path, "mi-parcours.pdf", "Bilan"),
    )
    _accept_report(staff, axe, agreement.pk, "Mid-term report")
    _ask_for_tranche(
        beneficiary, axe, agreement.pk, "At mid-term", a_pdf(tmp_path, "etat.pdf", "Etat")
    )
    _approve_twice_and_pay(staff, second, axe, agreement.pk, "At mid-term")

    # 7. The final report, accepted; the final tranche asked for: reduced as the engine says.
    _hand_in_report(
        beneficiary, axe, agreement.pk, "Final report", a_pdf(tmp_path, "final.pdf", "Fin")
    )
    _accept_report(staff, axe, agreement.pk, "Final report")
    _ask_for_tranche(
        beneficiary, axe, agreement.pk, "On the final report", a_pdf(tmp_path, "solde.pdf", "Solde")
    )
    final = PaymentRequest.objects.get(tranche__agreement=agreement, tranche__position=2)
    assert final.amount == outcome.final_tranche
    requests = _tranche(beneficiary, "On the final report").get_by_role("table")
    expect(requests.get_by_role("row").nth(1).get_by_role("cell").nth(1)).to_have_text(
        eur(outcome.final_tranche)
    )
    expect(requests).to_contain_text("How the final tranche was computed")
    for step in steps:
        expect(requests).to_contain_text(step)
    # The ledger is frozen once the final tranche is asked for.
    _go(beneficiary, axe, "my_spend", agreement.pk)
    expect(
        beneficiary.get_by_text("The final tranche has been asked for: the ledger is closed.")
    ).to_be_visible()
    expect(beneficiary.get_by_role("button", name="Add the invoice")).to_have_count(0)

    # The staff read the same ledger and computation.
    _go(staff, axe, "spend", agreement.pk)
    for step in steps:
        expect(staff.get_by_role("region", name="Regional spend achieved")).to_contain_text(step)

    _approve_twice_and_pay(staff, second, axe, agreement.pk, "On the final report")
    expect(_tranche(second, "On the final report")).to_contain_text(
        re.compile(r"Status: Paid, reduced — 4[\s\u00a0\u202f]000[\s\u00a0\u202f]€ paid")
    )
    for step in steps:
        expect(_tranche(second, "On the final report")).to_contain_text(step)
    last = Tranche.objects.get(agreement=agreement, position=2)
    assert (last.status, last.paid_amount) == ("reduced", Decimal("4000.00"))

    # 8. Anne closes the project: nothing to recover.
    _go(staff, axe, "reports", agreement.pk)
    expect(
        staff.get_by_text(
            re.compile(
                r"Awarded: 40[\s\u00a0\u202f]000[\s\u00a0\u202f]€; paid: 36[\s\u00a0\u202f]000"
            )
        )
    ).to_be_visible()
    staff.get_by_role("button", name="Close the project").click()
    expect(staff.get_by_text("The project is closed.")).to_be_visible()
    expect(staff.get_by_text(re.compile("The project was closed on"))).to_be_visible()
    checked(axe, staff)
    assert Application.objects.get(pk=application.pk).state == "closed"
    _go(beneficiary, axe, "my_reports", agreement.pk)
    expect(beneficiary.get_by_text("The project is closed.")).to_be_visible()
    _go(beneficiary, axe, "my_agreements")
    expect(beneficiary.get_by_role("row").filter(has_text=application.reference)).to_contain_text(
        "Closed"
    )

    # 9. The open data, read by anyone: the award with its amount and what it disbursed.
    visitor = people.page()
    visitor.goto(reverse("opendata:dataset"))
    checked(axe, visitor)
    csv_file = visitor.request.get(reverse("opendata:scdl"))
    assert csv_file.ok, csv_file.status
    rows = [
        row
        for row in csv.DictReader(io.StringIO(csv_file.text()))
        if row["referenceDecision"] == application.reference
    ]
    assert len(rows) == 1, rows
    assert rows[0]["montant"] == "40000.00"
    assert rows[0]["idBeneficiaire"] == application.organisation.siret
    assert rows[0]["dateConvention"] == timezone.localdate().isoformat()
    assert rows[0]["conditionsVersement"] == "échelonné"

    giving = visitor.request.get(reverse("opendata:360giving"))
    assert giving.ok, giving.status
    grants = {grant["id"]: grant for grant in json.loads(giving.text())["grants"]}
    grant = grants[f"{PREFIX}-{application.reference}"]
    assert grant["amountAwarded"] == 40000
    assert grant["amountDisbursed"] == 36000  # 20 000 + 12 000 + the reduced 4 000
    assert grant["title"] == TITLE

    # 10. The lead presents the closed project in the public showcase, with an image that the
    # real clamd checks; Anne approves the page; a visitor finds it in the gallery, with the
    # amount awarded and the project's status taken from the records, not typed by the team.
    _go(beneficiary, axe, "my_agreement", agreement.pk)
    beneficiary.get_by_role("link", name="Present the project in the public showcase").click()
    expect(beneficiary.get_by_label("Public title")).to_be_visible()
    checked(axe, beneficiary)
    beneficiary.get_by_label("Public title").fill(SHOWN_TITLE)
    # Django's own catalogue already says "Résumé" for "Summary" (ours are off in tests).
    beneficiary.get_by_label(re.compile("^(Summary|Résumé)")).fill(
        "Trois terrils du bassin minier racontés en réalité augmentée."
    )
    beneficiary.get_by_role("button", name="Save the page").click()
    expect(beneficiary.get_by_text("Your page is saved. Submit it for approval.")).to_be_visible()
    still = tmp_path / "terril.png"
    Pillow.new("RGB", (64, 48), (90, 70, 50)).save(still, "PNG")
    beneficiary.get_by_label(re.compile(r"^Image\s")).set_input_files(still)
    beneficiary.get_by_label("Text alternative").fill("Un terril au coucher du soleil")
    beneficiary.get_by_role("button", name="Add the image").click()
    expect(beneficiary.get_by_text("The image is added; the antivirus checks it.")).to_be_visible()
    beneficiary.get_by_role("button", name="Submit for approval").click()
    expect(
        beneficiary.get_by_text("Your page is submitted: the fund's staff will read it.")
    ).to_be_visible()
    checked(axe, beneficiary)

    staff.goto(reverse("showcase:moderation", args=[stage["call"].slug]))
    checked(axe, staff)
    staff.get_by_role("link", name=application.reference).click()
    staff.get_by_role("button", name="Approve and publish").click()
    expect(staff.get_by_text("The page is published.")).to_be_visible()
    checked(axe, staff)

    visitor.goto(reverse("showcase:gallery"))
    checked(axe, visitor)
    visitor.get_by_role("link", name=SHOWN_TITLE).click()
    expect(visitor.get_by_role("heading", level=1, name=SHOWN_TITLE)).to_be_visible()
    expect(visitor.get_by_role("img", name="Un terril au coucher du soleil")).to_be_visible()
    images_loaded(visitor)
    expect(visitor.locator("main")).to_contain_text(eur("40000"))
    expect(visitor.locator("main")).to_contain_text("Completed")
    expect(visitor.locator("main")).to_contain_text(application.organisation.name)
    checked(axe, visitor)
