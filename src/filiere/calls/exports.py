"""Exports of the instruction team: the filtered list as CSV and XLSX (same columns), one
application as a PDF dossier, and a ZIP of a call's documents built by a background task
(``tasks.build_documents_zip``, enqueued on the ``DocumentsExportRequested`` event).

Spreadsheet cells that start with ``= + - @`` (or a tab / carriage return) get a leading ``'``
so that no spreadsheet program runs them as formulas (CSV injection). In the XLSX, amounts are
numbers and dates are dates (Paris time).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import DecimalField, QuerySet, Sum
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from filiere.audit.services import record

from . import events
from .models import Application, BudgetLine, Call, Document, ExportJob
from .permissions import is_call_staff, not_on_team_q
from .selectors_applicant import per_application
from .selectors_staff import missing_documents_condition

if TYPE_CHECKING:
    from filiere.accounts.models import User

PARIS = ZoneInfo("Europe/Paris")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: object) -> object:
    """A string a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --- list exports -------------------------------------------------------------------------------


def columns() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Organisation"),
        _("Territory"),
        _("Genre"),
        _("Stage"),
        _("Status"),
        _("Requested amount (EUR)"),
        _("Budget total (EUR)"),
        _("Submitted at"),
        _("Missing documents"),
        _("Labels"),
    ]


def with_export_fields(queryset: QuerySet) -> QuerySet:
    money = DecimalField(max_digits=14, decimal_places=2)
    return queryset.annotate(
        budget_total=per_application(
            BudgetLine.objects.all(), Sum("amount"), money, Decimal("0.00")
        ),
        missing_documents=missing_documents_condition(),
    )


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(PARIS).replace(tzinfo=None) if moment else None


def rows(queryset: QuerySet) -> Iterator[list]:
    """Typed rows in the order of :func:`columns` (strings, Decimals, naive Paris datetimes)."""
    # In chunks (labels prefetched per chunk): a streamed CSV starts before the last row is read.
    for app in with_export_fields(queryset).iterator(chunk_size=1000):
        territory = app.organisation.territory
        yield [
            app.reference,
            app.title,
            app.organisation.name,
            territory.label if territory else "",
            app.genre.label if app.genre else "",
            app.stage.label if app.stage else "",
            str(app.get_state_display()),
            app.requested_amount,
            app.budget_total,
            _local(app.submitted_at),
            _("yes") if getattr(app, "missing_documents", False) else _("no"),
            ", ".join(label.name for label in app.labels.all()),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(queryset: QuerySet) -> Iterator[str]:
    """The CSV, line by line (for a streaming response), UTF-8 with a BOM for spreadsheets."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns())
    for row in rows(queryset):
        cells = []
        for value in row:
            if isinstance(value, datetime):
                value = value.strftime("%Y-%m-%d %H:%M:%S")
            elif value is None:
                value = ""
            elif isinstance(value, Decimal):
                value = f"{value:.2f}"
            cells.append(guard_cell(value))
        yield writer.writerow(cells)


def xlsx_bytes(queryset: QuerySet) -> bytes:
    # Imported on the first export: openpyxl adds ~0.14 s to the start of every web worker,
    # task worker and manage.py command, most of which never write a spreadsheet.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Applications")[:31])
    bold = Font(bold=True)
    header = []
    for title in columns():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows(queryset):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=guard_cell(value))
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the PDF dossier ----------------------------------------------------------------------------


def _euros(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f} €".replace(",", "\u202f")


def dossier_pdf(application: Application) -> bytes:
    """One application as a PDF: identification, summary, team, budget, financing, documents.
    Staff notes and labels are not in it (the dossier may be shared with experts)."""
    # Imported on the first dossier: reportlab's page layout (platypus) adds ~0.1 s to the start
    # of every process, most of which never draw one (the receipt needs only the canvas).
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{application.reference} — {application.title}",
        author=settings.FILIERE_PLATFORM_NAME,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )

    def para(text: object, style: str = "BodyText") -> Any:
        return Paragraph(escape(str(text)), styles[style])

    def table(data: list[list[Any]], widths: list[float] | None = None) -> Any:
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ]
            )
        )
        return t

    organisation = application.organisation
    story = [
        para(f"{application.reference} — {application.title}", "Title"),
        para(application.call.title, "Heading3"),
        table(
            [
                [_("Status"), str(application.get_state_display())],
                [_("Organisation"), organisation.name],
                [
                    _("Territory"),
                    organisation.territory.label if organisation.territory else "—",
                ],
                [_("Lead applicant"), f"{application.lead} <{application.lead.email}>"],
                [_("Genre"), application.genre.label if application.genre else "—"],
                [_("Stage"), application.stage.label if application.stage else "—"],
                [_("Requested amount"), _euros(application.requested_amount)],
                [
                    _("Submitted at"),
                    timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
                    if application.submitted_at
                    else "—",
                ],
            ],
            widths=[5 * cm, 12 * cm],
        ),
        Spacer(1, 0.4 * cm),
        para(_("Summary"), "Heading2"),
        para(application.summary or "—"),
        para(_("Team"), "Heading2"),
        table(
            [[_("Role"), _("E-mail"), _("Organisation")]]
            + [
                [
                    str(m.get_role_display()),
                    m.email,
                    m.organisation.name if m.organisation else "—",
                ]
                for m in application.team.all()
            ]
        ),
        para(_("Budget"), "Heading2"),
    ]
    lines = list(application.budget_lines.all())
    story.append(
        table(
            [[_("Chapter"), _("Line"), _("Amount"), _("In the region")]]
            + [
                [ln.chapter, ln.label, _euros(ln.amount), _euros(ln.regional_amount)]
                for ln in lines
            ]
            + [["", _("Total"), _euros(sum((ln.amount for ln in lines), Decimal(0))), ""]]
        )
    )
    sources = list(application.financing.all())
    story += [
        para(_("Financing plan"), "Heading2"),
        table(
            [[_("Source"), _("Kind"), _("Amount"), _("Secured")]]
            + [
                [
                    s.name,
                    str(s.get_kind_display()),
                    _euros(s.amount),
                    _("yes") if s.secured else _("no"),
                ]
                for s in sources
            ]
            + [["", _("Total"), _euros(sum((s.amount for s in sources), Decimal(0))), ""]]
        ),
        para(_("Documents"), "Heading2"),
        table(
            [[_("Type"), _("File"), _("Size"), _("Antivirus")]]
            + [
                [
                    d.document_type.label,
                    d.original_name,
                    f"{d.size} B",
                    str(d.get_scan_status_display()),
                ]
                for d in application.documents.all()
            ]
        ),
    ]
    submission = getattr(application, "submission", None)
    if submission is not None:
        story += [
            para(_("Acknowledgement of receipt"), "Heading2"),
            para(f"SHA-256: {submission.sha256}", "Code"),
        ]
    doc.build(story)
    return buffer.getvalue()


# --- ZIP of a call's documents (background task with progress) ---------------------------------


def zip_documents_queryset(call: Call, *, viewer: User | None = None) -> QuerySet[Document]:
    """Clean documents of the call's submitted applications, grouped by reference.

    With ``viewer``: without the applications they lead or are on the team of (invited or
    accepted), as in the staff list and its CSV export."""
    applications = Application.objects.filter(call=call, submitted_at__isnull=False)
    if viewer is not None:
        applications = applications.filter(not_on_team_q(viewer))
    return (
        Document.objects.filter(
            application__in=applications.values("pk"),
            scan_status=Document.Scan.CLEAN,
        )
        .select_related("application", "document_type")
        .order_by("application__reference", "document_type__sort_order", "pk")
    )


def _zip_name(document: Document, used: set[str]) -> str:
    base = get_valid_filename(os.path.basename(document.original_name.replace("\\", "/")))
    base = base or f"document-{document.pk}"
    folder = f"{document.application.reference}/{document.document_type.code}"
    name = f"{folder}/{base}"
    stem, ext = os.path.splitext(base)
    counter = 2
    while name in used:
        name = f"{folder}/{stem}-{counter}{ext}"
        counter += 1
    used.add(name)
    return name


def start_documents_zip(*, call: Call, by: User) -> ExportJob:
    """Create the export and build it in the background after commit: staff of the call
    (global or call-scoped); the ZIP leaves out the applications ``by`` is on."""
    if not is_call_staff(by, call.pk):
        raise PermissionError("not staff of this call")
    with transaction.atomic():
        job = ExportJob.objects.create(call=call, requested_by=by)
        record(actor=by, action="call.documents_exported", obj=call, data={"export": job.pk})
        events.publish(events.DocumentsExportRequested(job_id=job.pk))
    return job


def build_documents_zip_now(*, job_id: int, progress_every: int = 20) -> ExportJob:
    job = ExportJob.objects.select_related("call", "requested_by").get(pk=job_id)
    documents = list(zip_documents_queryset(job.call, viewer=job.requested_by))
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, total=len(documents), done=0
    )
    used: set[str] = set()
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for index, document in enumerate(documents, start=1):
                    with (
                        document.file.open("rb") as source,
                        archive.open(_zip_name(document, used), "w", force_zip64=True) as target,
                    ):
                        for chunk in iter(partial(source.read, 1024 * 1024), b""):
                            target.write(chunk)
                    if index % progress_every == 0:
                        ExportJob.objects.filter(pk=job.pk).update(done=index)
            spool.seek(0)
            job.file.save(f"{job.call.slug}-documents-{job.pk}.zip", File(spool), save=False)
    except Exception as error:  # recorded for the page, then re-raised for the worker's log
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=type(error).__name__, finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        done=len(documents),
        file=job.file.name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def iter_file(field_file: FieldFile, chunk_size: int = 64 * 1024) -> Iterable[bytes]:
    with field_file.open("rb") as handle:
        yield from iter(lambda: handle.read(chunk_size), b"")
