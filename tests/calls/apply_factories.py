"""Test data of the applying side: an open call, an applicant with an organisation, drafts that
are complete or not, and files made at run time (PDF, DOCX, a zip bomb, EICAR)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filiere.calls.models import Application, BudgetLine, FinancingSource, Genre, Stage, TeamMember
from filiere.calls.services import applications as application_services
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    add_document,
    add_member,
)

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class OpenCallFactory(CallFactory):
    """Opened yesterday, closes in ten days; a reference prefix of its own (references are unique
    across calls)."""

    reference_prefix = factory.Sequence(lambda n: f"AP{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


def applicant_with_organisation(**user_kwargs):
    """A user with a profile affiliated to a Tourcoing company; returns (user, organisation)."""
    user = UserFactory(**user_kwargs)
    organisation = OrganisationFactory()
    AffiliationFactory(person=PersonFactory(user=user), organisation=organisation)
    return user, organisation


class DraftFactory(ApplicationFactory):
    """A draft to an open call: no genre, stage, summary or amount yet."""

    call = factory.SubFactory(OpenCallFactory)
    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    title = "Les mines en réalité virtuelle"
    genre = None
    stage = None
    summary = ""
    requested_amount = None
    state = "draft"


def make_complete(application: Application, *, requested=Decimal("60000")) -> Application:
    """Genre, stage, summary, a balanced budget of 150 000 € with the request in the plan."""
    application.genre = Genre.objects.get(code="web-documentary")
    application.stage = Stage.objects.get(code="development")
    application.summary = "Un webdocumentaire sur les mines du Hainaut."
    application.requested_amount = requested
    application.save()
    BudgetLine.objects.create(
        application=application, chapter="crew", label="Équipe", amount=Decimal("100000")
    )
    BudgetLine.objects.create(
        application=application,
        chapter="technical_means",
        label="Moyens",
        amount=Decimal("50000"),
        regional_amount=Decimal("20000"),
    )
    FinancingSource.objects.create(
        application=application, name="Cet appel", kind="this_call", amount=requested
    )
    FinancingSource.objects.create(
        application=application,
        name="Fonds propres",
        kind="own_funds",
        amount=Decimal("150000") - requested,
        secured=True,
    )
    return application


def stored_document(application, *, code="synopsis", scan="clean", name="synopsis.pdf"):
    """A stored document whose content is a real one-page PDF."""
    return add_document(application, code, scan=scan, name=name, data=pdf_bytes())


def invite(application, user, *, role=TeamMember.Role.AUTHOR, can_edit=True, accepted=True):
    """``user`` on the team (``accepted=False``: only invited, by e-mail)."""
    return add_member(application, user, role=role, can_edit=can_edit, accepted=accepted)


# --- Files made at run time ---------------------------------------------------------------------


def pdf_bytes(text: str = "Synopsis") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(100, 750, text)
    pdf.save()
    return buffer.getvalue()


def docx_bytes(*, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>Note d'intention</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mib: int = 200) -> bytes:
    """A valid-looking .docx whose one entry unpacks to ``unpacked_mib`` MiB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_mib):
                member.write(chunk)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def budget_post(application, lines=(), sources=(), requested="", **extra):
    """The budget form as the browser sends it, rendered from the application as saved now."""
    data = {
        "version": application.version,
        "base": application_services.fingerprint(application_services.budget_values(application)),
        "requested_amount": requested,
        "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": 0,
        "financing-TOTAL_FORMS": len(sources),
        "financing-INITIAL_FORMS": 0,
        **extra,
    }
    for i, (chapter, label, amount, regional) in enumerate(lines):
        data |= {
            f"lines-{i}-chapter": chapter,
            f"lines-{i}-label": label,
            f"lines-{i}-amount": amount,
            f"lines-{i}-regional_amount": regional,
        }
    for i, (name, kind, amount, secured) in enumerate(sources):
        data |= {
            f"financing-{i}-name": name,
            f"financing-{i}-kind": kind,
            f"financing-{i}-amount": amount,
        }
        if secured:
            data[f"financing-{i}-secured"] = "on"
    return data
