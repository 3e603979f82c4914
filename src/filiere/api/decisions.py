"""The committee's decision on an application: ``GET /api/v1/applications/{id}/decision``.

With the permissions of the pages: the application's lead and accepted team members, and the
staff of its call who are not on its team (``access_application_by_id``: 404 for anyone else,
a pending invitee included). The latest confirmed decision (404 while there is none): its
outcome, the amount of an award, the reasons, and once the letter is sent its feedback (the
reviews' opinions, anonymised) and when it was sent. Never a reviewer's name.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404
from ninja import Router, Schema

from filiere.calls.access import access_application_by_id
from filiere.committee.selectors_decisions import confirmed_decision, letter_of, shown_feedback

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut

router = Router(tags=["decisions"])


class DecisionOut(Schema):
    application: int
    reference: str
    #: ``award``, ``reject`` or ``defer``.
    outcome: str
    outcome_label: str
    #: The amount awarded (EUR); 0 unless an award.
    amount: Decimal
    reason: str
    confirmed_at: datetime | None
    #: The letter's feedback paragraphs ("Reviewer A: …"), empty until the letter is sent.
    feedback: list[str]
    #: When the letter was sent; null while it is in the outbox.
    letter_sent_at: datetime | None
    #: The letter's language (``fr``, ``en``, ``nl``).
    letter_language: str | None


@router.get(
    "/applications/{application_id}/decision",
    response={200: DecisionOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="The decision on an application",
)
def application_decision(request: SignedInRequest, application_id: int) -> dict[str, Any]:
    # permission: signed in; the staff who instruct it, its lead and accepted team members
    # (access_application_by_id); 404 for everyone else and while no decision is confirmed
    application, _as_staff = access_application_by_id(request.auth, application_id)
    decision = confirmed_decision(application)
    if decision is None:
        raise Http404
    letter = letter_of(decision)
    return {
        "application": application.pk,
        "reference": application.reference,
        "outcome": decision.outcome,
        "outcome_label": str(decision.get_outcome_display()),
        "amount": decision.amount,
        "reason": decision.reason,
        "confirmed_at": decision.confirmed_at,
        "feedback": shown_feedback(decision),
        "letter_sent_at": letter.sent_at if letter is not None else None,
        "letter_language": letter.language if letter is not None else None,
    }
