"""Submission: validation, the deadline by the server clock, one submission per application,
the acknowledgement of receipt (page, e-mail in the lead's language, PDF), withdrawal."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from filiere.audit.models import AuditEntry
from filiere.calls.models import (
    Application,
    Document,
    DocumentRequirement,
    DocumentType,
    Submission,
)
from filiere.calls.receipts import receipt_pdf
from filiere.calls.services import applications as app_services
from filiere.calls.services.applications import ApplyError
from filiere.calls.services.submission import (
    SubmissionRefused,
    receipt_hash,
    submit_application,
    withdraw_application,
)
from tests.calls.apply_factories import (
    DraftFactory,
    invite,
    make_complete,
    stored_document,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    # Pages are read in English (/en/…; French is the default); e-mails follow each
    # recipient's preferred language whatever the active one.
    with translation.override("en"):
        yield


def complete_draft(**kwargs):
    application = make_complete(DraftFactory(**kwargs))
    DocumentRequirement.objects.create(
        call=application.call, document_type=DocumentType.objects.get(code="synopsis")
    )
    stored_document(application)
    return application


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- Validation ---------------------------------------------------------------------------------


def test_unbalanced_financing_plan_blocks_submission_with_the_reason():
    application = complete_draft()
    application.financing.filter(kind="own_funds").update(amount=Decimal("50000"))
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(application=application, by=application.lead)
    messages = [item.message for item in refused.value.missing]
    assert any("does not balance the budget" in m for m in messages), messages
    application.refresh_from_db()
    assert application.state == "draft"
    assert not Submission.objects.exists()


def test_request_above_the_ceiling_blocks_submission():
    application = complete_draft()
    # 160 000 € asked on a budget of 320 000 €: within 50 %, above the 150 000 € ceiling.
    application.requested_amount = Decimal("160000")
    application.save()
    application.budget_lines.filter(chapter="crew").update(amount=Decimal("270000"))
    application.financing.filter(kind="this_call").update(amount=Decimal("160000"))
    application.financing.filter(kind="own_funds").update(amount=Decimal("160000"))
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(application=application, by=application.lead)
    assert [item.code for item in refused.value.missing] == ["amount.above_ceiling"]


def test_missing_required_document_blocks_submission_and_is_shown(client):
    application = complete_draft()
    application.documents.all().delete()
    client.force_login(application.lead)
    response = client.post(reverse("calls:application_submit", args=[application.pk]), follow=True)
    html = response.content.decode()
    assert "The application is not complete: 1 item(s) are missing" in html
    assert "Add the document “Synopsis”." in html


def test_infected_document_blocks_submission_pending_one_does_not():
    application = complete_draft()
    stored_document(application, code="cv", scan="infected", name="virus.pdf")
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(application=application, by=application.lead)
    assert [item.code for item in refused.value.missing] == ["apply.document_infected"]
    Document.objects.filter(original_name="virus.pdf").update(scan_status="pending")
    submission = submit_application(application=application, by=application.lead)
    assert len(submission.content["documents"]) == 2


# --- Deadline -----------------------------------------------------------------------------------


def test_submission_one_second_after_the_deadline_is_refused(monkeypatch):
    application = complete_draft()
    closes_at = application.call.closes_at
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.deadline_passed"
    assert not Submission.objects.exists()


def test_submission_one_second_before_the_deadline_is_accepted(monkeypatch):
    application = complete_draft()
    moment = application.call.closes_at - timedelta(seconds=1)
    freeze(monkeypatch, moment)
    submission = submit_application(application=application, by=application.lead)
    assert submission.submitted_at == moment
    application.refresh_from_db()
    assert (application.state, application.submitted_at) == ("submitted", moment)


def test_submission_at_the_closing_second_is_on_time(monkeypatch):
    application = complete_draft()
    freeze(monkeypatch, application.call.closes_at)
    assert submit_application(application=application, by=application.lead)


def test_after_the_deadline_the_submit_page_refuses_with_a_message(client, monkeypatch):
    application = complete_draft()
    client.force_login(application.lead)
    application.call.closes_at = timezone.now() - timedelta(seconds=1)
    application.call.opens_at = application.call.closes_at - timedelta(days=30)
    application.call.save()
    response = client.post(reverse("calls:application_submit", args=[application.pk]), follow=True)
    assert "the application can no longer be submitted" in response.content.decode()
    assert not Submission.objects.exists()


# --- One submission per application -------------------------------------------------------------


def test_double_submission_gives_exactly_one_submission():
    application = complete_draft()
    first = submit_application(application=application, by=application.lead)
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.already_submitted"
    assert list(Submission.objects.all()) == [first]


def test_pressing_submit_again_after_the_deadline_says_it_was_submitted(monkeypatch):
    """A lost answer (the connection cut after the commit) makes people press Submit again,
    maybe once the call has closed: they are told that their file is in, not that they missed
    the deadline (found by the deadline-rush benchmark, which kills a worker mid-burst)."""
    application = complete_draft()
    closes_at = application.call.closes_at
    freeze(monkeypatch, closes_at - timedelta(seconds=1))
    first = submit_application(application=application, by=application.lead)
    freeze(monkeypatch, closes_at + timedelta(seconds=2))
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.already_submitted"
    assert list(Submission.objects.all()) == [first]


def test_the_database_refuses_a_second_submission_and_the_service_says_so():
    """The race on SQLite, sequentially: the second request read the state before the first
    committed (simulated by putting the state back), so only the constraint stops it."""
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            application=application,
            arrived_at=timezone.now(),
            submitted_at=timezone.now(),
            submitted_by=application.lead,
            sha256="0" * 64,
            content={},
        )
    Application.objects.filter(pk=application.pk).update(state="draft")
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.already_submitted"
    assert Submission.objects.count() == 1
    application.refresh_from_db()
    assert application.state == "draft"  # the refused attempt changed nothing


# --- Who submits --------------------------------------------------------------------------------


def test_invited_partner_can_edit_but_cannot_submit(client):
    application = complete_draft()
    partner = UserFactory()
    invite(application, partner)
    app_services.save_project(
        application=application,
        by=partner,
        title="Titre revu par le partenaire",
        summary=application.summary,
        genre_id=application.genre_id,
        stage_id=application.stage_id,
        expected_version=application.version,
    )
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=partner)
    assert refused.value.code == "apply.only_lead_submits"
    client.force_login(partner)
    html = client.get(reverse("calls:application_step", args=[application.pk, "review"])).content
    assert "Only the lead applicant can submit the application." in html.decode()
    assert reverse("calls:application_submit", args=[application.pk]) not in html.decode()


# --- Acknowledgement of receipt -----------------------------------------------------------------


def test_receipt_hash_is_reproducible_from_the_content_and_covers_the_files():
    application = complete_draft()
    submission = submit_application(application=application, by=application.lead)
    submission.refresh_from_db()
    assert receipt_hash(submission.content) == submission.sha256
    canonical = json.dumps(
        submission.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    import hashlib

    assert hashlib.sha256(canonical.encode()).hexdigest() == submission.sha256
    document = application.documents.get()
    assert submission.content["documents"][0]["sha256"] == document.sha256
    changed = {**submission.content, "documents": [{**submission.content["documents"][0]}]}
    changed["documents"][0]["sha256"] = "f" * 64
    assert receipt_hash(changed) != submission.sha256


def test_receipt_page_and_pdf_show_the_reference_and_hash(client):
    application = complete_draft()
    submission = submit_application(application=application, by=application.lead)
    client.force_login(application.lead)
    html = client.get(reverse("calls:application_receipt", args=[application.pk])).content
    assert application.reference in html.decode() and submission.sha256 in html.decode()
    response = client.get(reverse("calls:application_receipt_pdf", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{application.reference}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert f"Reference: {application.reference}".encode() in response.content
    assert submission.sha256.encode() in response.content


def test_receipt_is_emailed_in_the_leads_language_with_the_pdf(
    django_capture_on_commit_callbacks,
):
    lead = UserFactory(preferred_language="en")
    application = complete_draft(lead=lead)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_application(application=application, by=lead)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    assert message.subject == f"Acknowledgement of receipt: {application.reference}"
    assert submission.sha256 in message.body
    # English date format in the body (Django's own locale), not the French one.
    assert timezone.localtime(submission.submitted_at).strftime("%Y") in message.body
    name, pdf, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{application.reference}.pdf", "application/pdf")
    assert pdf.startswith(b"%PDF-")


def test_receipt_email_follows_the_language_of_each_lead(django_capture_on_commit_callbacks):
    french = complete_draft(lead=UserFactory(preferred_language="fr"))
    english = complete_draft(lead=UserFactory(preferred_language="en"))
    for application in (french, english):
        with django_capture_on_commit_callbacks(execute=True):
            submit_application(application=application, by=application.lead)
    french_body, english_body = mail.outbox[0].body, mail.outbox[1].body
    from django.utils import formats, translation

    def date_in(language, application):
        with translation.override(language):
            moment = timezone.localtime(application.submission.submitted_at)
            return formats.date_format(moment, "DATE_FORMAT")

    assert date_in("fr", french) in french_body  # "25 novembre 2026"
    assert date_in("en", english) in english_body  # "Nov. 25, 2026"
    assert date_in("en", french) not in french_body


def test_pdf_is_a_real_pdf_document():
    application = complete_draft()
    submission = submit_application(application=application, by=application.lead)
    pdf = receipt_pdf(submission)
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in pdf


# --- After submission ---------------------------------------------------------------------------


def test_submitted_application_is_read_only(client):
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    with pytest.raises(ApplyError) as refused:
        app_services.save_project(
            application=application,
            by=application.lead,
            title="Changed",
            summary="",
            genre_id=None,
            stage_id=None,
            expected_version=None,
        )
    assert refused.value.code == "apply.read_only"


def test_withdrawal_until_a_decision_with_an_audited_reason(client):
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    client.force_login(application.lead)
    response = client.post(
        reverse("calls:application_withdraw", args=[application.pk]),
        {"reason": "Projet financé ailleurs", "confirm": "on"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"
    entry = AuditEntry.objects.get(action="calls.application.withdraw")
    assert (entry.reason, entry.actor) == ("Projet financé ailleurs", application.lead)
    assert (entry.data["from"], entry.data["to"]) == ("submitted", "withdrawn")


def test_withdrawal_is_refused_after_a_decision_and_for_team_members():
    application = complete_draft()
    partner = UserFactory()
    invite(application, partner)
    submit_application(application=application, by=application.lead)
    with pytest.raises(ApplyError) as refused:
        withdraw_application(application=application, by=partner)
    assert refused.value.code == "apply.only_lead_withdraws"
    Application.objects.filter(pk=application.pk).update(state="awarded")
    with pytest.raises(ApplyError) as refused:
        withdraw_application(application=application, by=application.lead)
    assert refused.value.code == "apply.not_withdrawable"
