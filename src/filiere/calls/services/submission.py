"""Submission (dépôt) with its acknowledgement of receipt, resubmission after a correction
request, and withdrawal.

:func:`submit_application`, in one database transaction:

1. lock the application row (``select_for_update``) and read the server clock;
2. say ``apply.already_submitted`` for a file already in, whatever the clock; then refuse after
   the deadline: ``timezone.now() > call.closes_at`` (the engine's boundary: a file
   submitted at the closing second is on time), checked *inside* the transaction that records
   the submission, so a submission cannot start before and commit after the deadline unseen;
3. ask the engine whether the lead may fire ``submit`` from the current state;
4. refuse while anything is missing (the completeness panel: required answers and documents,
   eligibility failures translated from the engine's codes, infected files);
5. create the :class:`~filiere.calls.models.Submission` (one-to-one with the application: a second
   submission fails on the database constraint, reported as ``apply.already_submitted``), fire
   ``submit`` through :func:`~.transitions.transition_application` as its owning service (the
   state, the ``calls.application.submit`` audit entry with the receipt's hash, the e-mails to the
   team and the staff after the commit), and e-mail the receipt after the commit.

``submit``, ``resubmit`` and ``withdraw`` are owned by the services of this module
(``Transition.service``): the generic transition service refuses them to anyone else, so pages
and API alike go through these checks.

Documents: a file still waiting for the antivirus (``pending``) or whose scan failed
(``error``) counts as present; its SHA-256 is in the receipt and it stays blocked from download
until a scan says ``clean``. A scanner outage at 11:59 must not make anyone miss the deadline.
An ``infected`` file blocks submission.

The acknowledgement's SHA-256 is computed over the canonical JSON (sorted keys, no spaces,
UTF-8) of the submitted content, which includes every file's own SHA-256:
:func:`receipt_hash` recomputes it from ``Submission.content``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from filiere.engine import workflow

from ..models import Application, Document, Resubmission, State, Submission
from ..permissions import applying_actor_kinds
from ..selectors_applicant import answers_by_code, missing_items, with_related
from .applications import ApplyError, budget_rows, canonical_json
from .transitions import TransitionError, transition_application


class SubmissionRefused(ApplyError):
    """Submission refused because items are missing; ``missing`` lists them."""

    def __init__(self, missing) -> None:
        super().__init__("apply.incomplete", {"count": len(missing)})
        object.__setattr__(self, "missing", missing)


def _amount(value) -> str | None:
    return None if value is None else str(value)


def submitted_content(application: Application, *, submitted_at: datetime, by) -> dict:
    """Everything the applicant filed, as plain JSON values (the receipt's subject)."""
    lines, financing = budget_rows(application, _amount)
    return {
        "reference": application.reference,
        "call": application.call.slug,
        "organisation": {
            "name": application.organisation.name,
            "siret": application.organisation.siret,
            "bce": application.organisation.bce_number,
        },
        "lead": application.lead.email,
        "title": application.title,
        "summary": application.summary,
        "genre": application.genre.code if application.genre else None,
        "stage": application.stage.code if application.stage else None,
        "requested_amount": _amount(application.requested_amount),
        "budget": lines,
        "financing": financing,
        "answers": answers_by_code(application),
        "team": sorted(
            (
                {"email": member.email, "role": member.role}
                for member in application.team.all()
                if member.accepted_at
            ),
            key=lambda m: (m["email"], m["role"]),
        ),
        "documents": sorted(
            (
                {
                    "type": document.document_type.code,
                    "name": document.original_name,
                    "size": document.size,
                    "sha256": document.sha256,
                }
                for document in application.documents.all()
                if document.scan_status != Document.Scan.INFECTED
            ),
            key=lambda d: (d["type"], d["sha256"], d["name"]),
        ),
        "submitted_at": submitted_at.isoformat(),
        "submitted_by": by.email,
    }


def receipt_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def submit_application(*, application: Application, by) -> Submission:
    """File the application; see the module's docstring for the order of the checks."""
    try:
        with transaction.atomic():
            # The row only (``of``): locking the joined call would queue every submission of
            # the call behind one another.
            locked = (
                Application.objects.select_for_update(of=("self",))
                .select_related("call")
                .get(pk=application.pk)
            )
            now = timezone.now()
            if locked.state != State.WITHDRAWN and locked.submitted_at is not None:
                # Said before the clock: someone whose answer was lost (connection cut after
                # the commit) and who presses Submit again after the deadline is told that the
                # file is in, not that they missed the deadline (bench/bench_deadline_rush.py).
                raise ApplyError("apply.already_submitted")
            if now > locked.call.closes_at:
                raise ApplyError(
                    "apply.deadline_passed",
                    {"closes_at": locked.call.closes_at, "now": now},
                )
            # Everything the checks and the receipt read, once the cheap refusals are said (a
            # queue of late requests after the closing second drains twice as fast).
            fresh = with_related(Application.objects.filter(pk=locked.pk)).get()
            try:
                workflow.check_transition(
                    fresh.state,
                    "submit",
                    applying_actor_kinds(by, fresh),
                    service="submit_application",
                )
            except workflow.WorkflowError as error:
                if error.params.get("why") == "actor":
                    raise ApplyError("apply.only_lead_submits") from None
                if fresh.state != State.WITHDRAWN and fresh.submitted_at is not None:
                    raise ApplyError("apply.already_submitted") from None
                raise ApplyError("apply.not_submittable") from None
            missing = missing_items(fresh, now=now)
            if missing:
                raise SubmissionRefused(missing)
            content = submitted_content(fresh, submitted_at=now, by=by)
            submission = Submission.objects.create(
                application=fresh,
                submitted_at=now,
                submitted_by=by,
                sha256=receipt_hash(content),
                content=content,
            )
            # The team and the staff are told like for any transition (the lead, who acted,
            # gets the receipt instead).
            transition_application(
                application=fresh,
                code="submit",
                by=by,
                now=now,
                service="submit_application",
                data={"sha256": submission.sha256, "submitted_at": now.isoformat()},
            )
            transaction.on_commit(lambda: _enqueue_receipt(submission.pk))
    except IntegrityError:
        # Another request recorded the submission between our check and our insert.
        raise ApplyError("apply.already_submitted") from None
    return submission


def _enqueue_receipt(submission_id: int) -> None:
    from ..tasks import send_receipt

    send_receipt.enqueue(submission_id=submission_id)


def send_receipt_email(*, submission_id: int) -> None:
    """E-mail the acknowledgement (with its PDF) to the lead, in their preferred language."""
    from ..receipts import receipt_pdf

    submission = Submission.objects.select_related(
        "application__call", "application__lead", "submitted_by"
    ).get(pk=submission_id)
    lead = submission.application.lead
    with translation.override(lead.preferred_language or "fr"):
        context = {"submission": submission, "application": submission.application}
        subject = render_to_string("calls/applicant/email/receipt_subject.txt", context)
        body = render_to_string("calls/applicant/email/receipt.txt", context)
        pdf = receipt_pdf(submission)
    message = EmailMessage(" ".join(subject.split()), body, None, [lead.email])
    message.attach(f"{submission.application.reference}.pdf", pdf, "application/pdf")
    message.send()


def withdraw_application(*, application: Application, by, reason: str = "") -> Application:
    """The lead withdraws a submitted file, until a decision (engine: ``withdraw``).

    Fires ``withdraw`` through :func:`~.transitions.transition_application` as its owning
    service: the ``calls.application.withdraw`` audit entry with the optional reason, and the
    e-mails to the team, the staff and the experts after the commit.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        try:
            transition_application(
                application=locked,
                code="withdraw",
                by=by,
                reason=reason,
                service="withdraw_application",
            )
        except TransitionError as error:
            if error.params.get("why") == "actor":
                raise ApplyError("apply.only_lead_withdraws") from None
            raise ApplyError("apply.not_withdrawable") from None
    application.state = locked.state
    return locked


def resubmit_application(*, application: Application, by) -> Resubmission:
    """Send the file again after a correction request (engine: ``resubmit``).

    In one transaction, like the submission: lock the row, read the server clock, refuse once
    the correction window has closed (``now > correction_until``; the closing second is on
    time), let the engine check the state and the actor (the lead), refuse while anything is
    missing, then record a :class:`Resubmission` with the SHA-256 of the content sent again,
    fire ``resubmit`` through :func:`~.transitions.transition_application` as its owning service
    (state back to *submitted*, correction window and requests closed, the
    ``calls.application.resubmit`` audit entry with the new hash, e-mails to the team and the
    staff after the commit). The original
    :class:`Submission` (the acknowledgement that met the deadline) is kept unchanged.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        now = timezone.now()
        fresh = with_related(Application.objects.filter(pk=locked.pk)).get()
        try:
            workflow.check_transition(
                fresh.state,
                "resubmit",
                applying_actor_kinds(by, fresh),
                service="resubmit_application",
            )
        except workflow.WorkflowError as error:
            if error.params.get("why") == "actor":
                raise ApplyError("apply.only_lead_resubmits") from None
            raise ApplyError("apply.not_resubmittable") from None
        if fresh.correction_until is None or now > fresh.correction_until:
            raise ApplyError(
                "apply.correction_closed",
                {"until": fresh.correction_until, "now": now},
            )
        missing = missing_items(fresh, now=now)
        if missing:
            raise SubmissionRefused(missing)
        content = submitted_content(fresh, submitted_at=now, by=by)
        resubmission = Resubmission.objects.create(
            application=fresh,
            resubmitted_at=now,
            resubmitted_by=by,
            sha256=receipt_hash(content),
            content=content,
        )
        transition_application(
            application=locked,
            code="resubmit",
            by=by,
            now=now,
            service="resubmit_application",
            data={"sha256": resubmission.sha256, "resubmitted_at": now.isoformat()},
        )
    application.state = locked.state
    application.correction_until = locked.correction_until
    return resubmission
