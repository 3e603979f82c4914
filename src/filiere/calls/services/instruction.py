"""Writes of the instruction team: eligibility decisions, correction requests, messages, private
notes and labels, bulk actions and saved filters. State changes go through
:func:`filiere.calls.services.transitions.transition_application`.

Each service checks the rule the pages and the API check (``calls.permissions``): staff of the
application's call, globally or by a grant scoped to that call (``is_call_staff``), and never on
an application they lead or are on the team of (``instructs``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from filiere import errors
from filiere.audit.services import record

from .. import events, throttle
from ..models import (
    Application,
    Call,
    CorrectionRequest,
    Label,
    Message,
    SavedFilter,
    StaffNote,
    State,
)
from ..permissions import instructable_q, instructs, is_call_staff
from .documents import CheckedUpload, NotServable, check_attachment
from .transitions import TransitionError, transition_application

if TYPE_CHECKING:
    from filiere.accounts.models import User

__all__ = [
    "BulkResult",
    "add_label",
    "add_note",
    "bulk_message",
    "bulk_transition",
    "close_expired_corrections",
    "decide_eligibility",
    "delete_saved_filter",
    "open_attachment",
    "post_message",
    "remove_label",
    "request_correction",
    "save_filter",
]


class NotAllowed(errors.NotAllowed, PermissionError):
    """The user may not do this (the views check first; services check again): an
    ``instruction.*`` code; still a ``PermissionError`` for the callers that catch that."""


def _require_instructs(user: User, application: Application) -> None:
    """Staff of the application's call (global or call-scoped), and not on its team."""
    if not instructs(user, application):
        raise NotAllowed("instruction.not_instructor")


def _require_call_staff(user: User, call: Call) -> None:
    if not is_call_staff(user, call.pk):
        raise NotAllowed("instruction.not_call_staff")


# --- eligibility --------------------------------------------------------------------------------


def decide_eligibility(
    *, application: Application, eligible: bool, by: User, reason: str = ""
) -> Application:
    """Eligible, or ineligible with a reason the applicant receives (the engine requires it)."""
    code = "declare_eligible" if eligible else "declare_ineligible"
    return transition_application(application=application, code=code, by=by, reason=reason)


def request_correction(
    *,
    application: Application,
    items: list[str],
    until: datetime,
    by: User,
    message: str = "",
    now: datetime | None = None,
) -> CorrectionRequest:
    """Reopen the listed items until ``until``: the application becomes *incomplete* and the
    applicant team may edit it until then (``engine.workflow.is_editable_by_applicant`` with
    ``correction_until``); after that date it is locked again, checked at read time."""
    now = now or timezone.now()
    items = [item.strip() for item in items if item and item.strip()]
    if not items:
        raise TransitionError("transition.correction_items_missing")
    if until <= now:
        raise TransitionError("transition.correction_date_past")
    reason = "\n".join(f"- {item}" for item in items)
    if message.strip():
        reason = f"{message.strip()}\n\n{reason}"
    with transaction.atomic():
        # The owning service of ``request_correction``: its one audit entry carries the items.
        transition_application(
            application=application,
            code="request_correction",
            by=by,
            reason=reason,
            now=now,
            service="request_correction",
            data={"items": items, "until": until.isoformat()},
        )
        Application.objects.filter(pk=application.pk).update(correction_until=until)
        application.correction_until = until
        correction = CorrectionRequest.objects.create(
            application=application,
            items=items,
            message=message.strip(),
            until=until,
            requested_by=by,
        )
    return correction


def close_expired_corrections(*, now: datetime | None = None) -> int:
    """Close the correction windows whose date has passed (the file is already locked at read
    time; this records it). The application stays *incomplete* until staff decide (eligible or
    ineligible from there) or the applicant had resubmitted in time."""
    now = now or timezone.now()
    closed = 0
    expired = Application.objects.filter(
        state=State.INCOMPLETE, correction_until__isnull=False, correction_until__lt=now
    )
    for application in expired.order_by("pk"):
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.correction_until is None or locked.correction_until >= now:
                continue
            until = locked.correction_until
            locked.correction_until = None
            locked.save(update_fields=["correction_until", "updated_at"])
            CorrectionRequest.objects.filter(application=locked, closed_at__isnull=True).update(
                closed_at=now
            )
            record(
                actor=None,
                action="application.correction_closed",
                obj=locked,
                data={"until": until.isoformat()},
            )
            closed += 1
    return closed


# --- messages, notes, labels --------------------------------------------------------------------


def post_message(
    *,
    application: Application,
    by: User,
    body: str,
    from_staff: bool,
    attachment: UploadedFile | None = None,
) -> Message:
    """A message on the application's thread, e-mailed to the other side after commit.

    At most ``FILIERE_MESSAGE_RATE`` messages per author, and an attachment counts against
    ``FILIERE_UPLOAD_RATE``; every attempt counts, and beyond the limit
    :class:`~filiere.calls.throttle.Throttled` is raised and nothing is stored.

    The attachment is checked like a document (name, size, content, the extension agreeing with
    the content; ``documents.UploadError``), stored under a random name as ``pending``, and
    served only once the antivirus, run after the commit, says it is clean."""
    if from_staff:
        _require_instructs(by, application)
    throttle.hit(scope="message", user=by)
    if attachment is not None:
        throttle.hit(scope="upload", user=by)
    checked = check_attachment(attachment) if attachment is not None else None
    return _post_message(
        application=application,
        by=by,
        body=body,
        from_staff=from_staff,
        attachment=attachment,
        checked=checked,
    )


def _post_message(
    *,
    application: Application,
    by: User,
    body: str,
    from_staff: bool,
    attachment: UploadedFile | None = None,
    checked: CheckedUpload | None = None,
) -> Message:
    message = Message(application=application, author=by, from_staff=from_staff, body=body)
    with transaction.atomic():
        if attachment is not None and checked is not None:
            message.attachment_name = checked.name
            message.attachment_content_type = checked.kind.content_type
            message.attachment_size = checked.size
            message.attachment_sha256 = checked.sha256
            message.attachment_scan_status = Message.Scan.PENDING
            extension = checked.kind.extensions[0]
            message.attachment.save(f"{secrets.token_hex(16)}{extension}", attachment, save=False)
        message.save()
        record(
            actor=by,
            action="application.message_sent",
            obj=application,
            data={
                "message": message.pk,
                "from_staff": from_staff,
                **(
                    {"attachment_sha256": checked.sha256, "attachment_size": checked.size}
                    if checked is not None
                    else {}
                ),
            },
        )
        message_id = message.pk
        events.publish(events.MessagePosted(message_id=message_id))
        if checked is not None:
            events.publish(events.AttachmentUploaded(message_id=message_id))
    return message


def open_attachment(*, message: Message) -> FieldFile:
    """The stored attachment, opened, only when the antivirus said clean (callers have checked
    that the reader may see the thread: staff, or the application's team)."""
    if not message.attachment:
        raise Message.DoesNotExist
    if message.attachment_scan_status != Message.Scan.CLEAN:
        raise NotServable(message.attachment_scan_status)
    return message.attachment.open("rb")


def add_note(*, application: Application, by: User, body: str) -> StaffNote:
    _require_instructs(by, application)
    with transaction.atomic():
        note = StaffNote.objects.create(application=application, author=by, body=body)
        record(actor=by, action="application.note_added", obj=application, data={"note": note.pk})
    return note


def add_label(*, application: Application, name: str, by: User) -> Label:
    """Labels belong to the call: whoever instructs it shares them."""
    _require_instructs(by, application)
    name = " ".join(name.split())[:60]
    with transaction.atomic():
        label, _created = Label.objects.get_or_create(call_id=application.call_id, name=name)
        label.applications.add(application)
        record(actor=by, action="application.label_added", obj=application, data={"label": name})
    return label


def remove_label(*, application: Application, label: Label, by: User) -> None:
    _require_instructs(by, application)
    if label.call_id != application.call_id:
        raise NotAllowed("instruction.label_of_another_call")
    with transaction.atomic():
        label.applications.remove(application)
        record(
            actor=by,
            action="application.label_removed",
            obj=application,
            data={"label": label.name},
        )


# --- bulk actions -------------------------------------------------------------------------------


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, TransitionError]] = field(default_factory=list)


def bulk_transition(
    *, applications: Iterable[Application], code: str, by: User, reason: str = ""
) -> BulkResult:
    """Fire ``code`` on each application; the ones the table refuses are listed, not fatal."""
    result = BulkResult()
    for application in applications:
        try:
            transition_application(application=application, code=code, by=by, reason=reason)
        except TransitionError as error:
            result.refused.append((application.reference, error))
        else:
            result.done.append(application.reference)
    return result


def bulk_message(*, applications: Iterable[Application], body: str, by: User) -> int:
    """One message to each selected application: one action against the message limit.
    Every application must be one ``by`` instructs (nothing is sent otherwise)."""
    applications = list(applications)
    # One query for the whole selection (``instructable_q`` is ``instructs`` as a filter).
    ids = [application.pk for application in applications]
    if Application.objects.filter(pk__in=ids).filter(instructable_q(by)).count() != len(set(ids)):
        raise NotAllowed("instruction.not_instructor_of_all")
    throttle.hit(scope="message", user=by)
    count = 0
    with transaction.atomic():
        for application in applications:
            _post_message(application=application, by=by, body=body, from_staff=True)
            count += 1
    return count


# --- saved filters ------------------------------------------------------------------------------


def save_filter(*, user: User, call: Call, name: str, query: str) -> SavedFilter:
    """A filter of ``call``'s list, for ``user`` only (staff of that call)."""
    _require_call_staff(user, call)
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, call=call, name=name.strip()[:80], defaults={"query": query[:2000]}
    )
    return saved


def delete_saved_filter(*, saved_filter: SavedFilter, by: User) -> None:
    if saved_filter.user_id != by.pk:
        raise NotAllowed("instruction.not_your_filter")
    saved_filter.delete()
