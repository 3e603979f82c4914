"""The agreements' pages, as staff and beneficiary use them: the call's list, generate, send,
the beneficiary's page and PDF, the signed copy (uploaded, scanned by a real clamd, recorded),
the amendment with its history; the PDF in the applicant's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.awards.agreement_pdf import agreement_pdf
from filiere.awards.models import Agreement, AgreementStatus
from filiere.awards.services_agreements import generate_agreement
from tests.accounts.pagecheck import check_page
from tests.awards.factories import awarded, call_staff, open_call
from tests.awards.pages import sent_case
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db

clamd_server = _clamd.clamd_server
clamd = _clamd.clamd


def test_staff_draw_up_send_and_see_the_agreement_of_an_awarded_application(client):
    application, _ = awarded(amount=Decimal("60000"))
    staff = call_staff(application.call)
    client.force_login(staff)

    listing = client.get(reverse("awards:call_agreements", args=[application.call.slug]))
    assert application.reference in listing.content.decode()
    url = reverse("awards:generate", args=[application.call.slug, application.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="50' in form.content.decode()  # the default schedule, 50/30/20

    response = client.post(
        url,
        {
            "signature": "40",
            "mid_term": "40",
            "final_report": "20",
            "territories": ["mel", "wallonia"],
            "conditions": "Mention du fonds au générique.",
        },
    )
    agreement = Agreement.objects.get(application=application)
    assert response["Location"] == reverse("awards:agreement", args=[agreement.pk])
    assert [t.amount for t in agreement.tranches.all()] == [
        Decimal("24000.00"),
        Decimal("24000.00"),
        Decimal("12000.00"),
    ]
    assert agreement.spend_territories == ["mel", "wallonia"]

    client.post(reverse("awards:send", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT
    page = client.get(reverse("awards:agreement", args=[agreement.pk])).content.decode()
    assert "Mention du fonds au générique." in page
    # Drawn up: no longer in the list of those waiting.
    listing = client.get(reverse("awards:call_agreements", args=[application.call.slug]))
    assert reverse("awards:generate", args=[application.call.slug, application.pk]) not in (
        listing.content.decode()
    )


def test_shares_that_do_not_make_100_are_refused_on_the_form(client):
    application, _ = awarded()
    client.force_login(call_staff(application.call))
    response = client.post(
        reverse("awards:generate", args=[application.call.slug, application.pk]),
        {"signature": "50", "mid_term": "30", "final_report": "10", "territories": ["mel"]},
    )
    assert response.status_code == 400
    assert "100" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_draft_stays_with_the_staff(client):
    case = sent_case(send=False)
    client.force_login(case.lead)
    assert client.get(reverse("awards:my_agreement", args=[case.agreement.pk])).status_code == 404
    assert client.get(reverse("awards:pdf", args=[case.agreement.pk])).status_code == 404
    assert (
        case.agreement.application.reference
        not in client.get(reverse("awards:my_agreements")).content.decode()
    )


def test_the_team_reads_the_sent_agreement_and_downloads_its_pdf(client):
    case = sent_case()
    for reader in (case.lead, case.member):
        client.force_login(reader)
        assert (
            case.agreement.application.reference
            in client.get(reverse("awards:my_agreements")).content.decode()
        )
        page = client.get(reverse("awards:my_agreement", args=[case.agreement.pk]))
        assert page.status_code == 200
        pdf = client.get(reverse("awards:pdf", args=[case.agreement.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    # Only the lead is offered the upload.
    client.force_login(case.member)
    page = client.get(reverse("awards:my_agreement", args=[case.agreement.pk])).content.decode()
    assert reverse("awards:signed_copy_upload", args=[case.agreement.pk]) not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", b"quarante mille euros"),
        ("en", b"forty thousand euros"),
        ("nl", b"veertigduizend euro"),
    ],
)
def test_the_pdf_is_in_the_applicants_language(language, words):
    case = sent_case(language=language)
    assert case.agreement.language == language
    pdf = agreement_pdf(case.agreement)
    assert words in pdf
    assert case.agreement.application.reference.encode() in pdf
    assert case.agreement.application.organisation.name.encode() in pdf


def test_the_lead_uploads_the_signed_copy_it_is_scanned_and_staff_record_the_signature(
    client, clamd, django_capture_on_commit_callbacks
):
    case = sent_case()
    client.force_login(case.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:signed_copy_upload", args=[case.agreement.pk]),
            {"file": upload("convention-signee.pdf", pdf_bytes("Signed"))},
        )
    assert response["Location"] == reverse("awards:my_agreement", args=[case.agreement.pk])
    case.agreement.refresh_from_db()
    assert case.agreement.signed_copy_scan_status == "clean"
    assert case.agreement.signed_copy_name == "convention-signee.pdf"
    download = client.get(reverse("awards:signed_copy", args=[case.agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    client.force_login(case.staff)
    client.post(reverse("awards:record_signature", args=[case.agreement.pk]))
    case.agreement.refresh_from_db()
    assert case.agreement.status == AgreementStatus.SIGNED
    case.agreement.application.refresh_from_db()
    assert case.agreement.application.state == "agreement"


def test_staff_amend_and_the_history_shows_the_change(client):
    case = sent_case(amount=Decimal("40000"))
    client.force_login(case.staff)
    url = reverse("awards:amend", args=[case.agreement.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "amount": "35000",
            "spend_percent": "150",
            "spend_floor": "0",
            "territories": ["mel"],
            "conditions": "",
            "reason": "Budget revu à la baisse",
        },
    )
    assert response.status_code == 302
    case.agreement.refresh_from_db()
    assert case.agreement.amount == Decimal("35000.00")
    assert case.agreement.spend_ratio == Decimal("1.50")
    page = client.get(reverse("awards:agreement", args=[case.agreement.pk])).content.decode()
    assert "Budget revu à la baisse" in page
    assert "40000.00 → 35000" in page
    assert b"Budget revu" in agreement_pdf(case.agreement)


def test_an_amendment_without_a_reason_is_refused_on_the_form(client):
    case = sent_case()
    client.force_login(case.staff)
    response = client.post(
        reverse("awards:amend", args=[case.agreement.pk]),
        {"amount": "1000", "spend_percent": "100", "spend_floor": "0", "territories": ["mel"]},
    )
    assert response.status_code == 400
    case.agreement.refresh_from_db()
    assert case.agreement.version == 1


def test_the_calls_list_costs_the_same_queries_for_one_or_many_agreements(client):
    call = open_call()
    staff = call_staff(call)

    def one_more():
        application, _ = awarded(call)
        generate_agreement(application=application, by=staff)
        awarded(call)  # and one still waiting for its agreement

    one_more()
    client.force_login(staff)
    url = reverse("awards:call_agreements", args=[call.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        one_more()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("/agreement/") == 5  # the generate links of those waiting
    assert len(many) == len(few)


def test_every_agreement_page_has_one_heading_labelled_fields_and_no_inline_code(client):
    case = sent_case()
    application, _ = awarded(case.agreement.application.call)
    agreement = case.agreement
    client.force_login(case.staff)
    for url in (
        reverse("awards:call_agreements", args=[application.call.slug]),
        reverse("awards:generate", args=[application.call.slug, application.pk]),
        reverse("awards:agreement", args=[agreement.pk]),
        reverse("awards:amend", args=[agreement.pk]),
    ):
        check_page(client.get(url))
    client.force_login(case.lead)
    for url in (
        reverse("awards:my_agreements"),
        reverse("awards:my_agreement", args=[agreement.pk]),
    ):
        check_page(client.get(url))
