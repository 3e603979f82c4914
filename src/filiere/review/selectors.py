"""Reads of the review app: pools, expertise, availability, and the conflicts of a call.

The conflicts are decided by ``filiere.engine.conflicts.find_conflicts``: this module only reads
the platform's graph into the engine's inputs (experts with their current and recent
organisations, applications with their organisation, team and partners, past funded projects,
declared conflicts) and turns its answer into rows with reasons in plain words. Every read here
costs a fixed number of queries, whatever the size of the pool or of the call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from filiere.accounts.models import User
from filiere.accounts.types import AnyUser
from filiere.calls.access import applications_of
from filiere.calls.models import Application, Call, Fund, State, TeamMember
from filiere.community.models import Affiliation, Organisation, Person
from filiere.community.selectors import visible_people
from filiere.engine.conflicts import (
    ApplicationParties,
    Conflict,
    ConflictKind,
    ConflictReason,
    Declarant,
    DeclaredConflict,
    ExpertParties,
    FundedProject,
    find_conflicts,
)

from . import phrases
from .models import (
    CONFLICT_KINDS,
    Availability,
    ConflictLift,
    Declaration,
    DeclarationSource,
    Expert,
    ExpertiseProfile,
    ExpertStatus,
)
from .permissions import pool_fund_ids

#: A call stays open to availability statements until this long after it closed (its review).
REVIEW_WINDOW = timedelta(days=180)
#: An organisation the expert left less than this many years ago still counts, as does a funded
#: project worked on together (the engine's ``collaboration_years``).
RECENT_YEARS = 3
#: Applications that are not (or no longer) to be reviewed.
NOT_REVIEWED = (State.DRAFT, State.WITHDRAWN)
#: States of an application that was funded: its team worked together on a funded project.
FUNDED = (State.AWARDED, State.AGREEMENT, State.IN_PAYMENT, State.CLOSED)
#: How many matches a directory search shows.
SEARCH_LIMIT = 20


def expert_name(user: User | None, email: str = "") -> str:
    """An expert as the staff see them: their directory name, else the account's name, else the
    invitation's address. ``user.person`` must be selected with the user (no query)."""
    if user is None:
        return email
    person = getattr(user, "person", None)
    if person is not None:
        return person.display_name
    return user.get_full_name() or user.email


# --- Pools --------------------------------------------------------------------------------------


def managed_funds(user: AnyUser) -> QuerySet[Fund]:
    """The funds whose pool ``user`` manages, each with ``invited``, ``active`` and ``left``
    counts."""
    funds = Fund.objects.all()
    ids = pool_fund_ids(user)
    if ids is not None:
        funds = funds.filter(pk__in=ids)
    return funds.annotate(
        invited=Count("experts", filter=Q(experts__status=ExpertStatus.INVITED)),
        active=Count("experts", filter=Q(experts__status=ExpertStatus.ACTIVE)),
        left=Count("experts", filter=Q(experts__status=ExpertStatus.LEFT)),
    ).order_by("slug")


def pool(fund: Fund) -> QuerySet[Expert]:
    """Everyone invited to ``fund``'s pool: active first, then invited, then those who left."""
    order = {ExpertStatus.ACTIVE: 0, ExpertStatus.INVITED: 1, ExpertStatus.LEFT: 2}
    rank = Case(
        *(When(status=status, then=Value(rank)) for status, rank in order.items()),
        output_field=IntegerField(),
    )
    return (
        Expert.objects.filter(fund=fund)
        .select_related("user__person", "user__expertise")
        .annotate(rank=rank)
        .order_by("rank", "email")
    )


def get_pool_member(fund: Fund, pk: int) -> Expert:
    expert = Expert.objects.select_related("user__person").filter(fund=fund, pk=pk).first()
    if expert is None:
        raise Http404
    return expert


def invitation(token: str) -> Expert:
    """The invitation behind ``token`` (404 when unknown or withdrawn)."""
    expert = Expert.objects.select_related("fund").filter(token=token).first()
    if expert is None or expert.status == ExpertStatus.LEFT:
        raise Http404
    return expert


# --- The expert's side --------------------------------------------------------------------------


def current_calls(fund_id: int, now: datetime | None = None) -> QuerySet[Call]:
    """The calls of a fund an expert may still read for: published, and not closed for more
    than ``REVIEW_WINDOW``."""
    now = now or timezone.now()
    return Call.objects.published().filter(fund_id=fund_id, closes_at__gte=now - REVIEW_WINDOW)


def expertise_of(user: User) -> ExpertiseProfile | None:
    return (
        ExpertiseProfile.objects.prefetch_related("professions", "skills", "past_works")
        .filter(user=user)
        .first()
    )


@dataclass(frozen=True)
class CallAvailability:
    call: Call
    availability: Availability | None


@dataclass(frozen=True)
class Membership:
    """One pool the expert is active in, with its current calls and what they said for each."""

    expert: Expert
    calls: list[CallAvailability] = field(default_factory=list)


def my_pools(user: User, now: datetime | None = None) -> list[Membership]:
    """The pools ``user`` is active in, each with its current calls (three queries)."""
    experts = list(
        Expert.objects.filter(user=user, status=ExpertStatus.ACTIVE)
        .select_related("fund")
        .order_by("fund__slug")
    )
    now = now or timezone.now()
    calls = (
        Call.objects.published()
        .filter(fund_id__in=[e.fund_id for e in experts], closes_at__gte=now - REVIEW_WINDOW)
        .order_by("closes_at", "pk")
    )
    said = {(a.expert_id, a.call_id): a for a in Availability.objects.filter(expert__in=experts)}
    by_fund: dict[int, list[Call]] = defaultdict(list)
    for call in calls:
        by_fund[call.fund_id].append(call)
    return [
        Membership(
            expert=e,
            calls=[CallAvailability(c, said.get((e.pk, c.pk))) for c in by_fund[e.fund_id]],
        )
        for e in experts
    ]


def availability_of(expert: Expert) -> list[CallAvailability]:
    """What ``expert`` said for each current call of their fund (two queries)."""
    calls = current_calls(expert.fund_id).order_by("closes_at", "pk")
    said = {a.call_id: a for a in Availability.objects.filter(expert=expert)}
    return [CallAvailability(call, said.get(call.pk)) for call in calls]


def call_for_expert(user: User, slug: str) -> tuple[Call, Expert, Availability | None]:
    """A current call of a fund whose pool ``user`` is active in; 404 for any other call."""
    call = Call.objects.select_related("fund").filter(slug=slug).first()
    if call is None or not current_calls(call.fund_id).filter(pk=call.pk).exists():
        raise Http404
    expert = Expert.objects.filter(
        fund_id=call.fund_id, user=user, status=ExpertStatus.ACTIVE
    ).first()
    if expert is None:
        raise Http404
    return call, expert, Availability.objects.filter(expert=expert, call=call).first()


def my_declarations(user: User | int) -> QuerySet[Declaration]:
    return Declaration.objects.filter(
        source=DeclarationSource.EXPERT, expert_user=user, withdrawn_at__isnull=True
    ).select_related("organisation", "person", "application")


def declarations_for_pool(expert: Expert) -> QuerySet[Declaration]:
    """An expert's declarations as the staff of their pool see them: about people and
    organisations (they hold in every pool), and about the fund's own applications only."""
    if expert.user_id is None:
        return Declaration.objects.none()
    return my_declarations(expert.user_id).filter(
        Q(application__isnull=True) | Q(application__call__fund_id=expert.fund_id)
    )


def exclusion_requests(application: Application) -> QuerySet[Declaration]:
    """What the application's team asked to exclude (never whether anyone named is an expert)."""
    return Declaration.objects.filter(
        source=DeclarationSource.APPLICANT, application=application, withdrawn_at__isnull=True
    ).select_related("organisation", "person", "declared_by__person")


def declaration_for_declarant(user: User, pk: int) -> Declaration:
    """An expert's own declaration, or a request on an application ``user`` leads or joined;
    404 for anyone else (the staff's additions are lifted, not withdrawn)."""
    mine = Q(source=DeclarationSource.EXPERT, expert_user=user) | Q(
        source=DeclarationSource.APPLICANT, application__in=applications_of(user)
    )
    declaration = Declaration.objects.filter(mine, pk=pk, withdrawn_at__isnull=True).first()
    if declaration is None:
        raise Http404
    return declaration


def kind_label(kind: str) -> str:
    return str(dict(CONFLICT_KINDS).get(kind, kind))


# --- Directory search (choosing a person or an organisation) ------------------------------------


def _name_words(q: str) -> list[str]:
    return [word for word in q.split() if word][:5]


def matching_people(viewer: AnyUser, q: str) -> list[Person]:
    """Profiles ``viewer`` may see whose name matches ``q`` (nothing about roles)."""
    words = _name_words(q)
    if not words:
        return []
    people = visible_people(viewer)
    for word in words:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(people.order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])


def matching_organisations(q: str) -> list[Organisation]:
    words = _name_words(q)
    if not words:
        return []
    organisations = Organisation.objects.all()
    for word in words:
        organisations = organisations.filter(name__icontains=word)
    return list(organisations.order_by("name", "pk")[:SEARCH_LIMIT])


# --- Conflicts of a call ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    """One expert and one application that may not meet, and why (in plain words)."""

    application_id: int
    reference: str
    title: str
    expert_id: int
    expert_name: str
    reasons: tuple[str, ...]
    lifted_reasons: tuple[str, ...] = ()
    lift: ConflictLift | None = None

    @property
    def active(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class _ApplicationRow:
    pk: int
    reference: str
    title: str
    organisation_id: int
    lead_id: int


@dataclass
class _Graph:
    """The engine's inputs read from the database, and what names its ids."""

    expert_names: dict[int, str]
    applications: dict[int, _ApplicationRow]
    expert_parties: list[ExpertParties]
    application_parties: list[ApplicationParties]
    declarations: dict[tuple[int, int, str], list[Declaration]]
    lifts: dict[tuple[int, int], ConflictLift]
    person_names: dict[int, str]
    organisation_names: dict[int, str]
    project_references: dict[int, str]
    funded_projects: list[FundedProject]

    @classmethod
    def empty(cls) -> _Graph:
        return cls({}, {}, [], [], {}, {}, {}, {}, {}, [])


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _read_graph(
    call: Call,
    today: date,
    *,
    expert_user: User | None = None,
    application_ids: Collection[int] | QuerySet[Any] | None = None,
) -> _Graph:
    # The sets of ids (the pool, the call's applications, the experts' past projects) stay in the
    # database as subqueries: a list of a thousand ids costs more to bind than the query itself.
    cutoff = _years_before(today, RECENT_YEARS)

    experts_q = Expert.objects.filter(
        fund_id=call.fund_id, status=ExpertStatus.ACTIVE, user__isnull=False
    )
    if expert_user is not None:
        experts_q = experts_q.filter(user=expert_user)
    expert_users = experts_q.values("user_id")
    expert_names: dict[int, str] = {}
    expert_person: dict[int, int] = {}  # expert pk → person pk
    expert_user_ids: dict[int, int] = {}  # expert pk → user pk
    expert_by_user: dict[int, int] = {}  # user pk → expert pk
    expert_by_email: dict[str, int] = {}
    person_names: dict[int, str] = {}
    for (
        pk,
        user_id,
        user_email,
        user_first,
        user_last,
        person_id,
        first,
        last,
    ) in experts_q.values_list(
        "pk",
        "user_id",
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__person__id",
        "user__person__first_name",
        "user__person__last_name",
    ):
        expert_user_ids[pk] = user_id
        expert_by_user[user_id] = pk
        expert_by_email[user_email.lower()] = pk
        # As ``expert_name``: the directory name, else the account's name, else its address.
        if person_id is not None:
            expert_person[pk] = person_id
            person_names[person_id] = expert_names[pk] = f"{first} {last}".strip()
        else:
            expert_names[pk] = f"{user_first} {user_last}".strip() or user_email

    if not expert_names:
        # No expert, no pair: one who is not in the pool (staff, a committee member) costs
        # one query. Below, a read whose answer is known to be empty is skipped likewise.
        return _Graph.empty()

    # Current organisations, and those left less than RECENT_YEARS ago.
    organisations_of: dict[int, set[int]] = defaultdict(set)  # person → organisations
    affiliations = Affiliation.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=cutoff),
        person__user_id__in=expert_users,
    )
    for person_id, organisation_id in (
        affiliations.values_list("person_id", "organisation_id") if expert_person else ()
    ):
        organisations_of[person_id].add(organisation_id)

    applications_q = Application.objects.filter(call=call).exclude(state__in=NOT_REVIEWED)
    if application_ids is not None:
        applications_q = applications_q.filter(pk__in=application_ids)
    application_pks = applications_q.values("pk")
    applications: dict[int, _ApplicationRow] = {}
    # Names of the people involved (team members, leads), by user, read with their rows.
    person_of_user: dict[int, int] = {}

    def named(user_id: Any, person_id: Any, first: Any, last: Any) -> None:
        if user_id is not None and person_id is not None:
            person_of_user[user_id] = person_id
            person_names[person_id] = f"{first} {last}".strip()

    for pk, reference, title, organisation_id, lead_id, *lead in applications_q.values_list(
        "pk",
        "reference",
        "title",
        "organisation_id",
        "lead_id",
        "lead__person__id",
        "lead__person__first_name",
        "lead__person__last_name",
    ):
        applications[pk] = _ApplicationRow(pk, reference, title, organisation_id, lead_id)
        named(lead_id, *lead)
    if not applications:
        return _Graph.empty()
    team_users: dict[int, set[int]] = defaultdict(set)
    team_persons_by_email: dict[int, set[int]] = defaultdict(set)
    partners: dict[int, set[int]] = defaultdict(set)
    for app_id, user_id, organisation_id, email, *person in TeamMember.objects.filter(
        application_id__in=application_pks
    ).values_list(
        "application_id",
        "user_id",
        "organisation_id",
        "email",
        "user__person__id",
        "user__person__first_name",
        "user__person__last_name",
    ):
        if user_id is not None:
            team_users[app_id].add(user_id)
            named(user_id, *person)
        elif email.lower() in expert_by_email:
            # An invitation sent to an expert's address puts them on the team already.
            expert_pk = expert_by_email[email.lower()]
            if expert_pk in expert_person:
                team_persons_by_email[app_id].add(expert_person[expert_pk])
        if organisation_id is not None and organisation_id != applications[app_id].organisation_id:
            partners[app_id].add(organisation_id)
    for app_id, application in applications.items():
        team_users[app_id].add(application.lead_id)

    # Past funded projects of the pool's experts (another call's applications).
    past_q = (
        Application.objects.filter(state__in=FUNDED)
        .exclude(call=call)
        .filter(Q(lead_id__in=expert_users) | Q(team__user_id__in=expert_users))
        .distinct()
    )
    past = list(
        past_q.values_list(
            "pk",
            "reference",
            "state",
            "updated_at",
            "lead_id",
            "lead__person__id",
            "lead__person__first_name",
            "lead__person__last_name",
        )
    )
    past_users: dict[int, set[int]] = {}
    for pk, _reference, _state, _updated, lead_id, *lead in past:
        past_users[pk] = {lead_id}
        named(lead_id, *lead)
    past_team = TeamMember.objects.filter(
        application_id__in=past_q.values("pk"), user__isnull=False
    ).values_list(
        "application_id",
        "user_id",
        "user__person__id",
        "user__person__first_name",
        "user__person__last_name",
    )
    for app_id, user_id, *person in past_team if past else ():
        past_users[app_id].add(user_id)
        named(user_id, *person)

    application_parties = [
        ApplicationParties(
            proposal_id=str(app_id),
            organisation_id=str(application.organisation_id),
            team_person_ids=frozenset(
                {str(person_of_user[u]) for u in team_users[app_id] if u in person_of_user}
                | {str(p) for p in team_persons_by_email[app_id]}
            ),
            partner_organisation_ids=frozenset(str(o) for o in partners[app_id]),
        )
        for app_id, application in applications.items()
    ]
    expert_parties = [
        ExpertParties(
            expert_id=str(pk),
            person_id=str(expert_person.get(pk, f"user-{user_id}")),
            organisation_ids=frozenset(
                str(o) for o in organisations_of.get(expert_person.get(pk, -1), ())
            ),
        )
        for pk, user_id in expert_user_ids.items()
    ]
    funded_projects = [
        FundedProject(
            project_id=str(pk),
            person_ids=frozenset(
                str(person_of_user[u]) for u in past_users[pk] if u in person_of_user
            ),
            ended_on=timezone.localdate(updated_at) if state == State.CLOSED else None,
        )
        for pk, _reference, state, updated_at, *_lead in past
    ]

    # Declarations, matched to (application, expert) pairs.
    declarations: dict[tuple[int, int, str], list[Declaration]] = defaultdict(list)
    index = _PartyIndex.build(application_parties, expert_parties)
    rows = (
        Declaration.objects.filter(withdrawn_at__isnull=True)
        .filter(
            Q(source=DeclarationSource.EXPERT, expert_user_id__in=expert_users)
            | Q(source=DeclarationSource.APPLICANT, application_id__in=application_pks)
            | Q(
                source=DeclarationSource.STAFF,
                application_id__in=application_pks,
                expert_user_id__in=expert_users,
            )
        )
        .select_related("organisation", "person")
    )
    for declaration in rows:
        for pair in _pairs_of(declaration, index, applications, expert_by_user):
            declarations[(*pair, declaration.source)].append(declaration)

    lifts = {
        (lift.application_id, lift.expert_id): lift
        for lift in ConflictLift.objects.filter(
            application_id__in=application_pks, expert_id__in=experts_q.values("pk")
        ).select_related("lifted_by")
    }
    # The applicants' and their partners' organisations (a partner is a team member's
    # organisation other than the application's own).
    organisation_names = dict(
        Organisation.objects.filter(
            Q(pk__in=applications_q.values("organisation_id"))
            | Q(
                pk__in=TeamMember.objects.filter(application_id__in=application_pks).values(
                    "organisation_id"
                )
            )
        ).values_list("pk", "name")
    )
    return _Graph(
        expert_names=expert_names,
        applications=applications,
        expert_parties=expert_parties,
        application_parties=application_parties,
        declarations=declarations,
        lifts=lifts,
        person_names=person_names,
        organisation_names=organisation_names,
        project_references={pk: str(reference) for pk, reference, *_rest in past},
        funded_projects=funded_projects,
    )


@dataclass
class _PartyIndex:
    """Who takes part in what, by id, so that each declaration finds its pairs directly."""

    applications_by_organisation: dict[str, set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )
    applications_by_person: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    experts_by_organisation: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    experts_by_person: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(
        cls, applications: list[ApplicationParties], experts: list[ExpertParties]
    ) -> _PartyIndex:
        index = cls()
        for parties in applications:
            app_id = int(parties.proposal_id)
            for organisation in {parties.organisation_id, *parties.partner_organisation_ids}:
                if organisation is not None:
                    index.applications_by_organisation[organisation].add(app_id)
            for person in parties.team_person_ids:
                index.applications_by_person[person].add(app_id)
        for expert in experts:
            index.experts_by_person[expert.person_id].add(int(expert.expert_id))
            for organisation in expert.organisation_ids:
                index.experts_by_organisation[organisation].add(int(expert.expert_id))
        return index


def _pairs_of(
    declaration: Declaration,
    index: _PartyIndex,
    applications: dict[int, _ApplicationRow],
    expert_by_user: dict[int, int],
) -> Iterable[tuple[int, int]]:
    """The (application, expert) pairs a declaration holds for."""
    if declaration.source in (DeclarationSource.STAFF, DeclarationSource.EXPERT):
        expert_pk = expert_by_user.get(declaration.expert_user_id or 0)
        if expert_pk is None:
            return
        # The staff's addition, or the expert's own about one application (a declined
        # assignment): that pair only.
        if declaration.application_id is not None:
            if declaration.application_id in applications:
                yield (declaration.application_id, expert_pk)
            return
        if declaration.organisation_id is not None:
            hits = index.applications_by_organisation.get(str(declaration.organisation_id), ())
        else:
            hits = index.applications_by_person.get(str(declaration.person_id), ())
        for app_id in hits:
            yield (app_id, expert_pk)
        return
    # An applicant's request: the experts who are the named person or work for the organisation.
    if declaration.application_id is None:
        return
    if declaration.person_id is not None:
        named = index.experts_by_person.get(str(declaration.person_id), ())
    else:
        named = index.experts_by_organisation.get(str(declaration.organisation_id), ())
    for expert_id in named:
        yield (declaration.application_id, expert_id)


def _engine_conflicts(graph: _Graph, today: date) -> tuple[Conflict, ...]:
    # Declarations by the expert, the applicant and the staff all go to the engine: one per pair
    # and declarant (``_rows`` then lists each of that declarant's declarations).
    declared = [
        DeclaredConflict(
            proposal_id=str(app_id),
            expert_id=str(expert_id),
            kind=ConflictKind(decls[0].kind),
            declared_by=Declarant(source),
        )
        for (app_id, expert_id, source), decls in graph.declarations.items()
    ]
    return find_conflicts(
        graph.application_parties,
        graph.expert_parties,
        today=today,
        declarations=declared,
        funded_projects=graph.funded_projects,
        collaboration_years=RECENT_YEARS,
    )


def _declaration_text(graph: _Graph, declaration: Declaration) -> str:
    if declaration.organisation is not None:
        party = declaration.organisation.name
    elif declaration.person is not None:
        party = declaration.person.display_name
    else:
        party = ""
    return phrases.declared_reason(
        declaration.source, kind_label(declaration.kind), party, declaration.reason
    )


def _computed_text(graph: _Graph, conflict: Conflict) -> str:
    params = conflict.parameters
    shown = dict(params)
    if "organisation_id" in params:
        shown["organisation"] = graph.organisation_names.get(int(params["organisation_id"]), "")
    if "person_id" in params:
        shown["person"] = graph.person_names.get(int(params["person_id"]), "")
    if "project_id" in params:
        shown["project"] = graph.project_references.get(int(params["project_id"]), "")
    return phrases.conflict_reason(conflict.reason, shown)


def conflicts_of_call(call: Call, *, today: date | None = None) -> list[ConflictRow]:
    """Every (application, expert) pair of ``call`` with a conflict, active or lifted, with its
    reasons in plain words; sorted by application reference, then expert."""
    today = today or timezone.localdate()
    return _rows(_read_graph(call, today), today)


def _rows(graph: _Graph, today: date) -> list[ConflictRow]:
    found: dict[tuple[int, int], list[tuple[str, datetime | None]]] = defaultdict(list)
    for conflict in _engine_conflicts(graph, today):
        pair = (int(conflict.proposal_id), int(conflict.expert_id))
        if conflict.reason == ConflictReason.DECLARED:
            source = conflict.parameters["declared_by"]
            for declaration in graph.declarations[(*pair, source)]:
                found[pair].append((_declaration_text(graph, declaration), declaration.declared_at))
        else:
            found[pair].append((_computed_text(graph, conflict), None))
    rows = []
    for (app_id, expert_id), reasons in found.items():
        lift = graph.lifts.get((app_id, expert_id))
        # A lift covers what was known when it was decided; a later declaration counts again.
        active: list[str] = []
        lifted: list[str] = []
        for text, at in reasons:
            counts = lift is None or (at is not None and at > lift.lifted_at)
            (active if counts else lifted).append(text)
        application = graph.applications[app_id]
        rows.append(
            ConflictRow(
                application_id=app_id,
                reference=application.reference,
                title=application.title,
                expert_id=expert_id,
                expert_name=graph.expert_names[expert_id],
                reasons=tuple(active),
                lifted_reasons=tuple(lifted),
                lift=lift,
            )
        )
    return sorted(rows, key=lambda r: (r.reference, r.expert_name.lower(), r.expert_id))


def conflicted_pairs(call: Call, *, today: date | None = None) -> frozenset[tuple[int, int]]:
    """The (application pk, expert pk) pairs of ``call`` that may not meet: what assignment
    excludes, and what answers 404 to a conflicted expert (active conflicts only)."""
    return frozenset(
        (row.application_id, row.expert_id)
        for row in conflicts_of_call(call, today=today)
        if row.active
    )


def is_conflicted(user: User, application: Application, *, today: date | None = None) -> bool:
    """Whether ``user``, as an expert of the application's fund, has an active conflict with
    it (a fixed number of queries: only this expert and this application are read)."""
    found = conflicted_applications(user, application.call, [application.pk], today=today)
    return application.pk in found


def conflicted_applications(
    user: User,
    call: Call,
    application_ids: Collection[int] | QuerySet[Any],
    *,
    today: date | None = None,
) -> set[int]:
    """Which of ``call``'s applications ``user``, as an expert of its fund, has an active
    conflict with: ``is_conflicted`` for many at once, in the same fixed number of queries.
    ``application_ids`` may be a queryset of one column of ids (read as a subquery)."""
    today = today or timezone.localdate()
    graph = _read_graph(call, today, expert_user=user, application_ids=application_ids)
    return {row.application_id for row in _rows(graph, today) if row.active}


def call_pool_and_applications(call: Call) -> tuple[list[Expert], list[Application]]:
    """The choices of the staff's "add a conflict" form: the active experts of the call's fund,
    and the call's applications under review."""
    experts = list(
        Expert.objects.filter(fund_id=call.fund_id, status=ExpertStatus.ACTIVE)
        .select_related("user__person")
        .order_by("email")
    )
    applications = list(
        Application.objects.filter(call=call).exclude(state__in=NOT_REVIEWED).order_by("reference")
    )
    return experts, applications


def matching_person(viewer: AnyUser, pk: int) -> Person:
    """One profile ``viewer`` may see (404 otherwise)."""
    person = visible_people(viewer).select_related("user").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person
