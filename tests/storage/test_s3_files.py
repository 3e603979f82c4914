"""What users notice with the uploads in an S3 bucket (FILIERE_STORAGE=s3): the same pages as
on disk. An applicant's document lands in the bucket under a random name, private; the real
antivirus reads it back from the bucket; the team and the staff download the same bytes through
the permission-checked view, anyone else gets 404; deleting the document, or the account that
led the draft, deletes the object; a showcase image is stored, scanned and served; the ZIP of a
call's documents is built from the bucket into the bucket and downloaded whole."""

import hashlib
import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import Document, DocumentType, ExportJob
from filiere.calls.services.scanning import scan_document
from filiere.privacy import services as privacy
from filiere.showcase import services as showcase
from filiere.showcase.models import Entry, Image
from tests.accounts.factories import user_with_role
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import DraftFactory, pdf_bytes, upload
from tests.factories import ApplicationFactory, CallFactory, UserFactory, add_document
from tests.showcase.factories import draft, funded, image_bytes, png_upload

# The real clamd (one per session) and its per-test configuration.
clamd_server = _clamd.clamd_server
clamd = _clamd.clamd

pytestmark = pytest.mark.django_db

RANDOM_KEY = re.compile(r"^filiere/applications/\d+/[0-9a-f]{32}$")


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


def _upload_page(client, application, name, data):
    return client.post(
        reverse("calls:document_upload", args=[application.pk]),
        {
            "document_type": DocumentType.objects.get(code="synopsis").pk,
            "file": upload(name, data),
        },
    )


def _download(client, document):
    return client.get(reverse("calls:document_download", args=[document.pk]))


def test_an_uploaded_document_is_stored_scanned_and_served_from_the_bucket(
    client, bucket, clamd, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    client.force_login(application.lead)
    data = pdf_bytes("Synopsis sur S3")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload_page(client, application, "synopsis-secret.pdf", data)
    assert response.status_code == 302

    # In the bucket, under the prefix and a random name: never the user's file name.
    document = Document.objects.get()
    (key,) = bucket.object_keys()
    assert RANDOM_KEY.match(key), key
    assert key == bucket.prefix + document.file.name
    assert "synopsis" not in key
    assert bucket.read(key) == data
    assert hashlib.sha256(bucket.read(key)).hexdigest() == document.sha256
    # Private: no grant to everyone, and no link to the bucket handed out anywhere.
    grants = bucket.acl_grants(key)
    assert not [g for g in grants if "AllUsers" in str(g["Grantee"].get("URI", ""))]
    assert "X-Amz-Signature" not in document.file.url

    # The antivirus read it back from the bucket (clamd gets the bytes streamed, never a path).
    assert document.scan_status == Document.Scan.CLEAN

    # The lead and the staff download the same bytes through the view, as an attachment.
    for user in (application.lead, user_with_role("staff")):
        client.force_login(user)
        response = _download(client, document)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["Content-Disposition"] == 'attachment; filename="synopsis-secret.pdf"'
        assert response["Content-Length"] == str(len(data))

    # The lead of another application: 404, as for a document that does not exist.
    client.force_login(DraftFactory().lead)
    assert _download(client, document).status_code == 404
    client.logout()
    assert _download(client, document).status_code == 302  # to the sign-in page


def test_without_a_scanner_the_document_stays_pending_and_is_not_served(
    client, bucket, settings, django_capture_on_commit_callbacks
):
    settings.FILIERE_CLAMD_SOCKET = settings.FILIERE_CLAMD_HOST = ""
    application = DraftFactory()
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        _upload_page(client, application, "synopsis.pdf", pdf_bytes())
    document = Document.objects.get()
    assert document.scan_status == Document.Scan.PENDING
    assert len(bucket.object_keys()) == 1
    assert _download(client, document).status_code == 409


def test_a_document_read_by_the_scanner_after_its_object_vanished_is_an_error(bucket, clamd):
    # An object deleted behind the platform's back: storages says FileNotFoundError, as the
    # disk would, and the scan records "error" (never clean) instead of failing.
    document = add_document(DraftFactory(), scan="pending", data=pdf_bytes())
    bucket.client.delete_object(Bucket=bucket.name, Key=bucket.prefix + document.file.name)
    assert scan_document(document_id=document.pk) == Document.Scan.ERROR


def test_deleting_a_document_deletes_its_object(client, bucket, django_capture_on_commit_callbacks):
    application = DraftFactory()
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        _upload_page(client, application, "first.pdf", pdf_bytes("one"))
        _upload_page(client, application, "second.pdf", pdf_bytes("two"))
    first, second = Document.objects.order_by("pk")
    assert len(bucket.object_keys()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:document_delete", args=[first.pk]))
    assert response.status_code == 302
    assert bucket.object_keys() == [bucket.prefix + second.file.name]


def test_deleting_an_account_deletes_the_objects_of_its_drafts(
    bucket, django_capture_on_commit_callbacks
):
    user = UserFactory()
    draft_file = add_document(ApplicationFactory(lead=user, state="draft"), data=pdf_bytes())
    submitted = add_document(ApplicationFactory(lead=user, state="rejected"), data=pdf_bytes())
    assert len(bucket.object_keys()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_account(user=user, by=user)
    assert not Document.objects.filter(pk=draft_file.pk).exists()
    # The documents of a submitted file are legal records: they stay.
    assert bucket.object_keys() == [bucket.prefix + submitted.file.name]


def test_a_showcase_image_is_stored_scanned_served_and_removed(
    client, bucket, clamd, django_capture_on_commit_callbacks
):
    case = funded()
    entry = draft(case)
    client.force_login(case.lead)
    url = reverse("showcase:image_upload", args=[case.application.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"image": png_upload("my-holidays.png"), "alt": "Un décor"})
        client.post(url, {"image": png_upload("other.png", image_bytes(size=(20, 20))), "alt": "B"})
    assert response.status_code == 302
    first, second = Image.objects.filter(entry=entry).order_by("pk")
    assert {first.scan_status, second.scan_status} == {"clean"}  # read back from the bucket
    keys = bucket.object_keys()
    assert keys == sorted(bucket.prefix + image.file.name for image in (first, second))
    assert all(re.match(r"^filiere/showcase/[0-9a-f]{32}$", key) for key in keys)
    stored = bucket.read(bucket.prefix + first.file.name)
    assert stored.startswith(b"\x89PNG")  # re-encoded, without metadata

    # The team previews it; someone else gets 404.
    preview = reverse("showcase:image_preview", args=[first.pk])
    response = client.get(preview)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    client.force_login(UserFactory())
    assert client.get(preview).status_code == 404

    # Removed from the draft before publication: the object goes.
    client.force_login(case.lead)
    remove = reverse("showcase:image_remove", args=[case.application.reference, second.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert bucket.object_keys() == [bucket.prefix + first.file.name]

    # Published: anyone sees the image, served by the platform from the bucket.
    entry = showcase.submit(user=case.lead, entry=Entry.objects.get(pk=entry.pk))
    showcase.approve(user=case.staff, entry=entry, version=entry.version)
    response = Client().get(reverse("showcase:image", args=[first.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == stored


def test_the_zip_of_a_calls_documents_is_built_from_and_into_the_bucket(
    client, bucket, django_capture_on_commit_callbacks
):
    call = CallFactory()
    first = ApplicationFactory(call=call, reference="EI2009-0001")
    second = ApplicationFactory(call=call, reference="EI2009-0002")
    add_document(first, "synopsis", name="synopsis.pdf", data=b"%PDF-1 first")
    add_document(first, "budget", name="devis.pdf", data=b"%PDF-1 budget " + bytes(300_000))
    add_document(second, "synopsis", name="synopsis.pdf", data=b"%PDF-1 second")
    add_document(second, "cv", name="cv.pdf", scan="pending")
    client.force_login(user_with_role("staff"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:staff_documents_zip", kwargs={"slug": call.slug}))
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE, job.error
    key = bucket.prefix + job.file.name
    assert key in bucket.object_keys()
    download = client.get(
        reverse("calls:staff_export_download", kwargs={"slug": call.slug, "pk": job.pk})
    )
    data = b"".join(download.streaming_content)
    assert data == bucket.read(key)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [
            "EI2009-0001/budget/devis.pdf",
            "EI2009-0001/synopsis/synopsis.pdf",
            "EI2009-0002/synopsis/synopsis.pdf",
        ]
        assert archive.read("EI2009-0001/budget/devis.pdf") == b"%PDF-1 budget " + bytes(300_000)
    # Another member of the staff does not read someone else's export.
    client.force_login(user_with_role("staff"))
    other = client.get(
        reverse("calls:staff_export_download", kwargs={"slug": call.slug, "pk": job.pk})
    )
    assert other.status_code == 404
