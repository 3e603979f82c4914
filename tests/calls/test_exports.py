"""Exports: CSV and XLSX of the filtered list (same columns, typed cells, no formula
injection), the PDF dossier, and the ZIP of a call's clean documents built in the background."""

import io
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from filiere.calls import exports
from filiere.calls.models import ExportJob
from tests.calls.instruction_factories import (
    ApplicationFactory,
    CallFactory,
    add_document,
    add_member,
    with_budget,
)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","clic")'


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role("staff"))
    return client


@pytest.fixture
def call():
    return CallFactory()


def export_url(call, kind, query=""):
    url = reverse("calls:staff_export_list", kwargs={"slug": call.slug, "kind": kind})
    return f"{url}?{query}" if query else url


def test_guard_cell():
    for text in ("=1+1", "+33 3 20", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert exports.guard_cell(text) == "'" + text
    assert exports.guard_cell("Studio Nord") == "Studio Nord"
    assert exports.guard_cell(Decimal("-5")) == Decimal("-5")


def test_csv_has_the_columns_and_guards_formulas(staff_client, call):
    ApplicationFactory(call=call, title=HOSTILE, requested_amount=Decimal("45000.50"))
    response = staff_client.get(export_url(call, "csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    import csv

    header, row = list(csv.reader(io.StringIO(text)))
    assert header == exports.columns()
    assert row[1] == "'" + HOSTILE
    assert row[7] == "45000.50"


def test_csv_follows_the_filters(staff_client, call):
    eligible = ApplicationFactory(call=call, state="eligible")
    ApplicationFactory(call=call, state="submitted")
    text = b"".join(staff_client.get(export_url(call, "csv", "status=eligible")).streaming_content)
    lines = text.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    assert eligible.reference in lines[1]


def test_xlsx_opens_with_typed_cells(staff_client, call):
    application = with_budget(
        ApplicationFactory(call=call, title=HOSTILE, requested_amount=Decimal("45000.50"))
    )
    response = staff_client.get(export_url(call, "xlsx"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert list(header) == exports.columns()
    assert row[0] == application.reference
    assert row[1] == "'" + HOSTILE  # text, not a formula
    cells = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    assert cells[1].data_type == "s"
    assert isinstance(row[7], float | int | Decimal) and Decimal(str(row[7])) == Decimal("45000.5")
    assert Decimal(str(row[8])) == Decimal("120000")
    assert isinstance(row[9], datetime)
    assert cells[7].number_format == "#,##0.00"


def test_pdf_dossier(staff_client):
    application = with_budget(ApplicationFactory(title="Le Chant des terrils"))
    add_member(application, role="belgian_coproducer")
    add_document(application)
    url = reverse(
        "calls:staff_dossier_pdf",
        kwargs={"slug": application.call.slug, "reference": application.reference},
    )
    response = staff_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000


def test_zip_contains_only_clean_files_by_reference(
    staff_client, call, django_capture_on_commit_callbacks
):
    first = ApplicationFactory(call=call, reference="EI2009-0001")
    second = ApplicationFactory(call=call, reference="EI2009-0002")
    draft = ApplicationFactory(call=call, reference="EI2009-0003", state="draft")
    add_document(first, "synopsis", name="synopsis.pdf", data=b"%PDF-1 first")
    add_document(first, "budget", name="../../devis.pdf", data=b"%PDF-1 budget")
    add_document(first, "cv", name="cv.pdf", scan="infected")
    add_document(first, "cv", name="cv2.pdf", scan="pending")
    add_document(second, "synopsis", name="synopsis.pdf", data=b"%PDF-1 second")
    add_document(second, "synopsis", name="synopsis.pdf", data=b"%PDF-1 second v2")
    add_document(second, "note-of-intent", name="note.pdf", scan="error")
    add_document(draft, "synopsis", name="brouillon.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("calls:staff_documents_zip", kwargs={"slug": call.slug})
        )
    job = ExportJob.objects.get()
    assert response["Location"].endswith(
        reverse("calls:staff_export", kwargs={"slug": call.slug, "pk": job.pk})
    )
    assert job.status == ExportJob.Status.DONE
    assert (job.done, job.total, job.percent) == (4, 4, 100)

    page = staff_client.get(response["Location"]).content.decode()
    assert "Download the ZIP" in page

    download = staff_client.get(
        reverse("calls:staff_export_download", kwargs={"slug": call.slug, "pk": job.pk})
    )
    data = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [
            "EI2009-0001/budget/devis.pdf",
            "EI2009-0001/synopsis/synopsis.pdf",
            "EI2009-0002/synopsis/synopsis-2.pdf",
            "EI2009-0002/synopsis/synopsis.pdf",
        ]
        assert archive.read("EI2009-0001/synopsis/synopsis.pdf") == b"%PDF-1 first"


def test_export_progress_page_while_running(client, call):
    staff = user_with_role("staff")
    client.force_login(staff)
    job = ExportJob.objects.create(
        call=call, requested_by=staff, status="running", done=3, total=12
    )
    url = reverse("calls:staff_export", kwargs={"slug": call.slug, "pk": job.pk})
    page = client.get(url).content.decode()
    assert 'value="25"' in page
    assert 'hx-trigger="every 2s"' in page
    download = reverse("calls:staff_export_download", kwargs={"slug": call.slug, "pk": job.pk})
    assert client.get(download).status_code == 404


@pytest.mark.parametrize("relation", ["lead", "member", "invited"])
def test_zip_leaves_out_the_files_the_requester_is_on(
    client, call, relation, django_capture_on_commit_callbacks
):
    # Issue #8: the CSV export left them out, the ZIP still had their own files.
    from tests.calls.apply_factories import invite

    staff = user_with_role("staff")
    if relation == "lead":
        own = ApplicationFactory(call=call, reference="EI2009-0001", lead=staff)
    else:
        own = ApplicationFactory(call=call, reference="EI2009-0001")
        invite(own, staff, accepted=relation == "member")
    other = ApplicationFactory(call=call, reference="EI2009-0002")
    add_document(own, "synopsis", name="own.pdf")
    add_document(other, "synopsis", name="other.pdf")
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:staff_documents_zip", kwargs={"slug": call.slug}))
    job = ExportJob.objects.get()
    download = client.get(
        reverse("calls:staff_export_download", kwargs={"slug": call.slug, "pk": job.pk})
    )
    names = exports.zip_names(b"".join(download.streaming_content))
    assert names == ["EI2009-0002/synopsis/other.pdf"]
    assert (job.done, job.total) == (1, 1)


def test_an_export_is_read_by_whoever_asked_for_it_only(client, call):
    # Its content depends on who asked (their own files are left out).
    job = ExportJob.objects.create(
        call=call, requested_by=user_with_role("staff"), status=ExportJob.Status.DONE
    )
    client.force_login(user_with_role("staff"))
    for name in ("calls:staff_export", "calls:staff_export_download"):
        url = reverse(name, kwargs={"slug": call.slug, "pk": job.pk})
        assert client.get(url).status_code == 404
