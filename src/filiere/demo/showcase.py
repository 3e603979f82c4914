"""The demo's showcase of funded works: the 2009 call's funded projects present themselves.

Every closed project and the first signed ones have a published page (as submitted by their
lead, approved by the demo staff through the services); one signed project's page awaits
approval, another's was sent back with changes requested. The images are drawn here by Pillow
(no binary file in the repository) and re-encoded as an upload is; the demo runs no antivirus,
so they are recorded as found clean — history, like the awards' signed copies.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as Pillow
from PIL import ImageDraw

from filiere.accounts.models import User
from filiere.awards.models import Agreement, AgreementStatus
from filiere.calls.models import Call, ScanStatus
from filiere.showcase import services
from filiere.showcase.images import reencode
from filiere.showcase.models import Entry, EntryStatus, Image
from filiere.showcase.permissions import FUNDED

from .accounts import DEMO_STAFF_EMAIL

#: Signed (not yet closed) projects published besides the closed ones.
SIGNED_PUBLISHED = 3


@dataclass
class DemoShowcaseResult:
    published: int = 0
    submitted: int = 0
    changes_requested: int = 0


def demo_picture(seed: str, *, size: tuple[int, int] = (640, 360)) -> bytes:
    """A small PNG of coloured bands and circles, different for each ``seed``."""
    digest = hashlib.sha256(seed.encode()).digest()
    width, height = size
    picture = Pillow.new("RGB", size, (digest[0], digest[1], digest[2]))
    draw = ImageDraw.Draw(picture)
    for band in range(6):
        colour = (digest[3 + band], digest[9 + band], digest[15 + band])
        top = band * height // 6
        draw.rectangle((0, top, width, top + height // 12), fill=colour)
    for circle in range(4):
        x = digest[21 + circle] * width // 256
        y = digest[25 + circle] * height // 256
        radius = 20 + digest[29 + (circle % 3)] % 60
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _write(agreement: Agreement) -> Entry:
    """The team's page and image as its lead would submit them, stored as rows: the demo's
    applicants are removed and created again on each run, and an audit entry in their name
    (the log is append-only) would keep their accounts. The staff's decisions below go through
    the services and are audited in the demo staff's name."""
    application = agreement.application
    title = application.title
    organisation = application.organisation
    entry = Entry.objects.create(
        application=application,
        slug=slugify(application.reference) or f"project-{application.pk}",
        title=title[:200],
        summary=(application.summary or title).strip()[:3000],
        links=[
            {
                "url": f"https://example.org/projets/{application.reference.lower()}",
                "label": "Site du projet (démonstration)",
            }
        ],
        credit=f"© {organisation.name if organisation else title}"[:300],
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=application.lead,
    )
    made = reencode(
        SimpleUploadedFile(
            "visuel.png", demo_picture(application.reference), content_type="image/png"
        )
    )
    image = Image(
        entry=entry,
        alt=f"Visuel de « {title} » : bandes de couleur et cercles blancs (image de démonstration)",
        content_type=made.content_type,
        width=made.width,
        height=made.height,
        size=len(made.content),
        sha256=made.checked.sha256,
        scan_status=ScanStatus.CLEAN,
        uploaded_by=application.lead,
    )
    image.file.save("image", ContentFile(made.content), save=False)
    image.save()
    return entry


def seed_demo_showcase(call: Call) -> DemoShowcaseResult:
    """The showcase pages of ``call``'s funded projects (see the module's docstring). The
    applications' removal takes their pages with them (cascade): a rerun starts afresh."""
    result = DemoShowcaseResult()
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        return result
    agreements = list(
        Agreement.objects.filter(application__call=call, status__in=FUNDED)
        .select_related("application__organisation", "application__lead", "application__call")
        .order_by("application__reference")
    )
    closed = [a for a in agreements if a.status == AgreementStatus.CLOSED]
    signed = [a for a in agreements if a.status != AgreementStatus.CLOSED]
    to_publish = closed + signed[:SIGNED_PUBLISHED]
    for agreement in to_publish:
        entry = _write(agreement)
        services.approve(user=staff, entry=entry, version=entry.version)
        result.published += 1
    waiting = signed[SIGNED_PUBLISHED:]
    if waiting:
        _write(waiting[0])
        result.submitted += 1
    if len(waiting) > 1:
        entry = _write(waiting[1])
        services.request_changes(
            user=staff,
            entry=entry,
            version=entry.version,
            reason="Merci d'ajouter le crédit des images et un lien vers la bande-annonce.",
        )
        result.changes_requested += 1
    return result
