"""The acknowledgement of receipt as a PDF (reportlab), in the active language.

Drawn with uncompressed page streams so that the reference and the hash can be read from the
bytes by anyone (and by the tests) without a PDF library.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .models import Submission
from .phrases import format_datetime, format_money


def _wrap(text: str, width: int = 90) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if len(current) + len(word) + 1 > width and current:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def receipt_pdf(submission: Submission) -> bytes:
    application = submission.application
    content = submission.content
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    pdf.setTitle(
        _("Acknowledgement of receipt %(reference)s") % {"reference": application.reference}
    )
    pdf.setAuthor(settings.FILIERE_PLATFORM_NAME)
    _width, height = A4
    y = height - 25 * mm

    def line(text: str, *, size: int = 10, bold: bool = False, gap: float = 5.5) -> None:
        nonlocal y
        if y < 20 * mm:
            pdf.showPage()
            y = height - 25 * mm
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(20 * mm, y, text)
        y -= gap * mm

    line(settings.FILIERE_PLATFORM_NAME, size=9)
    line(_("Acknowledgement of receipt"), size=16, bold=True, gap=9)
    line(_("Reference: %(reference)s") % {"reference": application.reference}, size=12, bold=True)
    line(_("Call: %(call)s") % {"call": application.call.title})
    for text in _wrap(_("Project: %(title)s") % {"title": application.title}):
        line(text)
    line(_("Applicant: %(organisation)s") % {"organisation": content["organisation"]["name"]})
    line(
        _("Submitted at: %(when)s (server clock)")
        % {"when": format_datetime(submission.submitted_at)}
    )
    line(_("Submitted by: %(email)s") % {"email": content["submitted_by"]})
    if content.get("requested_amount"):
        line(
            _("Amount requested: %(amount)s")
            % {"amount": format_money(Decimal(content["requested_amount"]))}
        )
    y -= 3 * mm
    line(_("SHA-256 of the submitted content and files:"), bold=True)
    line(submission.sha256, size=8)
    y -= 3 * mm
    line(_("Documents"), size=12, bold=True, gap=7)
    for document in content.get("documents", []):
        for text in _wrap(f"{document['name']} ({document['type']}, {document['size']} B)", 95):
            line(text, size=9, gap=4.5)
        line(f"sha256 {document['sha256']}", size=7, gap=5)
    if not content.get("documents"):
        line(_("No document."), size=9)
    y -= 3 * mm
    for text in _wrap(
        _(
            "This receipt proves that the file above was received before the deadline. The hash "
            "is computed over the canonical JSON of the submitted content, which includes the "
            "hash of every file: anyone holding the same content obtains the same hash."
        ),
        100,
    ):
        line(text, size=8, gap=4)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
