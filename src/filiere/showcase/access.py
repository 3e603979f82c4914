"""The showcase's gatekeepers: each fetches for one reader and answers the same 404 for
"missing" and "not yours" (the rules: ``permissions``).

- ``application_for_team``: a funded application whose page ``user`` writes.
- ``entry_for_staff``: an entry of a funded application, for the staff who moderate it.
- ``published_entries`` / ``published_entry``: what anyone reads — a published entry of an
  application that is still funded.
- ``image_for_public``: an image of the published version, clean, of a published entry.
- ``image_for_reader``: a clean image of an entry, for its team or its moderators (the draft).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from filiere.calls.models import Application, ScanStatus

from .models import Entry, Image
from .permissions import FUNDED, is_funded, moderates, writes

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "call__fund", "genre", "organisation__territory", "agreement"
    )


def application_for_team(user: AnyUser, reference: str) -> Application:
    application = _applications().filter(reference=reference).first()
    if application is None or not is_funded(application) or not writes(user, application):
        raise Http404
    return application


def entry_for_staff(user: AnyUser, pk: int) -> Entry:
    entry = (
        Entry.objects.select_related(
            "application__call__fund",
            "application__genre",
            "application__organisation__territory",
            "application__agreement",
        )
        .filter(pk=pk)
        .first()
    )
    if entry is None or not is_funded(entry.application) or not moderates(user, entry.application):
        raise Http404
    return entry


def published_entries() -> QuerySet[Entry]:
    """Every public entry, with what the gallery shows of it (one query)."""
    return Entry.objects.filter(
        published_at__isnull=False, application__agreement__status__in=FUNDED
    ).select_related(
        "application__call__fund",
        "application__genre",
        "application__organisation__territory",
        "application__agreement",
    )


def published_entry(slug: str) -> Entry:
    entry = published_entries().filter(slug=slug).first()
    if entry is None:
        raise Http404
    return entry


def image_for_public(pk: int) -> Image:
    image = (
        Image.objects.filter(
            pk=pk,
            in_published=True,
            scan_status=ScanStatus.CLEAN,
            entry__in=published_entries().values("pk"),
        )
        .only("pk", "file", "content_type")
        .first()
    )
    if image is None:
        raise Http404
    return image


def image_for_reader(user: AnyUser, pk: int) -> Image:
    image = (
        Image.objects.select_related("entry__application__agreement")
        .filter(pk=pk, scan_status=ScanStatus.CLEAN)
        .first()
    )
    if image is None:
        raise Http404
    application = image.entry.application
    if not is_funded(application) or not (
        writes(user, application) or moderates(user, application)
    ):
        raise Http404
    return image
