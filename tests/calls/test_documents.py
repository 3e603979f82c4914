"""Uploads are checked by content, size and name before anything is stored; downloads go
through a permission-checked view, only for clean files, always as attachments."""

import hashlib

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import Document, DocumentType
from filiere.calls.services import documents as services
from filiere.calls.services.documents import UploadError, check_upload, clean_file_name
from tests.calls.apply_factories import (
    DraftFactory,
    docx_bytes,
    invite,
    pdf_bytes,
    stored_document,
    upload,
    zip_bomb_docx,
)
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    # Pages are read in English (/en/…; French is the default); e-mails follow each
    # recipient's preferred language whatever the active one.
    with translation.override("en"):
        yield


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"


def synopsis():
    return DocumentType.objects.get(code="synopsis")


def post_upload(client, application, name, data):
    return client.post(
        reverse("calls:document_upload", args=[application.pk]),
        {"document_type": synopsis().pk, "file": upload(name, data)},
    )


def refused(name, data) -> str:
    with pytest.raises(UploadError) as error:
        check_upload(upload(name, data), document_type=synopsis())
    return error.value.code


def test_exe_renamed_pdf_is_refused_and_nothing_is_stored(client):
    application = DraftFactory()
    client.force_login(application.lead)
    response = post_upload(client, application, "synopsis.pdf", EXE)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file&#x27;s content is not what its name says (.pdf)" in html
    assert 'aria-describedby="id_file_helptext id_file_error"' in html
    assert not Document.objects.exists()


def test_pdf_renamed_docx_is_refused_as_a_mismatch():
    assert refused("note.docx", pdf_bytes()) == "upload.extension_mismatch"


def test_executable_extension_is_refused_whatever_the_content():
    assert refused("setup.exe", pdf_bytes()) == "upload.extension_not_accepted"


def test_oversized_file_is_refused(settings):
    settings.FILIERE_UPLOAD_MAX_BYTES = 1000
    assert refused("big.pdf", pdf_bytes() + b"0" * 2000) == "upload.too_large"


def test_oversized_request_is_refused_before_its_body_is_read(client, settings):
    settings.FILIERE_UPLOAD_MAX_BYTES = 50_000
    settings.FILIERE_UPLOAD_MAX_BYTES_BY_TYPE = {}
    application = DraftFactory()
    client.force_login(application.lead)
    response = post_upload(client, application, "big.pdf", b"%PDF-1.4\n" + b"0" * 400_000)
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not Document.objects.exists()


def test_upload_handler_stops_reading_past_the_limit():
    handler = services.LimitedUploadHandler(limit=10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(services.StopUpload):
        handler.receive_data_chunk(b"678901", 5)
    assert handler.too_large


def test_zip_bomb_disguised_as_docx_is_refused(settings):
    settings.FILIERE_UPLOAD_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
    bomb = zip_bomb_docx(unpacked_mib=150)
    assert len(bomb) < 1024 * 1024  # a small file…
    assert refused("note.docx", bomb) == "upload.archive_too_large_unpacked"  # …huge unpacked


def test_highly_compressed_docx_under_the_size_limit_is_refused_by_its_ratio():
    assert refused("note.docx", zip_bomb_docx(unpacked_mib=20)) == "upload.archive_ratio"


def test_zip_that_is_not_an_office_file_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXE)
    assert refused("note.docx", buffer.getvalue()) == "upload.archive_not_office"


def test_truncated_archive_is_refused():
    assert refused("note.docx", docx_bytes()[:-40]) == "upload.corrupt_archive"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../../etc/passwd.pdf", "upload.name_traversal"),
        ("..\\..\\boot.pdf", "upload.name_traversal"),
        ("bad\x00name.pdf", "upload.name_control_characters"),
        ("line\nbreak.pdf", "upload.name_control_characters"),
        ("\u202egnp.pdf", "upload.name_control_characters"),  # right-to-left override
        ("a" * 151 + ".pdf", "upload.name_too_long"),
        ("/", "upload.name_empty"),
    ],
)
def test_dangerous_file_names_are_refused(name, code):
    with pytest.raises(UploadError) as error:
        clean_file_name(name)
    assert error.value.code == code


def test_directories_are_stripped_from_names():
    assert clean_file_name("C:\\Users\\me\\Note d'intention.pdf") == "Note d'intention.pdf"
    assert clean_file_name("/home/me/cv.pdf") == "cv.pdf"


def test_path_traversal_in_an_uploaded_name_never_reaches_the_storage(client):
    # Django's multipart parser already drops directories; the service refuses "..", and the
    # file is stored under a random name whatever the name says.
    application = DraftFactory()
    client.force_login(application.lead)
    response = post_upload(client, application, "../../settings.pdf", pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == "settings.pdf"
    assert ".." not in document.file.name and "settings" not in document.file.name


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("synopsis.pdf", pdf_bytes(), "application/pdf"),
        (
            "note.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notes.txt", "Note d'intention, été 2009\n".encode(), "text/plain; charset=utf-8"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png"),
    ],
)
def test_accepted_files_are_stored_under_a_random_name_with_their_hash(
    client, name, data, content_type
):
    application = DraftFactory()
    client.force_login(application.lead)
    response = post_upload(client, application, name, data)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_name == name
    assert document.content_type == content_type
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert name not in document.file.name
    assert document.file.name.startswith(f"applications/{application.call_id}/")
    assert document.scan_status == Document.Scan.PENDING


def test_binary_file_named_txt_is_refused():
    assert refused("notes.txt", b"abc\x00\x01def") == "upload.content_not_accepted"


def test_download_of_someone_elses_document_is_404_and_staff_may_download(client):
    document = stored_document(DraftFactory())
    client.force_login(UserFactory())
    assert client.get(reverse("calls:document_download", args=[document.pk])).status_code == 404
    client.force_login(user_with_role("staff"))
    response = client.get(reverse("calls:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_team_member_downloads_clean_files_only(client):
    application = DraftFactory()
    partner = UserFactory()
    invite(application, partner)
    clean = stored_document(application)
    pending = stored_document(application, scan="pending", name="cv.pdf", code="cv")
    client.force_login(partner)
    assert client.get(reverse("calls:document_download", args=[clean.pk])).status_code == 200
    assert client.get(reverse("calls:document_download", args=[pending.pk])).status_code == 409


def test_deleting_a_document_removes_the_stored_file(client, django_capture_on_commit_callbacks):
    application = DraftFactory()
    document = stored_document(application)
    storage, name = document.file.storage, document.file.name
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:document_delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)


def test_upload_still_requires_the_csrf_token():
    from django.test import Client

    application = DraftFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(application.lead)
    response = post_upload(client, application, "synopsis.pdf", pdf_bytes())
    assert response.status_code == 403
    assert not Document.objects.exists()
