"""Reads of the committee's sessions: the sessions a person sees, a session's members, the
agenda with its figures and votes, and one item with its reviews.

Who sees what (the gatekeepers in ``access`` come first):

- the agenda shows only the items the reader may read (never one whose application they are on,
  nor one they are in conflict with as an expert);
- the reviews of an item carry the expert's name for the staff of the call, "Reviewer A, B…"
  (``review.selectors_review.reviewer_label``, the order of the file's assignments) for members;
- recorded votes are shown with their voter to the members and the staff.

The figures come from ``selectors_scores`` (``engine.calibration``). Every list costs a fixed
number of queries, whatever its length.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from filiere.accounts.models import Role, User
from filiere.accounts.types import AnyUser
from filiere.calls.models import Application
from filiere.calls.models import State as AppState
from filiere.calls.permissions import not_on_team_q, staff_call_ids
from filiere.review.models import Assignment, PairStatus, Review, ReviewStatus
from filiere.review.selectors import expert_name
from filiere.review.selectors_review import criteria_of, reviewer_label

from .access import readable_items
from .models import SESSION_SCOPE, AgendaItem, Session, SessionMember, Vote, VoteChoice
from .permissions import runs_committee
from .selectors_scores import Score, scores_of_call

#: Items per page of the agenda (a session may hold every reviewed application of a call).
AGENDA_PER_PAGE = 100

#: The states from which an application may join an agenda (``services_sessions``).
AGENDA_STATES = (
    AppState.UNDER_REVIEW,
    AppState.HEARING,
    AppState.DEFERRED,
    AppState.COMMITTEE,
)


def person_name(user: User) -> str:
    """A member or voter as the committee sees them (``user.person`` selected with the user)."""
    return expert_name(user, user.email)


# --- Sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    session: Session
    items: int
    member: bool  # an active member (votes)
    chairs: bool
    staff: bool  # runs it (the staff of its call)


def sessions_for(user: AnyUser) -> list[SessionRow]:
    """The sessions ``user`` is an active member of and those of the calls they instruct, the
    next meeting first. A global committee role alone gives none. Two queries."""
    if not user.is_authenticated:
        return []
    memberships = {
        m.session_id: m
        for m in SessionMember.objects.filter(user=user, removed_at__isnull=True)
        if user.has_role(Role.COMMITTEE, scope_type=SESSION_SCOPE, scope_id=m.session_id)
    }
    calls = staff_call_ids(user)
    visible = Q(pk__in=sorted(memberships))
    if calls is None:
        visible = Q()
    elif calls:
        visible |= Q(call_id__in=sorted(calls))
    sessions = (
        Session.objects.filter(visible)
        .select_related("call")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-meets_at", "-pk")
    )
    return [
        SessionRow(
            session=session,
            items=session.item_count,
            member=session.pk in memberships,
            chairs=session.pk in memberships and memberships[session.pk].chairs,
            staff=calls is None or session.call_id in calls,
        )
        for session in sessions
    ]


def members_of(session: Session) -> list[SessionMember]:
    """The active members, chairs first, with their directory name (one query)."""
    return list(
        SessionMember.objects.filter(session=session, removed_at__isnull=True)
        .select_related("user__person")
        .order_by("-chairs", "user__email")
    )


def eligible_applications(user: AnyUser, session: Session) -> QuerySet[Application]:
    """Applications of the session's call the staff may add to its agenda: under review, after
    a hearing, deferred or before the committee, not on it yet, not one ``user`` is on."""
    return (
        Application.objects.filter(call_id=session.call_id, state__in=AGENDA_STATES)
        .filter(not_on_team_q(user))
        .exclude(pk__in=AgendaItem.objects.filter(session=session).values("application_id"))
        .select_related("organisation")
        .order_by("reference")
    )


# --- The agenda ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    score: Score | None
    votes: dict[str, int]  # choice → count, every choice present
    my_vote: str | None
    quorum: int

    @property
    def application(self) -> Application:
        return self.item.application

    @property
    def votes_cast(self) -> int:
        return sum(self.votes.values())

    @property
    def quorum_reached(self) -> bool:
        """Votes cast (abstentions included) reach the session's quorum."""
        return self.votes_cast >= self.quorum

    @property
    def vote_counts(self) -> list[tuple[str, str, int]]:
        """(choice, label, count) in the order of the choices, for tables."""
        return [(value, str(label), self.votes[value]) for value, label in VoteChoice.choices]


def _rows(user: AnyUser, session: Session, items: Sequence[AgendaItem]) -> list[AgendaRow]:
    ids = [item.pk for item in items]
    counts: dict[int, Counter[str]] = {}
    for item_id, choice, n in (
        Vote.objects.filter(item_id__in=ids)
        .values_list("item_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(item_id, Counter())[choice] = n
    mine = (
        dict(
            Vote.objects.filter(item_id__in=ids, voter_id=user.pk).values_list("item_id", "choice")
        )
        if user.is_authenticated
        else {}
    )
    scores = scores_of_call(session.call)
    return [
        AgendaRow(
            item=item,
            score=scores.get(item.application_id),
            votes={value: counts.get(item.pk, Counter())[value] for value in VoteChoice.values},
            my_vote=mine.get(item.pk),
            quorum=session.quorum,
        )
        for item in items
    ]


def agenda_row(user: AnyUser, session: Session, item: AgendaItem) -> AgendaRow:
    """One item's row (past its gatekeeper), as on the agenda."""
    return _rows(user, session, [item])[0]


@dataclass(frozen=True)
class AgendaPage:
    """One page of the agenda as ``user`` may read it: its rows, and the requested amounts of
    the whole readable agenda (the table's footer)."""

    page: Page[AgendaItem]
    rows: list[AgendaRow]
    requested: Decimal


def agenda_page(user: AnyUser, session: Session, number: str | int | None) -> AgendaPage:
    """Page ``number`` of the agenda (``AGENDA_PER_PAGE`` items, by position), as
    ``agenda_rows`` for its items only: a fixed number of queries and rows, whatever the size
    of the agenda."""
    items = readable_items(user, session).order_by("position", "pk")
    page = Paginator(items, AGENDA_PER_PAGE).get_page(number)
    total = items.aggregate(total=Sum("application__requested_amount"))["total"]
    return AgendaPage(page, _rows(user, session, list(page.object_list)), total or Decimal(0))


def agenda_rows(user: AnyUser, session: Session) -> list[AgendaRow]:
    """The agenda as ``user`` may read it, by position: each application with its figures
    (raw mean, calibrated score and interval, spread, reviews), the votes per choice, the
    reader's own vote and whether the quorum is reached. A fixed number of queries."""
    items = list(readable_items(user, session).order_by("position", "pk"))
    return _rows(user, session, items)


# --- Reviews and votes of items -----------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    reviewer: str  # the expert's name (staff) or "A", "B"… (members)
    named: bool
    review: Review
    scores: list[tuple[str, int | str | None]]  # (criterion label, score or "na")

    @property
    def total(self) -> float | None:
        return self.review.total


def reviews_of(
    applications: Iterable[int], session: Session, *, names: bool
) -> dict[int, list[ReviewRow]]:
    """Application id → its submitted reviews, in the order of its assignments; ``names``: the
    experts' names (the staff), else their letters. Three queries, whatever the count."""
    ids = sorted(set(applications))
    criteria = criteria_of(session.call)
    letters: dict[int, str] = {}
    order: dict[int, int] = {}
    for application_id, pk in (
        Assignment.objects.filter(application_id__in=ids, status=PairStatus.PUBLISHED)
        .order_by("application_id", "pk")
        .values_list("application_id", "pk")
    ):
        order[application_id] = order.get(application_id, -1) + 1
        letters[pk] = reviewer_label(order[application_id])
    reviews = Review.objects.filter(
        assignment__application_id__in=ids, status=ReviewStatus.SUBMITTED
    ).order_by("assignment_id")
    if names:
        reviews = reviews.select_related("assignment__expert__user__person")
    else:
        reviews = reviews.select_related("assignment")
    found: dict[int, list[ReviewRow]] = {pk: [] for pk in ids}
    for review in reviews:
        pair = review.assignment
        if names:
            reviewer = expert_name(pair.expert.user, pair.expert.email)
        else:
            reviewer = letters.get(pair.pk, "?")
        found[pair.application_id].append(
            ReviewRow(
                reviewer=reviewer,
                named=names,
                review=review,
                scores=[(str(c.label), review.scores.get(c.code)) for c in criteria],
            )
        )
    return found


@dataclass(frozen=True)
class CastVote:
    voter: str
    choice: str
    label: str
    mine: bool


@dataclass
class ItemDetail:
    row: AgendaRow
    reviews: list[ReviewRow] = field(default_factory=list)
    votes: list[CastVote] = field(default_factory=list)
    names: bool = False  # the reader sees the experts' names (the staff)

    @property
    def application(self) -> Application:
        return self.row.application


def item_detail(user: AnyUser, session: Session, item: AgendaItem) -> ItemDetail:
    """One item past its gatekeeper (``access.item_for_reader``): the application, its figures
    and votes, its reviews (named for the staff of the call only) and who voted what."""
    names = runs_committee(user, session)
    row = agenda_row(user, session, item)
    labels = dict(VoteChoice.choices)
    votes = [
        CastVote(
            voter=person_name(vote.voter),
            choice=vote.choice,
            label=str(labels.get(vote.choice, vote.choice)),
            mine=vote.voter_id == user.pk,
        )
        for vote in Vote.objects.filter(item=item)
        .select_related("voter__person")
        .order_by("voter__email")
    ]
    reviews = reviews_of([item.application_id], session, names=names)[item.application_id]
    return ItemDetail(row=row, reviews=reviews, votes=votes, names=names)


def requested_total(rows: Iterable[AgendaRow]) -> Decimal:
    """The amounts requested by the agenda's applications, summed (for the agenda's footer)."""
    return sum((row.application.requested_amount or Decimal(0) for row in rows), Decimal(0))
