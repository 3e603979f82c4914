"""Submission (dépôt) with its acknowledgement of receipt, resubmission after a correction
request, and withdrawal.

:func:`submit_application` and :func:`resubmit_application` share one body (:func:`_file`), in
one database transaction: the service locks and reads, :mod:`filiere.engine.filing` decides, the
service writes and audits.

The moment that counts (issue #13) is the arrival at the platform: the ``arrival`` the pages
and the API pass (:func:`filiere.ui.arrival.arrival_of`, the engine's reading of the proxy's
``X-Request-Start`` stamp, :mod:`filiere.engine.arrival`) when its stamp was believed; otherwise,
and for tasks and commands which pass none, the server clock read under the lock (the time of
processing, as before). Both are recorded: ``arrived_at`` (with ``arrival_basis``, the engine's
code saying why) and ``submitted_at`` / ``resubmitted_at`` (the server clock); the audit entry
and the receipt carry both. Every deadline check below reads the moment that counts.

0. before the lock, read the call's form (its questions and required documents): the call's
   design, which the application's lock does not guard; skipped when the caller's copy of the
   application already says step 2 will refuse (the form is then read under the lock only if
   the locked row disagrees);
1. lock the application row (``select_for_update``, joined with the call and what the engine
   reads of the applicant) and read the server clock once;
2. for a submission, say ``apply.already_submitted`` for a file already in, whatever the clock;
   then refuse after the deadline (``apply.deadline_passed``; the engine's boundary,
   :func:`filiere.engine.deadline.on_time`: a file that arrived at the closing second is on
   time), both on the locked row before anything else is read;
3. read the application's own parts under the lock (budget, financing, answers, documents,
   team: what its edits change under the same lock) into the engine's inputs: the workflow
   state, the actor (only the lead files), the completeness items (required answers and
   documents, infected files, eligibility failures, as codes:
   :func:`~filiere.calls.selectors_applicant.completeness_items`, at the moment that counts)
   and, for a resubmission, the correction window;
4. the engine decides, in its order: the workflow (``apply.only_lead_*``, ``apply.not_*``),
   for a resubmission the correction window (``apply.correction_closed``: the moment after
   ``correction_until``, the closing second on time), then completeness
   (:class:`SubmissionRefused`, ``apply.incomplete`` with the items as codes: they become
   sentences where they are shown, ``SubmissionRefused.missing``);
5. record the :class:`~filiere.calls.models.Submission` (one-to-one with the application: a
   second submission fails on the database constraint, reported as ``apply.already_submitted``)
   or the :class:`~filiere.calls.models.Resubmission` with the SHA-256 of the content sent, fire
   ``submit`` / ``resubmit`` through :func:`~.transitions.transition_application` as its owning
   service on the row already locked (the state, the application's ``submitted_at``: the
   moment that counts, the ``calls.application.<code>`` audit entry with the hash and both
   times, the e-mails to the team and the staff after the commit), and for a submission e-mail
   the receipt after the commit.

A typical submission is 12 queries, 9 under the lock (``tests/calls/test_submission_queries.py``).

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
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation

from filiere.accounts.models import User
from filiere.engine import completeness, filing
from filiere.engine.arrival import Arrival, processing_time

from .. import events, phrases
from ..models import Application, Call, Document, DocumentRequirement, Resubmission, Submission
from ..permissions import applying_actor_kinds
from ..receipts import arrival_note, receipt_pdf
from ..selectors_applicant import (
    APPLICATION_JOINS,
    answers_by_code,
    completeness_items,
    content_prefetches,
    form_labels,
)
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
    application: Application,
    *,
    submitted_at: datetime,
    by: User,
    arrived_at: datetime | None = None,
) -> dict[str, Any]:
    """Everything the applicant filed, as plain JSON values (the receipt's subject): with the
    moment that counts (``arrived_at``) and the server clock (``submitted_at``)."""
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
        "arrived_at": (arrived_at or submitted_at).isoformat(),
        "submitted_at": submitted_at.isoformat(),
        "submitted_by": by.email,
    }


def receipt_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def submit_application(
    *, application: Application, by: User, arrival: Arrival | None = None
) -> Submission:
    """File the application; see the module's docstring for the order of the checks.

    ``arrival``: when the request arrived (``filiere.ui.arrival.arrival_of(request)``); its
    moment counts when it is the trusted proxy's stamp, otherwise (and with none: a task, a
    command) the server clock read under the lock does."""
    try:
        record = _file(_SUBMIT, application=application, by=by, arrival=arrival)
    except IntegrityError:
        # Another request recorded the submission between our check and our insert.
        raise ApplyError("apply.already_submitted") from None
    assert isinstance(record, Submission)
    return record


def resubmit_application(
    *, application: Application, by: User, arrival: Arrival | None = None
) -> Resubmission:
    """Send the file again after a correction request (engine: ``resubmit``), the same body as
    :func:`submit_application` (module docstring): the correction window is checked after the
    state (a file with no correction asked for is told so), state back to *submitted*, the
    correction window and requests closed. The original :class:`Submission` (the
    acknowledgement that met the deadline) is kept unchanged. ``arrival``: as for a
    submission, compared with the end of the correction window."""
    record = _file(_RESUBMIT, application=application, by=by, arrival=arrival)
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


def _facts(door: _Door, application: Application, moment: datetime) -> filing.FilingFacts:
    return filing.FilingFacts(
        state=application.state,
        has_submission=application.submitted_at is not None,
        now=moment,
        deadline=door.deadline(application),
    )


def _call_form(call_id: int) -> Call:
    """The call with its form (questions, required documents): three queries."""
    requirements = DocumentRequirement.objects.select_related("document_type")
    return Call.objects.prefetch_related(
        "questions", Prefetch("document_requirements", queryset=requirements)
    ).get(pk=call_id)


def _form_before_lock(
    door: _Door, application: Application, arrival: Arrival | None
) -> Call | None:
    """The call's form, read before the lock: it is the call's design, which the application's
    lock does not guard. Skipped when the caller's copy of the application (its gatekeeper's)
    already says the early refusal will come (a file in, a late request): those are told after
    the locked row alone, so a queue of late requests drains fast. The locked row decides; a
    wrong guess only moves the form's queries under the lock."""
    if Application.call.is_cached(application):
        hint = arrival.at if arrival is not None and arrival.stamped else timezone.now()
        if filing.early_refusal(door.rule, _facts(door, application, hint)) is not None:
            return None
    return _call_form(application.call_id)


def _moment(arrival: Arrival | None, now: datetime) -> Arrival:
    """The moment that counts: the trusted stamp, else the server clock ``now`` (with the
    reason it was not believed, for the record)."""
    if arrival is None:
        return processing_time(now)
    if arrival.stamped:
        return arrival
    return replace(arrival, at=now)


def _file(
    door: _Door, *, application: Application, by: User, arrival: Arrival | None
) -> Submission | Resubmission:
    form = _form_before_lock(door, application, arrival)
    with transaction.atomic():
        # The row only (``of``): locking the joined call would queue every submission of the
        # call behind one another.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", *APPLICATION_JOINS)
            .get(pk=application.pk)
        )
        now = timezone.now()  # the server clock: when the file is recorded
        moment = _moment(arrival, now)
        # Said before anything else is read: a queue of late requests after the closing second
        # drains twice as fast (bench/bench_deadline_rush.py).
        early = filing.early_refusal(door.rule, _facts(door, locked, moment.at))
        if early is not None:
            raise ApplyError.of(early.code, early.params)
        locked.call = form or _call_form(locked.call_id)
        # The application's own parts, which its edits change under the same lock.
        prefetch_related_objects([locked], *content_prefetches())
        facts = replace(
            _facts(door, locked, moment.at),
            actor_kinds=frozenset(applying_actor_kinds(by, locked)),
            missing=completeness_items(locked, now=moment.at),
        )
        try:
            transition = filing.decide(door.rule, facts)
        except filing.FilingRefused as refused:
            if refused.items:
                raise SubmissionRefused(refused.items, form_labels(locked)) from None
            raise ApplyError.of(refused.code, refused.params) from None
        content = submitted_content(locked, submitted_at=now, by=by, arrived_at=moment.at)
        sha256 = receipt_hash(content)
        record = door.model.objects.create(
            application=locked,
            sha256=sha256,
            content=content,
            arrived_at=moment.at,
            arrival_basis=moment.basis.value,
            **_moment_and_actor(door, now, by),
        )
        # The team and the staff are told like for any transition (for a submission the lead,
        # who acted, gets the receipt instead). ``now=moment.at``: the application's
        # ``submitted_at`` is the moment that counts.
        transition_application(
            application=locked,
            code=transition.code,
            by=by,
            now=moment.at,
            service=door.rule.service,
            data={
                "sha256": sha256,
                door.moment: now.isoformat(),
                "arrived_at": moment.at.isoformat(),
                "arrival_basis": moment.basis.value,
                "stamp": moment.stamp.isoformat() if moment.stamp else None,
            },
            row_locked=True,
        )
        if door.sends_receipt:
            events.publish(events.ApplicationSubmitted(submission_id=record.pk))
    application.state = locked.state
    application.correction_until = locked.correction_until
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
        context = {
            "submission": submission,
            "application": submission.application,
            "arrival_note": arrival_note(submission),
        }
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
