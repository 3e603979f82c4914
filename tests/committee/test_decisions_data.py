"""Test data of the decisions (no tests here): a confirmed decision on an application reviewed
by an expert whose names and address are canaries, written into the review's opinion."""

from __future__ import annotations

from decimal import Decimal

from filiere.accounts.models import User
from filiere.calls.models import Call
from filiere.committee.models import Letter
from filiere.committee.services_decisions import confirm_decision, propose_decision
from tests.committee.factories import call_staff, expert, reviewed, staff

#: The names of the expert who reviewed the file: none may reach the applicant.
PERSON_FIRST, PERSON_LAST = "Zorglubine", "Canarywood"
USER_FIRST, USER_LAST = "Quentinzo", "Birdcagely"


def canary_expert(call: Call) -> User:
    user = expert(call.fund, first_name=PERSON_FIRST, last_name=PERSON_LAST)
    user.first_name, user.last_name = USER_FIRST, USER_LAST
    user.save()
    return user


def canaries(user: User) -> list[str]:
    return [PERSON_FIRST, PERSON_LAST, USER_FIRST, USER_LAST, user.email]


def decided(
    call: Call,
    *,
    outcome: str = "award",
    amount: Decimal = Decimal("30000"),
    reason: str = "",
    lead_language: str = "fr",
) -> tuple[Letter, User]:
    """A confirmed decision (proposed by the staff, confirmed by a staff member of the call)
    whose letter is in the outbox; with the canary expert."""
    reviewer = canary_expert(call)
    application = reviewed(call, [70], experts=[reviewer])
    application.lead.preferred_language = lead_language
    application.lead.save()
    review = application.assignments.get().review
    review.opinion = (
        f"Un récit solide. {PERSON_FIRST} {PERSON_LAST} ({reviewer.email}) conseille, comme "
        f"{USER_FIRST} {USER_LAST}, de resserrer le budget."
    )
    review.confidential_note = "Note confidentielle pour le comité"
    review.save()
    decision = propose_decision(
        application=application, outcome=outcome, amount=amount, reason=reason, by=staff()
    )
    confirm_decision(decision=decision, by=call_staff(call))
    return Letter.objects.select_related("decision__application__call__fund").get(
        decision=decision
    ), reviewer
