"""Antivirus with a real clamd: EICAR is infected and never served, a clean PDF is served, a
stopped scanner gives "error" (not clean), and without a scanner files stay pending."""

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import Document
from filiere.calls.services.scanning import ClamdClient, Verdict, parse_reply, scan_document
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import EICAR, DraftFactory, pdf_bytes, upload
from tests.calls.clamd_server import SIGNATURE_NAME, ClamdServer

# The real clamd (session) and its per-test configuration.
clamd_server = _clamd.clamd_server
clamd = _clamd.clamd

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    # Pages are read in English (/en/…; French is the default); e-mails follow each
    # recipient's preferred language whatever the active one.
    with translation.override("en"):
        yield


def _upload(client, application, name, data, captured):
    with captured(execute=True):
        response = client.post(
            reverse("calls:document_upload", args=[application.pk]),
            {"document_type": _type("synopsis").pk, "file": upload(name, data)},
        )
    return response


def _type(code):
    from filiere.calls.models import DocumentType

    return DocumentType.objects.get(code=code)


def test_eicar_in_a_text_file_is_infected_and_never_served(
    client, clamd, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    client.force_login(application.lead)
    response = _upload(
        client, application, "notes.txt", EICAR + b"\n", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.scan_status == Document.Scan.INFECTED
    download = client.get(reverse("calls:document_download", args=[document.pk]))
    assert download.status_code == 409
    assert "found a virus" in download.content.decode()
    from filiere.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="calls.document.scan_infected")
    assert entry.data["detail"].startswith(SIGNATURE_NAME)


def test_clean_pdf_is_clean_and_served_as_an_attachment(
    client, clamd, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    client.force_login(application.lead)
    data = pdf_bytes()
    _upload(client, application, "synopsis.pdf", data, django_capture_on_commit_callbacks)
    document = Document.objects.get()
    assert document.scan_status == Document.Scan.CLEAN
    response = client.get(reverse("calls:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == 'attachment; filename="synopsis.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_scanner_stopped_gives_error_and_the_file_is_not_served(
    client, clamd, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    client.force_login(application.lead)
    clamd.stop()
    try:
        _upload(
            client, application, "synopsis.pdf", pdf_bytes(), django_capture_on_commit_callbacks
        )
        document = Document.objects.get()
        assert document.scan_status == Document.Scan.ERROR
        response = client.get(reverse("calls:document_download", args=[document.pk]))
        assert response.status_code == 409
        assert "could not check this file" in response.content.decode()
    finally:
        clamd.start()
    # Once the scanner is back, a rescan clears the file.
    assert scan_document(document_id=document.pk) == Document.Scan.CLEAN


def test_without_a_scanner_files_stay_pending_and_are_not_served(
    client, settings, django_capture_on_commit_callbacks
):
    settings.FILIERE_CLAMD_SOCKET = ""
    settings.FILIERE_CLAMD_HOST = ""
    application = DraftFactory()
    client.force_login(application.lead)
    _upload(client, application, "synopsis.pdf", pdf_bytes(), django_capture_on_commit_callbacks)
    document = Document.objects.get()
    assert document.scan_status == Document.Scan.PENDING
    response = client.get(reverse("calls:document_download", args=[document.pk]))
    assert response.status_code == 409
    assert "has not checked this file yet" in response.content.decode()


def test_client_speaks_instream_over_tcp_errors_when_nothing_listens():
    result = ClamdClient(host="127.0.0.1", port=1, timeout=2).scan_chunks([b"data"])
    assert result.verdict is Verdict.ERROR


def test_client_scans_large_streams_in_chunks(clamd):
    client = ClamdClient(socket_path=clamd.socket_path)
    assert client.scan_chunks([b"a" * 200_000, b"b" * 100_000]).verdict is Verdict.CLEAN
    # The marker split across two chunks is still found (clamd scans the whole stream).
    half = len(EICAR) // 2
    result = client.scan_chunks([b"x" * 70_000 + EICAR[:half], EICAR[half:]])
    assert result.verdict is Verdict.INFECTED


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ("stream: OK", Verdict.CLEAN),
        ("stream: Eicar-Signature FOUND", Verdict.INFECTED),
        ("INSTREAM size limit exceeded. ERROR", Verdict.ERROR),
        ("", Verdict.ERROR),
        ("something else", Verdict.ERROR),
    ],
)
def test_replies_other_than_ok_are_never_clean(reply, verdict):
    assert parse_reply(reply).verdict is verdict


def test_server_fixture_class_is_reusable(tmp_path):
    server = ClamdServer(tmp_path)
    config = server.write_config().read_text()
    assert f"LocalSocket {server.socket_path}" in config
    assert "Foreground yes" in config
