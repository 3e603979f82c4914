"""Reads of the decisions and letters: the feedback drawn from the reviews (anonymised), a
session's decisions, a call's outbox, and the gatekeepers of a decision and of a letter.

Reviewers' identities never reach applicants: the feedback is the submitted reviews' opinions
(never the confidential notes) labelled "Reviewer A, B…", with every name and address of the
fund's pool of experts taken out of the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from filiere.accounts.types import AnyUser
from filiere.calls.models import Application, Call
from filiere.calls.models import State as AppState
from filiere.calls.permissions import instructs, is_member, not_on_team_q
from filiere.review.models import Expert, PairStatus, Review, ReviewStatus
from filiere.review.selectors import conflicted_applications
from filiere.review.selectors_review import reviewer_label

from .access import readable_items
from .models import AgendaItem, Decision, DecisionStatus, Letter, LetterStatus, Session

#: What replaces a name or an address of an expert in the feedback.
REDACTED = "[…]"


# --- anonymisation ------------------------------------------------------------------------------


def _expert_identities(call: Call) -> list[str]:
    """Every name and address of the experts of the call's fund (pool rows in any status)."""
    found: set[str] = set()
    for expert in Expert.objects.filter(fund_id=call.fund_id).select_related("user__person"):
        found.add(expert.email)
        user = expert.user
        if user is None:
            continue
        found.update({user.email, user.first_name, user.last_name, user.get_full_name()})
        person = getattr(user, "person", None)
        if person is not None:
            full = f"{person.first_name} {person.last_name}"
            found.update({person.first_name, person.last_name, full})
    return [text.strip() for text in found if len(text.strip()) > 1]


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` without its accents (decomposed, combining marks dropped), and for each of its
    characters the index of the character of ``text`` it comes from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFD", char):
            if not unicodedata.combining(part):
                folded.append(part)
                origin.append(index)
    return "".join(folded), origin


def anonymiser(call: Call) -> Callable[[str], str]:
    """A function that takes every expert's name and address out of a text (whole words, any
    case, with or without accents: "Elodie" is "Élodie"; the longest first, so that a full name
    goes before its parts)."""
    identities = sorted({_fold(i)[0] for i in _expert_identities(call)}, key=len, reverse=True)
    if not identities:
        return lambda text: text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(i) for i in identities) + r")(?!\w)", re.IGNORECASE
    )

    def clean(text: str) -> str:
        # Matched on the text without accents, replaced in the text as typed.
        folded, origin = _fold(text)
        pieces, kept = [], 0
        for match in pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            while end < len(text) and unicodedata.combining(text[end]):
                end += 1  # the accents of the name's last letter go with it
            pieces += [text[kept:start], REDACTED]
            kept = end
        return "".join(pieces) + text[kept:]

    return clean


def scrub(call: Call, paragraphs: Iterable[str]) -> list[str]:
    """``paragraphs`` without an expert's name or address, blank ones dropped."""
    clean = anonymiser(call)
    return [clean(p.strip()) for p in paragraphs if p.strip()]


def feedback_paragraphs(application: Application) -> list[str]:
    """The submitted reviews' opinions for the applicant, one paragraph each, labelled by the
    order of the published assignments ("Reviewer A: …", in the active language), anonymised."""
    assignments = list(
        application.assignments.filter(status=PairStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    labels = {pk: reviewer_label(index) for index, pk in enumerate(assignments)}
    reviews = Review.objects.filter(
        assignment__application=application, status=ReviewStatus.SUBMITTED
    ).order_by("assignment_id")
    paragraphs = [
        _("Reviewer %(label)s: %(opinion)s")
        % {"label": labels.get(review.assignment_id, "?"), "opinion": review.opinion.strip()}
        for review in reviews
        if review.opinion.strip()
    ]
    return scrub(application.call, paragraphs)


# --- staff's lists ------------------------------------------------------------------------------


def _readable_applications(user: AnyUser, call: Call) -> list[int]:
    """The ids of ``call``'s applications ``user`` may read: not on the team, not in conflict
    as an expert (the rule of ``access.readable_items``).

    Read as a list (one query, the call's applications) rather than a subquery: joined to the
    letters and decisions, PostgreSQL with stale statistics planned that subquery as a loop over
    every application and team member for each letter (the outbox took over 15 minutes in CI,
    on the demo's data)."""
    readable = call.applications.filter(not_on_team_q(user))
    if not user.is_authenticated:
        return []
    conflicted = conflicted_applications(user, call, readable.values("pk"))
    return list(readable.exclude(pk__in=conflicted).values_list("pk", flat=True))


def session_decisions(user: AnyUser, session: Session) -> QuerySet[Decision]:
    """The decisions recorded in ``session`` that ``user`` may read, those awaiting a second
    signature first."""
    return (
        Decision.objects.filter(
            session=session, application__in=_readable_applications(user, session.call)
        )
        .exclude(status=DecisionStatus.CANCELLED)
        .select_related("application", "proposed_by", "confirmed_by", "letter")
        .order_by("-status", "application__reference", "pk")
    )


def outbox(user: AnyUser, call: Call) -> QuerySet[Letter]:
    """The call's letters waiting to be sent that ``user`` may read, by application reference."""
    return (
        Letter.objects.filter(
            status=LetterStatus.DRAFT,
            decision__status=DecisionStatus.CONFIRMED,
            decision__application__call=call,
            decision__application__in=_readable_applications(user, call),
        )
        .select_related("decision__application")
        .order_by("decision__application__reference", "pk")
    )


def sent_letters(call: Call) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(status=LetterStatus.SENT, decision__application__call=call)
        .select_related("decision__application", "sent_by")
        .order_by("decision__application__reference", "pk")
    )


# --- gatekeepers --------------------------------------------------------------------------------


def _acts_on(user: AnyUser, application: Application) -> bool:
    """The staff of the application's call, neither on its team nor in conflict with it as an
    expert (the rule of the agenda's items: ``access.readable_items``)."""
    if not instructs(user, application) or not user.is_authenticated:
        return False
    return not conflicted_applications(user, application.call, [application.pk])


def confirmed_decision(application: Application) -> Decision | None:
    """The application's latest confirmed decision, with its letter."""
    return (
        Decision.objects.filter(application=application, status=DecisionStatus.CONFIRMED)
        .select_related("letter")
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def letter_of(decision: Decision) -> Letter | None:
    try:
        return decision.letter
    except Letter.DoesNotExist:
        return None


def letter_for_staff(user: AnyUser, pk: int) -> Letter:
    """A letter of a confirmed decision, for the staff of its call who are not on its team nor
    in conflict with it."""
    letter = (
        Letter.objects.select_related("decision__application__call__fund")
        .filter(pk=pk, decision__status=DecisionStatus.CONFIRMED)
        .first()
    )
    if letter is None or not _acts_on(user, letter.decision.application):
        raise Http404
    return letter


def letter_for_reader(user: AnyUser, pk: int) -> Letter:
    """A letter as a PDF: any of a confirmed decision for the staff of its call (a preview),
    a sent one for the application's lead and accepted team members; 404 for anyone else
    (a pending invitee, another team, an expert, a committee member)."""
    letter = (
        Letter.objects.select_related("decision__application__call__fund")
        .filter(pk=pk, decision__status=DecisionStatus.CONFIRMED)
        .first()
    )
    if letter is None:
        raise Http404
    application = letter.decision.application
    if _acts_on(user, application):
        return letter
    if letter.status == LetterStatus.SENT and is_member(user, application):
        return letter
    raise Http404


def decision_for_staff(user: AnyUser, pk: int) -> Decision:
    """A decision, for the staff of its call who are neither on its application's team nor in
    conflict with it."""
    decision = Decision.objects.select_related("application__call", "session").filter(pk=pk).first()
    if decision is None or not _acts_on(user, decision.application):
        raise Http404
    return decision


def application_on_agenda(user: AnyUser, session: Session, application_pk: int) -> Application:
    """An application on ``session``'s agenda that ``user`` may read (``readable_items``: not
    one they are on, nor one they are in conflict with); 404 otherwise."""
    item = readable_items(user, session).filter(application_id=application_pk).first()
    if item is None:
        raise Http404
    return Application.objects.select_related("call").get(pk=item.application_id)


def readable_decision(user: AnyUser, application: Application) -> Decision | None:
    """The confirmed decision of ``application`` for its lead and accepted team members (the
    calls gatekeepers' rule) and the staff who instruct it; ``None`` for anyone else."""
    if not (is_member(user, application) or instructs(user, application)):
        return None
    return confirmed_decision(application)


def shown_feedback(decision: Decision) -> list[str]:
    """The feedback an applicant reads: the letter's, once it is sent."""
    letter = letter_of(decision)
    return (
        list(letter.feedback) if letter is not None and letter.status == LetterStatus.SENT else []
    )


def awaiting_decision(user: AnyUser, session: Session) -> QuerySet[AgendaItem]:
    """The agenda items ``user`` may read whose application is before the committee without a
    decision awaiting its second signature."""
    waiting = Decision.objects.filter(status=DecisionStatus.PROPOSED).values("application_id")
    return (
        readable_items(user, session)
        .filter(application__state=AppState.COMMITTEE)
        .exclude(application_id__in=waiting)
    )
