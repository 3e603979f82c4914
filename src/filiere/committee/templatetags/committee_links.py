"""The committee's decision on the applicant's application page (``{% load committee_links %}``).

The calls app sits below the committee (it never imports it), so its applicant page asks this
library: ``{% decision_of application as decision %}`` answers the confirmed decision only to
the application's lead and accepted team members (the rule of the page's gatekeeper,
``access_application_for_member``), else ``None`` and the page shows nothing. The feedback and
the letter's PDF come once the letter is sent. Never a reviewer's name: the feedback is the
letter's, anonymised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse

from filiere.calls.models import Application
from filiere.calls.permissions import instructs, is_member

from ..models import AgendaItem, SessionStatus
from ..selectors_decisions import confirmed_decision, letter_of, shown_feedback

register = template.Library()


@dataclass(frozen=True)
class ApplicantDecision:
    outcome: str
    label: str
    amount: Decimal | None  # awards only
    reason: str
    feedback: list[str] = field(default_factory=list)
    sent_at: datetime | None = None
    pdf_url: str = ""


@register.simple_tag(takes_context=True)
def decision_of(context: template.Context, application: Application) -> ApplicantDecision | None:
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if user is None or not is_member(user, application):
        return None
    decision = confirmed_decision(application)
    if decision is None:
        return None
    letter = letter_of(decision)
    sent = letter is not None and letter.sent_at is not None
    return ApplicantDecision(
        outcome=decision.outcome,
        label=str(decision.get_outcome_display()),
        amount=decision.amount if decision.outcome == "award" else None,
        reason=decision.reason,
        feedback=shown_feedback(decision),
        sent_at=letter.sent_at if sent and letter is not None else None,
        pdf_url=reverse("committee:letter_pdf", args=[letter.pk]) if sent and letter else "",
    )


@register.simple_tag(takes_context=True)
def decide_url(context: template.Context, application: Application) -> str:
    """The committee's decision page of an application before the committee, for the staff who
    instruct it (the instruction page's generic form refuses the decisions: they carry an
    amount and a second signature); "" otherwise, and the page shows no link."""
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if application.state != "committee" or user is None or not instructs(user, application):
        return ""
    item = (
        AgendaItem.objects.filter(application=application)
        .exclude(session__status=SessionStatus.CLOSED)
        .order_by("-session__meets_at")
        .first()
    )
    if item is None:
        return ""
    return reverse("committee:decide", args=[item.session_id, application.pk])
