"""Writes of the decisions and letters: propose, confirm (a second signature when asked) and
cancel a decision with its amount; edit a letter's feedback; approve the outbox and send it.

One door: the application's state changes only at confirmation, through ``calls``'
``record_decision`` (``notify=False``: the letter, not a workflow e-mail, tells the applicant),
in the same transaction as the decision's status and the letter's draft. Every step is audited
with the amount (``committee.decision.*``, ``committee.letter.*``). Refusals are
:class:`filiere.errors.ServiceError` with a ``committee.`` code (``phrases_decisions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events
from filiere.calls.models import Application, Call
from filiere.calls.models import State as AppState
from filiere.calls.notifications import team_recipients
from filiere.calls.permissions import instructs, is_call_staff
from filiere.calls.phrases import format_money
from filiere.calls.services.transitions import record_decision
from filiere.errors import Invalid, NotAllowed, ServiceError
from filiere.review.selectors import conflicted_applications
from filiere.review.services import email_language

from .letters import letter_filename, letter_pdf
from .models import (
    AgendaItem,
    Decision,
    DecisionStatus,
    Letter,
    LetterStatus,
    Outcome,
    Session,
    Vote,
)
from .selectors_decisions import anonymiser, feedback_paragraphs, scrub


@dataclass(frozen=True)
class LettersApproved:
    """Staff sent the outbox: the task e-mails these letters (``tasks_decisions``)."""

    letter_ids: tuple[int, ...]
    by_id: int


def second_signature_required(session: Session | None) -> bool:
    """The session's choice; without a session, the platform's
    (``FILIERE_DECISION_SECOND_SIGNATURE``, on unless set otherwise)."""
    if session is not None:
        return session.second_signature
    return bool(getattr(settings, "FILIERE_DECISION_SECOND_SIGNATURE", True))


# --- checks -------------------------------------------------------------------------------------


def _require_staff(by: User, application: Application) -> None:
    if not instructs(by, application):
        raise NotAllowed("committee.not_call_staff")


def _checked_amount(application: Application, outcome: str, amount: Decimal) -> Decimal:
    if outcome != Outcome.AWARD:
        if amount:
            raise Invalid("committee.decision.amount_not_zero", field="amount")
        return Decimal(0)
    if amount <= 0:
        raise Invalid("committee.decision.amount_missing", field="amount")
    requested = application.requested_amount
    if requested is not None and amount > requested:
        raise Invalid(
            "committee.decision.amount_above_request",
            {"requested": format_money(requested)},
            field="amount",
        )
    ceiling = application.call.ceiling_amount
    if ceiling is not None and amount > ceiling:
        raise Invalid(
            "committee.decision.amount_above_ceiling",
            {"ceiling": format_money(ceiling)},
            field="amount",
        )
    return amount


def _check_quorum(application: Application, session: Session | None) -> None:
    """On a session's agenda where votes were cast, the item's votes must reach the quorum."""
    items = AgendaItem.objects.filter(application=application).select_related("session")
    if session is not None:
        item = items.filter(session=session).first()
        if item is None:
            raise Invalid("committee.decision.not_on_agenda")
        items = items.filter(pk=item.pk)
    for item in items:
        if not Vote.objects.filter(item__session=item.session).exists():
            continue  # the session does not vote
        voted = Vote.objects.filter(item=item).count()
        if voted < item.session.quorum:
            raise ServiceError(
                "committee.decision.quorum_not_reached",
                {"voted": voted, "quorum": item.session.quorum},
            )


def _audit_data(decision: Decision) -> dict[str, object]:
    return {
        "decision": decision.pk,
        "outcome": decision.outcome,
        "amount": str(decision.amount),
        "session": decision.session_id,
    }


# --- decisions ----------------------------------------------------------------------------------


def propose_decision(
    *,
    application: Application,
    outcome: str,
    amount: Decimal,
    reason: str,
    by: User,
    session: Session | None = None,
) -> Decision:
    """Propose (or, without a second signature, record) the decision on an application before
    the committee: an award of 0 < amount ≤ the amount requested (and the call's ceiling), or a
    rejection / deferral with its reasons and no amount."""
    reason = (reason or "").strip()
    if outcome not in Outcome.values:
        raise Invalid("committee.decision.outcome_unknown", field="outcome")
    if session is not None and session.call_id != application.call_id:
        raise Invalid("committee.decision.not_on_agenda")
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        _require_staff(by, locked)
        if locked.state != AppState.COMMITTEE:
            raise ServiceError("committee.decision.not_in_committee")
        amount = _checked_amount(locked, outcome, Decimal(amount or 0))
        if outcome != Outcome.AWARD and not reason:
            raise Invalid("committee.decision.reason_missing", field="reason")
        # The applicant reads the reasons (the letter, their page): no expert's name in them.
        reason = anonymiser(locked.call)(reason)
        _check_quorum(locked, session)
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    application=locked,
                    session=session,
                    outcome=outcome,
                    amount=amount,
                    reason=reason,
                    proposed_by=by,
                )
        except IntegrityError:
            raise ServiceError("committee.decision.already_proposed") from None
        record(
            actor=by,
            action="committee.decision.proposed",
            obj=locked,
            reason=reason,
            data=_audit_data(decision),
        )
        if not second_signature_required(session):
            _confirm(decision, locked, by)
    return decision


def confirm_decision(*, decision: Decision, by: User) -> Decision:
    """The second signature: another staff member of the call records the proposed decision
    (the application's transition, the letter's draft). Two confirmations at once: the second
    waits for the first's lock and is refused."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        application = Application.objects.select_related("call").get(pk=locked.application_id)
        _require_staff(by, application)
        if locked.status != DecisionStatus.PROPOSED:
            raise ServiceError("committee.decision.not_proposed")
        if locked.proposed_by_id == by.pk:
            raise NotAllowed("committee.decision.same_person")
        _confirm(locked, application, by)
    return locked


def _confirm(decision: Decision, application: Application, by: User) -> None:
    record_decision(
        application=application,
        code=decision.outcome,
        by=by,
        reason=decision.reason,
        notify=False,
        data={"decision": decision.pk, "amount": str(decision.amount)},
    )
    decision.status = DecisionStatus.CONFIRMED
    decision.confirmed_by = by
    decision.confirmed_at = timezone.now()
    decision.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    language = email_language(application.lead)
    with translation.override(language):
        feedback = feedback_paragraphs(application)
    Letter.objects.create(decision=decision, language=language, feedback=feedback)
    record(
        actor=by,
        action="committee.decision.confirmed",
        obj=application,
        reason=decision.reason,
        data=_audit_data(decision),
    )


def cancel_decision(*, decision: Decision, by: User, reason: str) -> Decision:
    """Withdraw a decision that awaits its second signature (the proposer or another staff
    member of the call), with a reason for the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("committee.reason_missing", field="reason")
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        application = Application.objects.select_related("call").get(pk=locked.application_id)
        _require_staff(by, application)
        if locked.status != DecisionStatus.PROPOSED:
            raise ServiceError("committee.decision.not_proposed")
        locked.status = DecisionStatus.CANCELLED
        locked.save(update_fields=["status"])
        record(
            actor=by,
            action="committee.decision.cancelled",
            obj=application,
            reason=reason,
            data=_audit_data(locked),
        )
    return locked


# --- letters ------------------------------------------------------------------------------------


def edit_feedback(
    *, letter: Letter, by: User, paragraphs: Sequence[str], expected_version: int
) -> Letter:
    """Staff change the feedback of a letter in the outbox; an expert's name typed back in is
    taken out again. ``expected_version``: the one the editor read (else ``letter.stale``)."""
    with transaction.atomic():
        locked = (
            Letter.objects.select_for_update()
            .select_related("decision__application__call")
            .get(pk=letter.pk)
        )
        application = locked.decision.application
        _require_staff(by, application)
        if locked.status != LetterStatus.DRAFT:
            raise ServiceError("committee.letter.sent")
        if locked.version != expected_version:
            raise ServiceError("committee.letter.stale", field="feedback")
        locked.feedback = scrub(application.call, paragraphs)
        locked.version += 1
        locked.save(update_fields=["feedback", "version"])
        record(
            actor=by,
            action="committee.letter.edited",
            obj=application,
            data={"letter": locked.pk, "version": locked.version},
        )
    return locked


def approve_letters(*, call: Call, by: User) -> int:
    """ "Send all": the call's letters in the outbox leave in one batch, after the commit
    (``LettersApproved``); returns how many."""
    if not is_call_staff(by, call.pk):
        raise NotAllowed("committee.not_call_staff")
    with transaction.atomic():
        waiting = list(
            Letter.objects.select_for_update()
            .filter(
                status=LetterStatus.DRAFT,
                decision__status=DecisionStatus.CONFIRMED,
                decision__application__call=call,
            )
            .select_related("decision__application")
            .order_by("pk")
        )
        conflicted = conflicted_applications(
            by, call, [letter.decision.application_id for letter in waiting]
        )
        letters = [
            letter
            for letter in waiting
            # Nobody sends the letter of a file they are on, or in conflict with as an expert.
            if instructs(by, letter.decision.application)
            and letter.decision.application_id not in conflicted
        ]
        if not letters:
            raise ServiceError("committee.letter.nothing_to_send")
        ids = tuple(letter.pk for letter in letters)
        record(
            actor=by,
            action="committee.letter.approved",
            obj=call,
            data={"letters": list(ids)},
        )
        events.publish(LettersApproved(letter_ids=ids, by_id=by.pk))
    return len(ids)


def send_letters(*, letter_ids: Sequence[int], by_id: int) -> int:
    """E-mail each letter (its PDF attached, in its language) to the application's lead and
    accepted team members, and mark it sent; a letter already sent is skipped (never twice).
    Returns the number of letters sent."""
    by = User.objects.get(pk=by_id)
    sent = 0
    for pk in letter_ids:
        with transaction.atomic():
            letter = (
                Letter.objects.select_for_update()
                .select_related("decision__application__call__fund", "decision__application__lead")
                .filter(pk=pk, status=LetterStatus.DRAFT)
                .first()
            )
            if letter is None:
                continue
            _email_letter(letter)
            letter.status = LetterStatus.SENT
            letter.sent_at = timezone.now()
            letter.sent_by = by
            letter.save(update_fields=["status", "sent_at", "sent_by"])
            record(
                actor=by,
                action="committee.letter.sent",
                obj=letter.decision.application,
                data={
                    "letter": letter.pk,
                    "language": letter.language,
                    **_audit_data(letter.decision),
                },
            )
            sent += 1
    return sent


def _email_letter(letter: Letter) -> None:
    application = letter.decision.application
    addresses = [recipient.email for recipient in team_recipients(application)]
    with translation.override(letter.language):
        context = {
            "letter": letter,
            "decision": letter.decision,
            "application": application,
            "amount": format_money(letter.decision.amount),
            "url": settings.FILIERE_SITE_URL
            + reverse("calls:application_detail", args=[application.pk]),
        }
        subject = render_to_string("committee/email/letter_subject.txt", context)
        body = render_to_string("committee/email/letter_body.txt", context)
        pdf = letter_pdf(letter)
        filename = letter_filename(letter)
    messages = []
    for address in addresses:
        message = EmailMessage(
            subject=" ".join(subject.split()),
            body=body.strip() + "\n",
            to=[address],
            headers={"Content-Language": letter.language, "Auto-Submitted": "auto-generated"},
        )
        message.attach(filename, pdf, "application/pdf")
        messages.append(message)
    with get_connection() as connection:
        connection.send_messages(messages)
