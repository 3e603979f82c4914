"""The acknowledgement of receipt as a PDF (``ui.pdf.TextPage``), in the active language: its
streams are uncompressed, so the reference and the hash can be read from the bytes by anyone
(and by the tests) without a PDF library.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from filiere.engine.arrival import Basis
from filiere.ui.pdf import TextPage

from .models import Resubmission, Submission
from .phrases import format_datetime, format_money


def arrival_note(record: Submission | Resubmission) -> str:
    """How the moment that counts was taken, in a sentence for the receipt."""
    if record.arrival_basis == Basis.STAMP:
        return _(
            "The arrival time is when the platform's front server received the request; it is "
            "the time compared with the deadline."
        )
    return _(
        "The arrival time is the server clock when the submission was recorded; it is the time "
        "compared with the deadline."
    )


def receipt_pdf(submission: Submission) -> bytes:
    application = submission.application
    content = submission.content
    page = TextPage(
        title=_("Acknowledgement of receipt %(reference)s") % {"reference": application.reference},
        author=settings.FILIERE_PLATFORM_NAME,
    )
    line, paragraph = page.line, page.paragraph
    line(settings.FILIERE_PLATFORM_NAME, size=9)
    line(_("Acknowledgement of receipt"), size=16, bold=True, gap=9)
    line(_("Reference: %(reference)s") % {"reference": application.reference}, size=12, bold=True)
    line(_("Call: %(call)s") % {"call": application.call.title})
    paragraph(_("Project: %(title)s") % {"title": application.title})
    line(_("Applicant: %(organisation)s") % {"organisation": content["organisation"]["name"]})
    line(
        _("Arrived at the platform: %(when)s") % {"when": format_datetime(submission.arrived_at)},
        bold=True,
    )
    line(
        _("Submitted at: %(when)s (server clock)")
        % {"when": format_datetime(submission.submitted_at)}
    )
    paragraph(arrival_note(submission), size=8, gap=4, width=100)
    line(_("Submitted by: %(email)s") % {"email": content["submitted_by"]})
    if content.get("requested_amount"):
        line(
            _("Amount requested: %(amount)s")
            % {"amount": format_money(Decimal(content["requested_amount"]))}
        )
    page.space(3)
    line(_("SHA-256 of the submitted content and files:"), bold=True)
    line(submission.sha256, size=8)
    page.space(3)
    line(_("Documents"), size=12, bold=True, gap=7)
    for document in content.get("documents", []):
        paragraph(
            f"{document['name']} ({document['type']}, {document['size']} B)",
            size=9,
            gap=4.5,
            width=95,
        )
        line(f"sha256 {document['sha256']}", size=7, gap=5)
    if not content.get("documents"):
        line(_("No document."), size=9)
    page.space(3)
    paragraph(
        _(
            "This receipt proves that the file above was received before the deadline. The hash "
            "is computed over the canonical JSON of the submitted content, which includes the "
            "hash of every file: anyone holding the same content obtains the same hash."
        ),
        size=8,
        gap=4,
        width=100,
    )
    return page.bytes()
