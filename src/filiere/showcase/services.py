"""The one door to the showcase: every change of an entry goes through a verb here (keyword-only
arguments, one transaction, the permission checked, an audit entry).

- ``save_draft``, ``add_image``, ``remove_image``: the team writes its draft. Any change to a
  submitted or published entry brings it back to ``draft``; a published version stays visible
  until the staff approve the new one (or the team withdraws it).
- ``submit``: the team asks for approval (every image clean, each with its text alternative).
- ``approve`` / ``request_changes``: the call's staff not on the file answer the version they
  read (``version``: a later edit makes their answer stale).
- ``withdraw``: the team takes the page down at once, whatever its state.
- ``scan_image``: the antivirus' verdict on a stored image (after the commit, ``tasks.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from filiere import errors
from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events, throttle
from filiere.calls.models import Application, ScanStatus
from filiere.calls.services.scanning import ScanResult, Verdict, configured_client
from filiere.ui.page_cache import changed

from .events import ImageUploaded
from .images import reencode
from .models import Entry, EntryStatus, Image
from .permissions import is_funded, moderates, writes

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

logger = logging.getLogger(__name__)

MAX_LINKS = 5
MAX_IMAGES = 6
_URL = URLValidator(schemes=["http", "https"])


def _check_team(user: AnyUser, application: Application) -> None:
    if not is_funded(application):
        raise errors.ServiceError("showcase.not_funded")
    if not writes(user, application):
        raise errors.NotAllowed("showcase.not_team")


def _check_staff(user: AnyUser, entry: Entry) -> None:
    if not is_funded(entry.application):
        raise errors.ServiceError("showcase.not_funded")
    if not moderates(user, entry.application):
        raise errors.NotAllowed("showcase.not_staff")


def clean_links(links: list[dict[str, str]]) -> list[dict[str, str]]:
    """At most ``MAX_LINKS`` web addresses (http or https only), each with an optional label."""
    kept = [
        {"url": (link.get("url") or "").strip(), "label": (link.get("label") or "").strip()[:100]}
        for link in links
        if (link.get("url") or "").strip()
    ]
    if len(kept) > MAX_LINKS:
        raise errors.Invalid("showcase.links.too_many", {"limit": MAX_LINKS}, field="links")
    for link in kept:
        url = link["url"]
        try:
            _URL(url)
        except ValidationError:
            raise errors.Invalid(
                "showcase.links.invalid", {"url": url[:200]}, field="links"
            ) from None
        if urlsplit(url).scheme.lower() not in ("http", "https") or len(url) > 500:
            raise errors.Invalid("showcase.links.invalid", {"url": url[:200]}, field="links")
    return kept


def _locked(application: Application) -> Entry | None:
    return Entry.objects.select_for_update(of=("self",)).filter(application=application).first()


def _back_to_draft(entry: Entry) -> None:
    """A change of the content: a new version, to be approved again."""
    entry.version += 1
    if entry.status in (EntryStatus.SUBMITTED, EntryStatus.PUBLISHED):
        entry.status = EntryStatus.DRAFT


def save_draft(
    *,
    user: User,
    application: Application,
    title: str,
    summary: str,
    links: list[dict[str, str]],
    credit: str = "",
) -> Entry:
    _check_team(user, application)
    title, summary, credit = title.strip(), summary.strip(), credit.strip()
    if not title:
        raise errors.Invalid("showcase.title_missing", field="title")
    if not summary:
        raise errors.Invalid("showcase.summary_missing", field="summary")
    kept = clean_links(links)
    with transaction.atomic():
        entry = _locked(application)
        created = entry is None
        if entry is None:
            slug = slugify(application.reference) or f"project-{application.pk}"
            entry = Entry(application=application, slug=slug)
        else:
            _back_to_draft(entry)
        entry.title, entry.summary, entry.links = title[:200], summary[:3000], kept
        entry.credit = credit[:300]
        entry.save()
        record(
            actor=user,
            action="showcase.entry.created" if created else "showcase.entry.saved",
            obj=entry,
            data={"version": entry.version, "status": entry.status},
        )
    return entry


def add_image(*, user: User, entry: Entry, uploaded_file: File, alt: str) -> Image:
    application = entry.application
    _check_team(user, application)
    alt = alt.strip()
    if not alt:
        raise errors.Invalid("showcase.image.alt_missing", field="alt")
    if entry.images.filter(in_draft=True).count() >= MAX_IMAGES:
        raise errors.ServiceError("showcase.image.too_many", {"limit": MAX_IMAGES})
    # The uploads' per-user rate, shared with calls' and awards' uploads (decoding costs).
    throttle.hit(scope="upload", user=user)
    made = reencode(uploaded_file)
    with transaction.atomic():
        locked = _locked(application)
        assert locked is not None
        image = Image(
            entry=locked,
            alt=alt[:300],
            content_type=made.content_type,
            width=made.width,
            height=made.height,
            size=len(made.content),
            sha256=made.checked.sha256,
            position=locked.images.count(),
            uploaded_by=user,
        )
        image.file.save("image", ContentFile(made.content), save=False)
        image.save()
        _back_to_draft(locked)
        locked.save()
        record(
            actor=user,
            action="showcase.image.added",
            obj=locked,
            data={"image": image.pk, "sha256": image.sha256, "size": image.size},
        )
        events.publish(ImageUploaded(image_id=image.pk))
    return image


def _delete_files_after_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def remove_image(*, user: User, image: Image) -> None:
    entry = image.entry
    _check_team(user, entry.application)
    with transaction.atomic():
        locked = _locked(entry.application)
        assert locked is not None
        row = locked.images.filter(pk=image.pk, in_draft=True).first()
        if row is None:
            return
        if row.in_published:
            row.in_draft = False  # the published version keeps it until the next approval
            row.save(update_fields=["in_draft"])
        else:
            _delete_files_after_commit([row.file.name] if row.file.name else [])
            row.delete()
        _back_to_draft(locked)
        locked.save()
        record(actor=user, action="showcase.image.removed", obj=locked, data={"image": image.pk})


def submit(*, user: User, entry: Entry) -> Entry:
    _check_team(user, entry.application)
    with transaction.atomic():
        locked = _locked(entry.application)
        if locked is None:
            raise errors.ServiceError("showcase.not_saved")
        if locked.status == EntryStatus.SUBMITTED:
            raise errors.ServiceError("showcase.already_submitted")
        scans = set(locked.images.filter(in_draft=True).values_list("scan_status", flat=True))
        if scans & {ScanStatus.INFECTED, ScanStatus.ERROR}:
            raise errors.ServiceError("showcase.images_blocked")
        if ScanStatus.PENDING in scans:
            raise errors.ServiceError("showcase.images_pending")
        locked.status = EntryStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = user
        locked.save()
        record(actor=user, action="showcase.entry.submitted", obj=locked, data=_version(locked))
    return locked


def _version(entry: Entry) -> dict[str, Any]:
    return {"version": entry.version}


def _staff_locked(user: User, entry: Entry, version: int) -> Entry:
    _check_staff(user, entry)
    locked = _locked(entry.application)
    assert locked is not None
    if locked.status != EntryStatus.SUBMITTED:
        raise errors.ServiceError("showcase.not_submitted")
    if locked.version != version:
        raise errors.ServiceError("showcase.stale")
    return locked


def approve(*, user: User, entry: Entry, version: int) -> Entry:
    """Publish the version the staff read: the draft becomes the public page."""
    with transaction.atomic():
        locked = _staff_locked(user, entry, version)
        images = locked.images.all()
        if images.filter(in_draft=True).exclude(scan_status=ScanStatus.CLEAN).exists():
            raise errors.ServiceError("showcase.images_blocked")
        locked.published_title = locked.title
        locked.published_summary = locked.summary
        locked.published_links = locked.links
        locked.published_credit = locked.credit
        now = timezone.now()
        locked.published_at = locked.published_at or now
        locked.status = EntryStatus.PUBLISHED
        locked.changes_reason = ""
        locked.reviewed_at, locked.reviewed_by = now, user
        locked.save()
        unused = images.filter(in_draft=False)
        _delete_files_after_commit(list(unused.values_list("file", flat=True)))
        unused.delete()
        images.update(in_published=True)
        record(actor=user, action="showcase.entry.approved", obj=locked, data=_version(locked))
    return locked


def request_changes(*, user: User, entry: Entry, version: int, reason: str) -> Entry:
    reason = reason.strip()
    if not reason:
        raise errors.Invalid("showcase.reason_missing", field="reason")
    with transaction.atomic():
        locked = _staff_locked(user, entry, version)
        locked.status = EntryStatus.CHANGES_REQUESTED
        locked.changes_reason = reason[:2000]
        locked.reviewed_at, locked.reviewed_by = timezone.now(), user
        locked.save()
        record(
            actor=user,
            action="showcase.entry.changes_requested",
            obj=locked,
            reason=reason[:2000],
            data=_version(locked),
        )
    return locked


def withdraw(*, user: User, entry: Entry) -> Entry:
    """The team takes its page down (the draft stays; submitting again asks for approval)."""
    _check_team(user, entry.application)
    with transaction.atomic():
        locked = _locked(entry.application)
        assert locked is not None
        if locked.published_at is None and locked.status != EntryStatus.SUBMITTED:
            raise errors.ServiceError("showcase.not_published")
        locked.published_at = None
        locked.published_title = locked.published_summary = locked.published_credit = ""
        locked.published_links = []
        locked.status = EntryStatus.WITHDRAWN
        locked.save()
        gone = locked.images.filter(in_draft=False)
        _delete_files_after_commit(list(gone.values_list("file", flat=True)))
        gone.delete()
        locked.images.update(in_published=False)
        record(actor=user, action="showcase.entry.withdrawn", obj=locked)
    return locked


_STATUS = {
    Verdict.CLEAN: ScanStatus.CLEAN,
    Verdict.INFECTED: ScanStatus.INFECTED,
    Verdict.ERROR: ScanStatus.ERROR,
}
_RESCANNABLE = (ScanStatus.PENDING, ScanStatus.ERROR)


def scan_image(*, image_id: int) -> str:
    """Scan one stored image and record the verdict (fail closed: anything but a clear "OK" is
    not clean; without a scanner it stays pending). Returns the status."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return "missing"
    if image.scan_status not in _RESCANNABLE:
        return image.scan_status
    client = configured_client()
    if client is None:
        return image.scan_status
    stored = image.file.name
    try:
        with image.file.open("rb") as handle:
            result = client.scan_file(cast(BinaryIO, handle))
    except OSError as error:
        result = ScanResult(Verdict.ERROR, f"storage: {error}"[:200])
    status = _STATUS[result.verdict]
    with transaction.atomic():
        updated = Image.objects.filter(
            pk=image_id, file=stored, scan_status__in=_RESCANNABLE
        ).update(scan_status=status)
        if updated:
            changed("showcase")  # an update() sends no signal: the public pages are rendered again
            record(
                actor=None,
                action=f"showcase.image.scan_{result.verdict.value}",
                obj=image.entry,
                data={"image": image_id, "detail": result.detail, "sha256": image.sha256},
            )
    if result.verdict is Verdict.ERROR:
        logger.warning("Antivirus scan failed for showcase image %s: %s", image_id, result.detail)
    return status
