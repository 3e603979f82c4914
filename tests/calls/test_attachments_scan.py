"""Message attachments (both directions) and a call's rules PDF go through the documents' checks
and antivirus: checked by content with the extension agreeing, stored as pending, served only
once a real clamd found them clean, blocked when infected."""

import html
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from filiere.audit.models import AuditEntry
from filiere.calls.models import Message
from filiere.calls.services.design import update_call
from filiere.calls.services.documents import UploadError
from filiere.calls.services.instruction import post_message
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import EICAR, pdf_bytes, upload
from tests.calls.clamd_server import SIGNATURE_NAME
from tests.calls.design_factories import DesignCallFactory
from tests.calls.instruction_factories import ApplicationFactory, add_member
from tests.factories import user_with_role

# The real clamd (session) and its per-test configuration.
clamd_server = _clamd.clamd_server
clamd = _clamd.clamd

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    return user_with_role("staff")


def _staff_post_url(application):
    return reverse(
        "calls:staff_post_message",
        kwargs={"slug": application.call.slug, "reference": application.reference},
    )


def _staff_download_url(message):
    application = message.application
    return reverse(
        "calls:staff_message_attachment",
        kwargs={
            "slug": application.call.slug,
            "reference": application.reference,
            "pk": message.pk,
        },
    )


def _team_url(application):
    return reverse("calls:application_messages", args=[application.reference])


def _team_download_url(message):
    return reverse(
        "calls:application_message_attachment", args=[message.application.reference, message.pk]
    )


# --- what is accepted ---------------------------------------------------------------------------


def test_an_hta_file_that_starts_like_a_pdf_is_refused_from_the_team(client):
    application = ApplicationFactory()
    client.force_login(application.lead)

    response = client.post(
        _team_url(application),
        {"body": "Voici le devis.", "attachment": upload("devis.hta", b"%PDF-1.4\n<script>")},
    )

    assert response.status_code == 400
    assert "Files ending in .hta are not accepted here. Accepted: PDF, PNG, JPEG." in (
        response.content.decode()
    )
    assert "Voici le devis." in response.content.decode()  # what they typed is kept
    assert not Message.objects.exists()


def test_an_hta_file_that_starts_like_a_pdf_is_refused_from_staff(client, staff):
    application = ApplicationFactory()
    client.force_login(staff)

    response = client.post(
        _staff_post_url(application),
        {"body": "x", "attachment": upload("devis.hta", b"%PDF-1.4\n<script>")},
    )

    assert response.status_code == 400
    assert "Files ending in .hta are not accepted here." in response.content.decode()
    assert not Message.objects.exists()


def test_the_extension_must_match_the_content(client):
    application = ApplicationFactory()
    client.force_login(application.lead)

    response = client.post(
        _team_url(application), {"body": "x", "attachment": upload("photo.png", pdf_bytes())}
    )

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "The file's content is PDF, but its name ends in .png" in page
    assert not Message.objects.exists()


def test_the_service_checks_the_attachment_too(staff):
    # Whoever calls the service (a page, a future API) gets the same checks.
    application = ApplicationFactory()
    with pytest.raises(UploadError) as refused:
        post_message(
            application=application,
            by=staff,
            body="x",
            from_staff=True,
            attachment=upload("devis.hta", b"%PDF-1.4\n"),
        )
    assert refused.value.code == "upload.kind_not_accepted"
    assert not Message.objects.exists()


# --- never served before the antivirus says clean ------------------------------------------------


def test_an_unscanned_attachment_is_not_served(client, settings):
    settings.FILIERE_CLAMD_SOCKET = settings.FILIERE_CLAMD_HOST = ""  # no scanner: stays pending
    application = ApplicationFactory()
    client.force_login(application.lead)
    data = pdf_bytes("Devis")
    client.post(_team_url(application), {"body": "x", "attachment": upload("devis.pdf", data)})
    message = Message.objects.get()
    assert message.attachment_scan_status == Message.Scan.PENDING

    response = client.get(_team_download_url(message))

    assert response.status_code == 409
    assert "The antivirus has not checked this file yet." in response.content.decode()
    thread = client.get(_team_url(application)).content.decode()
    assert "devis.pdf" in thread
    assert _team_download_url(message) not in thread  # named, not linked


def test_a_clean_attachment_from_staff_is_served_to_the_team_as_an_attachment(
    client, clamd, staff, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    member = add_member(application).user
    data = pdf_bytes("Devis")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _staff_post_url(application),
            {"body": "Voir pièce jointe.", "attachment": upload("devis final.pdf", data)},
        )
    message = Message.objects.get()
    assert message.attachment_scan_status == Message.Scan.CLEAN
    assert message.attachment_content_type == "application/pdf"
    client.force_login(member)

    response = client.get(_team_download_url(message))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == 'attachment; filename="devis final.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEntry.objects.filter(action="calls.message.attachment_scan_clean").count() == 1


def test_a_clean_attachment_from_the_team_is_served_to_staff(
    client, clamd, staff, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    client.force_login(application.lead)
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_team_url(application), {"body": "x", "attachment": upload("plan.png", data)})
    message = Message.objects.get()
    client.force_login(staff)

    response = client.get(_staff_download_url(message))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == 'attachment; filename="plan.png"'


def test_an_infected_attachment_is_blocked_on_both_sides(
    client, clamd, staff, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    client.force_login(application.lead)
    infected = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _team_url(application), {"body": "x", "attachment": upload("devis.pdf", infected)}
        )
    message = Message.objects.get()
    assert message.attachment_scan_status == Message.Scan.INFECTED
    entry = AuditEntry.objects.get(action="calls.message.attachment_scan_infected")
    assert entry.data["detail"].startswith(SIGNATURE_NAME)

    team_side = client.get(_team_download_url(message))
    client.force_login(staff)
    staff_side = client.get(_staff_download_url(message))

    for response in (team_side, staff_side):
        assert response.status_code == 409
        assert "The antivirus found a virus in this file: it is blocked." in (
            response.content.decode()
        )


def test_a_stopped_scanner_leaves_the_attachment_blocked(
    client, clamd, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    client.force_login(application.lead)
    clamd.stop()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _team_url(application), {"body": "x", "attachment": upload("devis.pdf", pdf_bytes())}
        )
    message = Message.objects.get()
    assert message.attachment_scan_status == Message.Scan.ERROR
    assert client.get(_team_download_url(message)).status_code == 409


# --- the call's rules PDF ----------------------------------------------------------------------


def _replace_rules_pdf(call, name, data, capture):
    with capture(execute=True):
        update_call(call=call, by=user_with_role("staff"), data={}, rules_pdf=upload(name, data))
    call.refresh_from_db()
    return call


def test_a_new_rules_pdf_is_offered_only_once_clean(
    client, clamd, django_capture_on_commit_callbacks
):
    call = DesignCallFactory(published=True)
    data = pdf_bytes("Règlement")
    call = _replace_rules_pdf(call, "reglement.pdf", data, django_capture_on_commit_callbacks)
    assert call.rules_pdf_scan_status == "clean"

    response = client.get(reverse("calls:rules_pdf", args=[call.slug]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-rules.pdf"'
    assert (
        reverse("calls:rules_pdf", args=[call.slug])
        in client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    )


def test_an_unscanned_rules_pdf_is_neither_linked_nor_served(
    client, settings, django_capture_on_commit_callbacks
):
    settings.FILIERE_CLAMD_SOCKET = settings.FILIERE_CLAMD_HOST = ""
    call = DesignCallFactory(published=True)
    call = _replace_rules_pdf(
        call, "reglement.pdf", pdf_bytes(), django_capture_on_commit_callbacks
    )
    assert call.rules_pdf_scan_status == "pending"

    response = client.get(reverse("calls:rules_pdf", args=[call.slug]))

    assert response.status_code == 409
    assert "The antivirus has not checked this file yet." in response.content.decode()
    page = client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    assert reverse("calls:rules_pdf", args=[call.slug]) not in page


def test_an_infected_rules_pdf_is_blocked(client, clamd, django_capture_on_commit_callbacks):
    call = DesignCallFactory(published=True)
    infected = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"
    call = _replace_rules_pdf(call, "reglement.pdf", infected, django_capture_on_commit_callbacks)
    assert call.rules_pdf_scan_status == "infected"
    response = client.get(reverse("calls:rules_pdf", args=[call.slug]))
    assert response.status_code == 409
    assert "found a virus" in response.content.decode()


def test_a_rules_file_named_hta_is_refused_even_if_it_starts_like_a_pdf(client):
    from tests.calls.test_design import _call_form
    from tests.factories import FundFactory

    client.force_login(user_with_role("staff"))
    fund = FundFactory()
    response = client.post(
        reverse("calls:design_call_create"),
        {**_call_form(fund), "rules_pdf": upload("rules.hta", b"%PDF-1.4\n<script>")},
    )
    assert response.status_code == 200
    assert "The rules must be a PDF file." in response.content.decode()


# --- files stored while no scanner answered ------------------------------------------------------


def test_scan_pending_files_clears_what_waited_for_the_scanner(
    client, settings, clamd, django_capture_on_commit_callbacks
):
    socket_path = settings.FILIERE_CLAMD_SOCKET
    settings.FILIERE_CLAMD_SOCKET = ""  # stored while no scanner is configured
    application = ApplicationFactory()
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _team_url(application), {"body": "x", "attachment": upload("a.pdf", pdf_bytes())}
        )
    call = _replace_rules_pdf(
        DesignCallFactory(published=True),
        "reglement.pdf",
        b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n",
        django_capture_on_commit_callbacks,
    )
    message = Message.objects.get()
    assert (message.attachment_scan_status, call.rules_pdf_scan_status) == ("pending", "pending")

    settings.FILIERE_CLAMD_SOCKET = socket_path
    out = io.StringIO()
    call_command("scan_pending_files", stdout=out)

    message.refresh_from_db()
    call.refresh_from_db()
    assert message.attachment_scan_status == "clean"
    assert call.rules_pdf_scan_status == "infected"
    assert "attachment: 1 scanned (1 clean)" in out.getvalue()
    assert "rules_pdf: 1 scanned (1 infected)" in out.getvalue()
    assert client.get(_team_download_url(message)).status_code == 200
