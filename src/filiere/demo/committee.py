"""The demo's committee of the 2009 call: the reviews its files had before the committee, a
first session held three weeks ago whose decisions are recorded and whose letters went out (the
last three still in the outbox), and a second session, open, with its agenda ranked by the
calibrated scores, votes under way, the envelope simulator's result and one award awaiting its
second signature.

The first session is history: its files were put in their decided states by
``demo.applications``, so its decisions, votes and letters are written as records of what
happened (the feedback drawn from the reviews, anonymised, by ``committee.selectors_decisions``).
The second session is made through the services a staff member and the members use. The demo
applicant account is a co-applicant of one awarded file, so that it reads a decision, its
amount and the feedback.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone, translation

from filiere.accounts.models import Role, RoleGrant, User
from filiere.accounts.services import grant_role
from filiere.calls.models import Application, Call, TeamMember
from filiere.committee import services_decisions, services_sessions, services_simulator
from filiere.committee.models import (
    SESSION_SCOPE,
    AgendaItem,
    Decision,
    DecisionStatus,
    Letter,
    LetterStatus,
    Outcome,
    Scenario,
    Session,
    SessionMember,
    SessionStatus,
    Vote,
    VoteChoice,
)
from filiere.committee.selectors_decisions import feedback_paragraphs
from filiere.committee.selectors_scores import scores_of_call
from filiere.review.models import Assignment, Expert, ExpertStatus, PairResponse, PairStatus
from filiere.review.selectors import conflicted_pairs
from filiere.review.selectors_review import criteria_of
from filiere.review.services import email_language

from .accounts import DEMO_APPLICANT_EMAIL, DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL
from .reviews import _submit

DEMO_COMMITTEE_EMAIL = "committee@example.org"
DEMO_ADMIN_EMAIL = "admin@example.org"
#: The other members of the committee (accounts without a password: they never sign in).
MEMBERS = (
    ("comite.vandamme@example.org", "Anne", "Vandamme"),
    ("comite.leroy@example.org", "Michel", "Leroy"),
)
REVIEWS_PER_FILE = 3
DECIDED = {
    "awarded": Outcome.AWARD,
    "agreement": Outcome.AWARD,
    "in_payment": Outcome.AWARD,
    "closed": Outcome.AWARD,
    "rejected": Outcome.REJECT,
    "deferred": Outcome.DEFER,
}
REASONS = {
    Outcome.REJECT: (
        "Le comité salue l'ambition du projet mais juge le plan de financement trop fragile "
        "et l'écriture interactive encore trop proche d'un format linéaire."
    ),
    Outcome.DEFER: (
        "Le comité souhaite revoir le projet à la prochaine session, avec un partenaire de "
        "diffusion confirmé et un calendrier de production resserré."
    ),
}
#: Letters of the first session still in the outbox (the latest awards).
IN_OUTBOX = 3


@dataclass
class DemoCommitteeResult:
    reviews: int = 0
    decisions: int = 0
    letters_sent: int = 0
    outbox: int = 0
    agenda: int = 0
    votes: int = 0
    simulation: str = ""
    awaiting_signature: int = 0


def remove_demo_committee(application_ids: list[int]) -> None:
    """Remove the committee's records of these applications (they protect the applications)
    and the sessions left without an item, with their members' grants."""
    decisions = Decision.objects.filter(application_id__in=application_ids)
    Letter.objects.filter(decision__in=decisions).delete()
    decisions.delete()
    AgendaItem.objects.filter(application_id__in=application_ids).delete()
    empty = Session.objects.filter(items__isnull=True)
    RoleGrant.objects.filter(scope_type=SESSION_SCOPE, scope_id__in=empty.values("pk")).delete()
    Scenario.objects.filter(session__in=empty).delete()
    Decision.objects.filter(session__in=empty).delete()
    SessionMember.objects.filter(session__in=empty).delete()
    empty.delete()


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _members() -> list[User]:
    found = []
    for email, first, last in MEMBERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        found.append(user)
    return found


def _euros(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_DOWN)


def _review_before_committee(call: Call, files: list[Application]) -> int:
    """Three submitted reviews for each file that reached the committee, by the pool's experts
    (the demo expert's inbox is left as ``demo.reviews`` made it), never a conflicted pair."""
    experts = list(
        Expert.objects.filter(fund_id=call.fund_id, status=ExpertStatus.ACTIVE, user__isnull=False)
        .exclude(user__email=DEMO_EXPERT_EMAIL)
        .select_related("user")
        .order_by("email")
    )
    if not experts:
        return 0
    conflicted = conflicted_pairs(call)
    criteria = criteria_of(call)
    load = {expert.pk: 0 for expert in experts}
    written = 0
    for application in files:
        free = [e for e in experts if (application.pk, e.pk) not in conflicted]
        # The least loaded first, so that every expert shares files with the others.
        chosen = sorted(free, key=lambda e: (load[e.pk], e.email))[:REVIEWS_PER_FILE]
        for expert in chosen:
            if expert.user is None:  # the query keeps experts with an account only
                continue
            pair = Assignment.objects.create(
                application=application,
                expert=expert,
                status=PairStatus.PUBLISHED,
                response=PairResponse.ACCEPTED,
                affinity=0.5,
            )
            pair.application = application
            _submit(pair, expert.user, criteria)
            load[expert.pk] += 1
            written += 1
    return written


def _vote_for(score: float | None, outcome: str | None = None) -> str:
    if outcome == Outcome.AWARD:
        return VoteChoice.FUND
    if outcome == Outcome.REJECT:
        return VoteChoice.REJECT
    if outcome == Outcome.DEFER:
        return VoteChoice.DEFER
    return VoteChoice.FUND if (score or 0) >= 60 else VoteChoice.REJECT


def _first_session(
    call: Call,
    files: list[Application],
    staff: User,
    chair: User,
    others: list[User],
    admin: User,
    applicant: User | None,
    result: DemoCommitteeResult,
) -> None:
    held = timezone.now() - dt.timedelta(days=21)
    session = Session.objects.create(
        call=call,
        title="Comité de sélection — 1re session",
        meets_at=held,
        place="Plaine Images, Tourcoing",
        quorum=3,
        second_signature=True,
        status=SessionStatus.CLOSED,
        created_by=staff,
    )
    people = [chair, *others]
    for person in people:
        grant = grant_role(
            user=person,
            role=Role.COMMITTEE,
            scope_type=SESSION_SCOPE,
            scope_id=session.pk,
            by=None,
            reason="demo",
        )
        SessionMember.objects.create(
            session=session, user=person, grant=grant, chairs=person == chair
        )
    awards = [a for a in files if DECIDED[a.state] == Outcome.AWARD]
    # The latest awards (still "awarded", no agreement yet) keep their letters in the outbox.
    outbox = {a.pk for a in [a for a in awards if a.state == "awarded"][-IN_OUTBOX:]}
    for position, application in enumerate(files, start=1):
        outcome = DECIDED[application.state]
        item = AgendaItem.objects.create(
            session=session, application=application, position=position
        )
        for person in people:
            Vote.objects.create(item=item, voter=person, choice=_vote_for(None, outcome))
        result.votes += len(people)
        # One award in four is partial: 80 % of the request.
        requested = application.requested_amount or Decimal(0)
        amount = (
            Decimal(0)
            if outcome != Outcome.AWARD
            else _euros(requested * Decimal("0.8"))
            if position % 4 == 0
            else requested
        )
        decision = Decision.objects.create(
            application=application,
            session=session,
            outcome=outcome,
            amount=amount,
            reason=REASONS.get(outcome, ""),
            status=DecisionStatus.CONFIRMED,
            proposed_by=staff,
            confirmed_by=admin,
            confirmed_at=held + dt.timedelta(days=1),
        )
        language = email_language(application.lead)
        with translation.override(language):
            feedback = feedback_paragraphs(application)
        sent = application.pk not in outbox
        Letter.objects.create(
            decision=decision,
            language=language,
            feedback=feedback,
            status=LetterStatus.SENT if sent else LetterStatus.DRAFT,
            sent_at=held + dt.timedelta(days=3) if sent else None,
            sent_by=staff if sent else None,
        )
        result.decisions += 1
        result.letters_sent += sent
        result.outbox += not sent
    # The demo applicant co-produces the first award whose letter went out.
    shown = next((a for a in awards if a.pk not in outbox), None)
    if applicant is not None and shown is not None:
        TeamMember.objects.create(
            application=shown,
            user=applicant,
            email=applicant.email,
            role=TeamMember.Role.BELGIAN_COPRODUCER,
            can_edit=False,
            invitation_token=secrets.token_urlsafe(32),
            accepted_at=held - dt.timedelta(days=60),
        )


def _second_session(
    call: Call,
    files: list[Application],
    staff: User,
    chair: User,
    others: list[User],
    result: DemoCommitteeResult,
) -> None:
    session = services_sessions.create_session(
        call=call,
        title="Comité de sélection — 2e session",
        meets_at=timezone.now() + dt.timedelta(days=5),
        place="Plaine Images, Tourcoing",
        quorum=3,
        second_signature=True,
        by=staff,
    )
    services_sessions.add_member(session=session, user=chair, chairs=True, by=staff)
    for person in others:
        services_sessions.add_member(session=session, user=person, by=staff)
    services_sessions.add_to_agenda(session=session, applications=files, by=staff)
    items = services_sessions.order_by_ranking(session=session, by=staff)
    services_sessions.open_session(session=session, by=staff)
    result.agenda = len(items)
    scores = scores_of_call(call)
    # The other members voted on the first six files; the chair on the first one only, which
    # staff then proposed to fund (the second signature is the administrator's to give).
    for item in items[:6]:
        score = scores.get(item.application_id)
        for person in others:
            services_sessions.record_vote(
                item=item, by=person, choice=_vote_for(score.calibrated if score else None)
            )
            result.votes += 1
    if items:
        top = items[0]
        services_sessions.record_vote(item=top, by=chair, choice=VoteChoice.FUND)
        result.votes += 1
        application = Application.objects.get(pk=top.application_id)
        services_decisions.propose_decision(
            application=application,
            outcome=Outcome.AWARD,
            amount=application.requested_amount or Decimal(0),
            reason="",
            by=staff,
            session=session,
        )
        result.awaiting_signature = 1
    awarded = sum(
        Decision.objects.filter(
            application__call=call, status=DecisionStatus.CONFIRMED, outcome=Outcome.AWARD
        ).values_list("amount", flat=True),
        Decimal(0),
    )
    envelope = max(call.envelope - awarded, Decimal("100000"))
    genre = next((a.genre.code for a in files if a.genre is not None), None)
    rules: dict[str, object] = {"objective": "merit", "max_per_organisation": 1}
    if genre:
        rules["quotas"] = [{"field": "genre", "value": genre, "max_count": 2}]
    scenario = services_simulator.request_simulation(
        session=session, by=staff, envelope=envelope, rules=rules
    )
    result.simulation = services_simulator.execute_scenario(scenario_id=scenario.pk)


def seed_demo_committee(call: Call) -> DemoCommitteeResult:
    """Reviews before the committee, the first session's decisions and letters, the second
    session open (see the module's text)."""
    result = DemoCommitteeResult()
    staff, chair, admin = (
        _user(e) for e in (DEMO_STAFF_EMAIL, DEMO_COMMITTEE_EMAIL, DEMO_ADMIN_EMAIL)
    )
    if staff is None or chair is None or admin is None:
        return result
    applicant = _user(DEMO_APPLICANT_EMAIL)
    files = list(
        Application.objects.filter(call=call, state__in=[*DECIDED, "committee"])
        .select_related("lead", "genre")
        .order_by("reference")
    )
    with transaction.atomic():
        remove_demo_committee([a.pk for a in files])
        others = _members()
        result.reviews = _review_before_committee(call, files)
        decided = [a for a in files if a.state in DECIDED]
        waiting = [a for a in files if a.state == "committee"]
        _first_session(call, decided, staff, chair, others, admin, applicant, result)
        _second_session(call, waiting, staff, chair, others, result)
    return result
