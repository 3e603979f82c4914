"""Writes of the instruction team: eligibility decisions, correction requests, messages, private
notes and labels, bulk actions and saved filters. State changes go through
:func:`filiere.calls.services.transitions.transition_application`."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from filiere.accounts.permissions import is_staff
from filiere.audit.services import record

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
from .transitions import TransitionError, transition_application

__all__ = [
    "BulkResult",
    "add_label",
    "add_note",
    "bulk_message",
    "bulk_transition",
    "close_expired_corrections",
    "decide_eligibility",
    "delete_saved_filter",
    "post_message",
    "remove_label",
    "request_correction",
    "save_filter",
]


class NotAllowed(PermissionError):
    """The user may not do this (the views check first; services check again)."""


def _require_staff(user) -> None:
    if not is_staff(user):
        raise NotAllowed("staff only")


# --- eligibility --------------------------------------------------------------------------------


def decide_eligibility(
    *, application: Application, eligible: bool, by, reason: str = ""
) -> Application:
    """Eligible, or ineligible with a reason the applicant receives (the engine requires it)."""
    code = "declare_eligible" if eligible else "declare_ineligible"
    return transition_application(application=application, code=code, by=by, reason=reason)


def request_correction(
    *,
    application: Application,
    items: list[str],
    until: datetime,
    by,
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
        transition_application(
            application=application, code="request_correction", by=by, reason=reason, now=now
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
        record(
            actor=by,
            action="application.correction_requested",
            obj=application,
            reason=message.strip(),
            data={"items": items, "until": until.isoformat()},
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


def _safe_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")) or "attachment"
    return get_valid_filename(base)[:200] or "attachment"


def post_message(
    *,
    application: Application,
    by,
    body: str,
    from_staff: bool,
    attachment: UploadedFile | None = None,
) -> Message:
    """A message on the application's thread, e-mailed to the other side after commit.

    The attachment must have been validated (``forms.staff.clean_attachment``); it is stored
    under a random name, its original name kept for display only."""
    if from_staff:
        _require_staff(by)
    message = Message(application=application, author=by, from_staff=from_staff, body=body)
    with transaction.atomic():
        if attachment is not None:
            message.attachment_name = _safe_name(attachment.name)
            extension = os.path.splitext(message.attachment_name)[1].lower()[:8]
            attachment.name = f"{secrets.token_hex(16)}{extension}"
            message.attachment = attachment
        message.save()
        record(
            actor=by,
            action="application.message_sent",
            obj=application,
            data={"message": message.pk, "from_staff": from_staff},
        )
        from ..notifications import enqueue_message_notification

        message_id = message.pk
        transaction.on_commit(lambda: enqueue_message_notification(message_id=message_id))
    return message


def add_note(*, application: Application, by, body: str) -> StaffNote:
    _require_staff(by)
    with transaction.atomic():
        note = StaffNote.objects.create(application=application, author=by, body=body)
        record(actor=by, action="application.note_added", obj=application, data={"note": note.pk})
    return note


def add_label(*, application: Application, name: str, by) -> Label:
    _require_staff(by)
    name = " ".join(name.split())[:60]
    with transaction.atomic():
        label, _created = Label.objects.get_or_create(call_id=application.call_id, name=name)
        label.applications.add(application)
        record(actor=by, action="application.label_added", obj=application, data={"label": name})
    return label


def remove_label(*, application: Application, label: Label, by) -> None:
    _require_staff(by)
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
    *, applications: Iterable[Application], code: str, by, reason: str = ""
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


def bulk_message(*, applications: Iterable[Application], body: str, by) -> int:
    _require_staff(by)
    count = 0
    with transaction.atomic():
        for application in applications:
            post_message(application=application, by=by, body=body, from_staff=True)
            count += 1
    return count


# --- saved filters ------------------------------------------------------------------------------


def save_filter(*, user, call: Call, name: str, query: str) -> SavedFilter:
    _require_staff(user)
    saved, _created = SavedFilter.objects.update_or_create(
        user=user, call=call, name=name.strip()[:80], defaults={"query": query[:2000]}
    )
    return saved


def delete_saved_filter(*, saved_filter: SavedFilter, by) -> None:
    if saved_filter.user_id != by.pk:
        raise NotAllowed("not your filter")
    saved_filter.delete()
