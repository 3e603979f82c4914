"""Submission (dépôt) with its acknowledgement of receipt, resubmission after a correction
request, and withdrawal.

:func:`submit_application` and :func:`resubmit_application` share one body (:func:`_file`), in
one database transaction: the service locks and reads, :mod:`filiere.engine.filing` decides, the
service writes and audits.

1. lock the application row (``select_for_update``) and read the server clock once;
2. for a submission, say ``apply.already_submitted`` for a file already in, whatever the clock;
   then refuse after the deadline (``apply.deadline_passed``; the engine's boundary,
   :func:`filiere.engine.deadline.on_time`: a file submitted at the closing second is on time),
   both on the locked row before anything else is read, *inside* the transaction that records
   the submission, so a submission cannot start before and commit after the deadline unseen;
3. fetch the application once (:func:`~filiere.calls.selectors_applicant.with_related`) into the
   engine's inputs: the workflow state, the actor (only the lead files), the completeness
   items (required answers and documents, infected files, eligibility failures, as codes:
   :func:`~filiere.calls.selectors_applicant.completeness_items`) and, for a resubmission, the
   correction window;
4. the engine decides, in its order: the workflow (``apply.only_lead_*``, ``apply.not_*``),
   for a resubmission the correction window (``apply.correction_closed``: ``now`` after
   ``correction_until``, the closing second on time), then completeness
   (:class:`SubmissionRefused`, ``apply.incomplete`` with the items as codes: they become
   sentences where they are shown, ``SubmissionRefused.missing``);
5. record the :class:`~filiere.calls.models.Submission` (one-to-one with the application: a
   second submission fails on the database constraint, reported as ``apply.already_submitted``)
   or the :class:`~filiere.calls.models.Resubmission` with the SHA-256 of the content sent, fire
   ``submit`` / ``resubmit`` through :func:`~.transitions.transition_application` as its owning
   service (the state, the ``calls.application.<code>`` audit entry with the hash, the e-mails
   to the team and the staff after the commit), and for a submission e-mail the receipt after
   the commit.

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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from filiere.accounts.models import User
from filiere.engine import completeness, filing

from .. import events, phrases
from ..models import Application, Document, Resubmission, Submission
from ..permissions import applying_actor_kinds
from ..receipts import receipt_pdf
from ..selectors_applicant import answers_by_code, completeness_items, form_labels, with_related
from .applications import ApplyError, ApplyNotAllowed, budget_rows, canonical_json
from .transitions import TransitionError, transition_application


class SubmissionRefused(ApplyError):
    """Submission refused because items are missing: ``items``, the engine's codes and params
    (:class:`filiere.engine.completeness.Item`), and ``labels``, the names of the call's
    questions and documents they mention. :attr:`missing` makes the sentences, in the language
    active where they are shown."""

    def __init__(self, items: Iterable[completeness.Item], labels: phrases.Labels) -> None:
        self.items = tuple(items)
        self.labels = labels
        super().__init__("apply.incomplete", {"count": len(self.items)})

    @property
    def missing(self) -> list[phrases.Missing]:
        return phrases.missing_items(self.items, self.labels)

    def details(self) -> dict[str, Any]:
        """The API lists the missing items: their step, code and sentence."""
        missing = [
            {"step": item.step, "code": item.code, "message": str(item.message)}
            for item in self.missing
        ]
        return {**self.params, "missing": missing}


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def submitted_content(
    application: Application, *, submitted_at: datetime, by: User
) -> dict[str, Any]:
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


def receipt_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def submit_application(*, application: Application, by: User) -> Submission:
    """File the application; see the module's docstring for the order of the checks."""
    try:
        record = _file(_SUBMIT, application=application, by=by)
    except IntegrityError:
        # Another request recorded the submission between our check and our insert.
        raise ApplyError("apply.already_submitted") from None
    assert isinstance(record, Submission)
    return record


def resubmit_application(*, application: Application, by: User) -> Resubmission:
    """Send the file again after a correction request (engine: ``resubmit``), the same body as
    :func:`submit_application` (module docstring): the correction window is checked after the
    state (a file with no correction asked for is told so), state back to *submitted*, the
    correction window and requests closed. The original :class:`Submission` (the
    acknowledgement that met the deadline) is kept unchanged."""
    record = _file(_RESUBMIT, application=application, by=by)
    assert isinstance(record, Resubmission)
    return record


@dataclass(frozen=True)
class _Door:
    """One way of filing: the engine's rule, the deadline it reads, the record it writes."""

    rule: filing.Filing
    deadline: Callable[[Application], datetime | None]
    model: type[Submission] | type[Resubmission]
    moment: str  # the name of the moment on the record and in the audit entry
    sends_receipt: bool


_SUBMIT = _Door(
    rule=filing.SUBMIT,
    deadline=lambda application: application.call.closes_at,
    model=Submission,
    moment="submitted_at",
    sends_receipt=True,
)
_RESUBMIT = _Door(
    rule=filing.RESUBMIT,
    deadline=lambda application: application.correction_until,
    model=Resubmission,
    moment="resubmitted_at",
    sends_receipt=False,
)


def _facts(door: _Door, application: Application, now: datetime) -> filing.FilingFacts:
    return filing.FilingFacts(
        state=application.state,
        has_submission=application.submitted_at is not None,
        now=now,
        deadline=door.deadline(application),
    )


def _file(door: _Door, *, application: Application, by: User) -> Submission | Resubmission:
    with transaction.atomic():
        # The row only (``of``): locking the joined call would queue every submission of the
        # call behind one another.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=application.pk)
        )
        now = timezone.now()
        # Said before anything else is read: a queue of late requests after the closing second
        # drains twice as fast (bench/bench_deadline_rush.py).
        early = filing.early_refusal(door.rule, _facts(door, locked, now))
        if early is not None:
            raise ApplyError.of(early.code, early.params)
        fresh = with_related(Application.objects.filter(pk=locked.pk)).get()
        facts = replace(
            _facts(door, fresh, now),
            actor_kinds=frozenset(applying_actor_kinds(by, fresh)),
            missing=completeness_items(fresh, now=now),
        )
        try:
            transition = filing.decide(door.rule, facts)
        except filing.FilingRefused as refused:
            if refused.items:
                raise SubmissionRefused(refused.items, form_labels(fresh)) from None
            raise ApplyError.of(refused.code, refused.params) from None
        content = submitted_content(fresh, submitted_at=now, by=by)
        sha256 = receipt_hash(content)
        record = door.model.objects.create(
            application=fresh, sha256=sha256, content=content, **_moment_and_actor(door, now, by)
        )
        # The team and the staff are told like for any transition (for a submission the lead,
        # who acted, gets the receipt instead).
        transition_application(
            application=fresh,
            code=transition.code,
            by=by,
            now=now,
            service=door.rule.service,
            data={"sha256": sha256, door.moment: now.isoformat()},
        )
        if door.sends_receipt:
            events.publish(events.ApplicationSubmitted(submission_id=record.pk))
    application.state = fresh.state
    application.correction_until = fresh.correction_until
    return record


def _moment_and_actor(door: _Door, now: datetime, by: User) -> dict[str, object]:
    """``submitted_at``/``submitted_by`` or ``resubmitted_at``/``resubmitted_by``."""
    return {door.moment: now, door.moment.replace("_at", "_by"): by}


def send_receipt_email(*, submission_id: int) -> None:
    """E-mail the acknowledgement (with its PDF) to the lead, in their preferred language."""
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


def withdraw_application(*, application: Application, by: User, reason: str = "") -> Application:
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
                raise ApplyNotAllowed("apply.only_lead_withdraws") from None
            raise ApplyError("apply.not_withdrawable") from None
    application.state = locked.state
    return locked
