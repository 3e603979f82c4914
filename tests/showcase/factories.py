"""Test data of the showcase: a funded application (its agreement signed, or in another
status), images made by Pillow, and entries in each state through the services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

from filiere.accounts.models import User
from filiere.awards.models import Agreement, AgreementStatus
from filiere.calls.models import Application, Call
from filiere.showcase import services
from filiere.showcase.models import Entry, Image
from tests.awards.factories import agreement, awarded, call_staff, open_call, staff


@dataclass
class Funded:
    application: Application
    agreement: Agreement
    lead: User
    staff: User


def funded(
    call: Call | None = None,
    *,
    status: str = AgreementStatus.SIGNED,
    amount: Decimal = Decimal("40000"),
    **kwargs: object,
) -> Funded:
    application, decision = awarded(call, amount=amount, **kwargs)
    made = agreement(application, decision, status=status)
    return Funded(application=application, agreement=made, lead=application.lead, staff=staff())


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    out = io.BytesIO()
    mode = "RGB"
    Pillow.new(mode, size, (200, 60, 30)).save(out, fmt, **save)
    return out.getvalue()


def png_upload(name: str = "still.png", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or image_bytes(), content_type="image/png")


def draft(case: Funded, *, title: str = "La Mine en jeu", **fields: object) -> Entry:
    values: dict[str, object] = {
        "summary": "Un jeu sérieux sur la mémoire minière du bassin.",
        "links": [{"url": "https://example.org/mine", "label": "Site du projet"}],
        "credit": "Studio Nord",
    }
    values.update(fields)
    return services.save_draft(
        user=case.lead,
        application=case.application,
        title=title,
        **values,  # type: ignore[arg-type]
    )


def clean_image(entry: Entry, user: User, *, alt: str = "Une galerie de mine") -> Image:
    """An image added through the service, then found clean (no scanner in most tests)."""
    image = services.add_image(user=user, entry=entry, uploaded_file=png_upload(), alt=alt)
    Image.objects.filter(pk=image.pk).update(scan_status="clean")
    image.refresh_from_db()
    return image


def published(case: Funded, **fields: object) -> Entry:
    entry = draft(case, **fields)
    clean_image(entry, case.lead)
    entry = services.submit(user=case.lead, entry=Entry.objects.get(pk=entry.pk))
    return services.approve(user=case.staff, entry=entry, version=entry.version)


__all__ = ["call_staff", "funded", "open_call", "published", "staff"]
