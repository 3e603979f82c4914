"""Reads of the assignment: the engine's inputs for a call, the proposal as the staff see it,
and the expert's inbox.

``engine_inputs(call)`` is the one builder of the engine's affinity and assignment inputs: it
reads the call's applications (title, summary, answers' text, genre) and the experts of the
fund's pool who said they are available for the call (expertise profile, past works, capacity),
in a fixed number of queries, with the pairs that may not meet (``conflicted_pairs``) and the
pairs a re-run keeps. Every page here costs a fixed number of queries too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Lower, NullIf, Trim

from filiere.accounts.models import User
from filiere.calls.models import Answer, Application, Call, State
from filiere.engine.affinity import Expert as EngineExpert
from filiere.engine.affinity import ExpertItem, Proposal

from .models import (
    DEFAULT_REVIEWS,
    Assignment,
    AssignmentRun,
    Availability,
    Expert,
    ExpertiseProfile,
    ExpertStatus,
    PairResponse,
    PairStatus,
)
from .selectors import conflicted_applications, conflicted_pairs, expert_name

#: The applications an assignment reads: submitted, and not (yet) set aside.
ASSIGNABLE = (State.SUBMITTED, State.ELIGIBLE, State.UNDER_REVIEW)
#: The capacity of an available expert who gave no maximum (the engine's default).
DEFAULT_MAX_LOAD = 6
#: How many matching keywords a pair shows as its "why".
WHY_LIMIT = 5


def _texts(value: object) -> Iterable[str]:
    """The strings inside an answer's JSON value (text, choices, lists of rows)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@dataclass(frozen=True)
class ExpertInput:
    """An available expert of the call's pool, as the engine reads them, with their capacity."""

    expert: Expert
    engine: EngineExpert
    capacity: int
    keywords: tuple[str, ...]


@dataclass
class EngineInputs:
    """What one run gives the engine, and what names its ids."""

    applications: dict[int, Application]
    proposals: list[Proposal]
    experts: dict[int, ExpertInput]
    conflicts: frozenset[tuple[int, int]]
    kept: list[Assignment] = field(default_factory=list)
    # Pairs an expert declined: never proposed again.
    declined: frozenset[tuple[int, int]] = frozenset()
    # Pairs of the current proposal that a re-run may change (proposed, not locked).
    previous: frozenset[tuple[int, int]] = frozenset()
    texts: dict[int, str] = field(default_factory=dict)


def _profile_items(profile: ExpertiseProfile | None) -> tuple[tuple[ExpertItem, ...], list[str]]:
    if profile is None:
        return (), []
    items = [ExpertItem(title=w.title, text=w.description) for w in profile.past_works.all()]
    if profile.about:
        items.append(ExpertItem(title="", text=profile.about))
    skills = [str(s) for s in profile.skills.all()] + [str(p) for p in profile.professions.all()]
    if skills:
        items.append(ExpertItem(title="", text=", ".join(skills)))
    keywords = [str(k) for k in profile.keywords if str(k).strip()] + skills
    return tuple(items), keywords


def engine_inputs(call: Call) -> EngineInputs:
    """The applications and available experts of ``call`` as the engine's inputs."""
    applications = {
        a.pk: a
        for a in Application.objects.filter(call=call, state__in=ASSIGNABLE)
        .select_related("genre")
        .order_by("reference")
    }
    answers: dict[int, list[str]] = defaultdict(list)
    for app_id, value in Answer.objects.filter(application_id__in=applications).values_list(
        "application_id", "value"
    ):
        answers[app_id].extend(t for t in _texts(value) if t.strip())
    proposals = []
    texts = {}
    for application in applications.values():
        text = "\n".join([application.summary, *answers[application.pk]])
        genre = (application.genre.code,) if application.genre is not None else ()
        proposals.append(
            Proposal(id=str(application.pk), title=application.title, text=text, keywords=genre)
        )
        texts[application.pk] = f"{application.title}\n{text}".lower()

    availabilities = list(
        Availability.objects.filter(
            call=call,
            available=True,
            expert__fund_id=call.fund_id,
            expert__status=ExpertStatus.ACTIVE,
            expert__user__isnull=False,
        )
        .select_related("expert__user__person")
        .order_by("expert__email")
    )
    profiles = {
        p.user_id: p
        for p in ExpertiseProfile.objects.filter(
            user_id__in=[a.expert.user_id for a in availabilities]
        ).prefetch_related("past_works", "skills", "professions")
    }
    experts = {}
    for availability in availabilities:
        expert = availability.expert
        profile = profiles.get(expert.user_id or 0)
        items, keywords = _profile_items(profile)
        experts[expert.pk] = ExpertInput(
            expert=expert,
            engine=EngineExpert(
                id=str(expert.pk),
                items=items,
                keywords=tuple(keywords),
                languages=tuple(profile.languages) if profile is not None else (),
            ),
            capacity=availability.max_load or DEFAULT_MAX_LOAD,
            keywords=tuple(keywords),
        )

    existing = list(Assignment.objects.filter(application__call=call))
    return EngineInputs(
        applications=applications,
        proposals=proposals,
        experts=experts,
        conflicts=conflicted_pairs(call),
        kept=[a for a in existing if a.kept_by_reruns],
        declined=frozenset(
            (a.application_id, a.expert_id) for a in existing if a.response == PairResponse.DECLINED
        ),
        previous=frozenset(
            (a.application_id, a.expert_id)
            for a in existing
            if a.response != PairResponse.DECLINED and not a.kept_by_reruns
        ),
        texts=texts,
    )


def matching_keywords(keywords: Iterable[str], text: str) -> list[str]:
    """The expert's keywords that appear, as words, in the application's text (lower case):
    why a pair matches, in the staff's words. The engine's score does not say which terms
    weighed most, so this is what the page shows."""
    found = []
    for keyword in dict.fromkeys(k.strip() for k in keywords):
        if keyword and re.search(rf"\b{re.escape(keyword.lower())}\b", text):
            found.append(keyword)
        if len(found) == WHY_LIMIT:
            break
    return found


# --- The proposal, as the staff see it ---------------------------------------------------------

#: Rows per page of the staff's tables (applications, experts).
PAGE_SIZE = 50
#: The orders of the proposal's applications.
ORDER_WORST = "worst"
ORDER_REFERENCE = "reference"
#: A pair that counts for its application: not declined (and not in conflict, see below).
_STANDING = (PairResponse.PENDING, PairResponse.ACCEPTED)


def expert_name_sql(prefix: str = "") -> Case:
    """``selectors.expert_name`` as an SQL expression on an ``Expert`` (through ``prefix``, e.g.
    ``"expert__"``), so that the database sorts and searches the names of a whole pool."""

    def joined(first: str, last: str) -> Trim:
        return Trim(Concat(f"{prefix}{first}", Value(" "), f"{prefix}{last}"))

    account = joined("user__first_name", "user__last_name")
    return Case(
        When(**{f"{prefix}user__isnull": True}, then=F(f"{prefix}email")),
        When(
            **{f"{prefix}user__person__isnull": False},
            then=joined("user__person__first_name", "user__person__last_name"),
        ),
        When(~Q(**{f"{prefix}user__first_name": ""}), then=account),
        When(~Q(**{f"{prefix}user__last_name": ""}), then=account),
        default=F(f"{prefix}user__email"),
        output_field=CharField(),
    )


def experts_matching(q: str, prefix: str = "") -> Q:
    """The experts whose name or address contains ``q`` (an annotation ``name`` is needed)."""
    return Q(name__icontains=q) | Q(**{f"{prefix}email__icontains": q})


@dataclass(frozen=True)
class ProposalFilters:
    """What the staff ask of the proposal's list: a search (reference, title or expert), only the
    applications missing a reviewer, and the order."""

    q: str = ""
    missing_only: bool = False
    order: str = ORDER_WORST


@dataclass(frozen=True)
class PairRow:
    """A pair of the proposal, as the staff read it."""

    pk: int
    expert_name: str
    affinity: float
    why: list[str]
    status: str
    response: str
    locked: bool
    added_by_staff: bool
    # A conflict appeared after the pair was made: it no longer counts, a replacement is needed.
    conflicted: bool = False

    def status_label(self) -> str:
        return str(PairStatus(self.status).label)

    def response_label(self) -> str:
        return str(PairResponse(self.response).label)


@dataclass
class ApplicationRow:
    application: Application
    pairs: list[PairRow]
    missing: int
    total_affinity: float

    @property
    def conflicted(self) -> int:
        return sum(p.conflicted for p in self.pairs)


@dataclass(frozen=True)
class ExpertLoad:
    expert_id: int
    name: str
    load: int
    capacity: int | None

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.load > self.capacity


@dataclass(frozen=True)
class ProposalSummary:
    """The whole call's figures, counted by the database whatever the page shown."""

    applications: int = 0
    served: int = 0  # with every review asked
    reviewers_missing: int = 0
    in_conflict: int = 0  # pairs now in conflict with their application
    experts: int = 0
    load: int = 0
    capacity: int = 0
    over: int = 0  # experts over their maximum


@dataclass
class CallProposal:
    """One page of the call's applications with their pairs, one page of the experts' loads,
    and the figures of the whole call."""

    run: AssignmentRun | None
    rows: list[ApplicationRow]
    page: Page[Any]
    loads: list[ExpertLoad]
    loads_page: Page[Any]
    reviews: int
    unpublished: int
    summary: ProposalSummary


def latest_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(call=call).first()


def assignments_of_call(call: Call) -> QuerySet[Assignment]:
    return Assignment.objects.filter(application__call=call).exclude(response=PairResponse.DECLINED)


def _conflicted_pair_ids(call: Call) -> set[int]:
    """The call's standing pairs whose expert is now in active conflict with the application."""
    if not assignments_of_call(call).exists():
        return set()
    conflicts = conflicted_pairs(call)
    if not conflicts:
        return set()
    candidates = assignments_of_call(call).filter(
        application_id__in={a for a, _ in conflicts}, expert_id__in={e for _, e in conflicts}
    )
    return {
        pk
        for pk, app_id, expert_id in candidates.values_list("pk", "application_id", "expert_id")
        if (app_id, expert_id) in conflicts
    }


def _counting(conflicted: set[int]) -> Q:
    counts = Q(assignments__response__in=_STANDING)
    return counts & ~Q(assignments__pk__in=conflicted) if conflicted else counts


def _served_applications(call: Call, reviews: int, conflicted: set[int]) -> QuerySet[Any]:
    """The call's assignable applications with ``counted`` reviewers, their ``total`` affinity
    and the reviewers ``missing``, computed by the database."""
    counting = _counting(conflicted)
    return (
        Application.objects.filter(call=call, state__in=ASSIGNABLE)
        .annotate(
            counted=Count("assignments", filter=counting),
            total=Coalesce(Sum("assignments__affinity", filter=counting), Value(0.0)),
        )
        .annotate(missing=Greatest(Value(reviews) - F("counted"), Value(0)))
    )


#: What a row shows of a pair (``PairRow``'s fields, the name as ``expert_name`` writes it).
_PAIR_FIELDS = ("pk", "name", "affinity", "why", "status", "response", "locked", "added_by_staff")


def _proposal_rows(applications: list[Application], conflicted: set[int]) -> list[ApplicationRow]:
    """The pairs of one page's applications, the best affinity first (one query)."""
    pairs: dict[int, list[PairRow]] = defaultdict(list)
    for app_id, *values in (
        Assignment.objects.filter(application__in=applications, response__in=_STANDING)
        .annotate(name=expert_name_sql("expert__"))
        .order_by("-affinity", "pk")
        .values_list("application_id", *_PAIR_FIELDS)
    ):
        pk, name, affinity, why, status, response, locked, by_staff = values
        pairs[app_id].append(
            PairRow(pk, name, affinity, why, status, response, locked, by_staff, pk in conflicted)
        )
    return [
        ApplicationRow(a, pairs[a.pk], a.missing, a.total)  # type: ignore[attr-defined]
        for a in applications
    ]


def _expert_loads(call: Call) -> QuerySet[Any]:
    """Every expert with pairs in the call, or active and available for it, by name (as
    ``expert_name`` writes it), with their ``load`` and ``capacity`` (None: not said; 0: not
    available). Subqueries per expert rather
    than a grouped join: the database computes them for the page's experts only."""
    availability = Availability.objects.filter(call=call, expert=OuterRef("pk"))
    pairs = Assignment.objects.filter(
        expert=OuterRef("pk"), application__call=call, response__in=_STANDING
    )
    load = pairs.order_by().values("expert").annotate(n=Count("pk")).values("n")
    return (
        Expert.objects.filter(fund_id=call.fund_id)
        .filter(
            Q(Exists(pairs))
            | Q(Exists(availability.filter(available=True)), status=ExpertStatus.ACTIVE)
        )
        .annotate(
            name=expert_name_sql(),
            load=Coalesce(Subquery(load), Value(0)),
            capacity=Subquery(availability.annotate(capacity=_CAPACITY).values("capacity")[:1]),
        )
        .order_by(Lower("name"), "pk")
    )


#: An expert's capacity for a call, from their availability (0: not available).
_CAPACITY = Case(
    When(available=True, then=Coalesce(NullIf("max_load", 0), Value(DEFAULT_MAX_LOAD))),
    default=Value(0),
)


def _summary(
    call: Call, applications: QuerySet[Any], experts: int, conflicted: set[int]
) -> tuple[ProposalSummary, int]:
    """The call's figures, and how many proposed pairs publishing would send: four aggregate
    queries, whatever its size."""
    served = applications.aggregate(
        applications=Count("pk"),
        served=Count("pk", filter=Q(missing=0)),
        reviewers_missing=Coalesce(Sum("missing"), 0),
    )
    standing = assignments_of_call(call)
    availabilities = Availability.objects.filter(call=call)
    capacity = availabilities.filter(expert__status=ExpertStatus.ACTIVE).aggregate(
        capacity=Coalesce(Sum(_CAPACITY), 0)
    )["capacity"]
    # Over the maximum: more pairs than the capacity they stated (none stated: never over).
    load = standing.filter(expert=OuterRef("expert_id")).order_by().values("expert")
    over = (
        availabilities.annotate(
            load=Coalesce(Subquery(load.annotate(n=Count("pk")).values("n")), 0),
            capacity=_CAPACITY,
        )
        .filter(load__gt=F("capacity"))
        .count()
    )
    # What publishing sends: the proposed pairs of assignable applications, not in conflict.
    to_publish = Q(status=PairStatus.PROPOSED, application__state__in=ASSIGNABLE)
    if conflicted:
        to_publish &= ~Q(pk__in=conflicted)
    pairs = standing.aggregate(load=Count("pk"), unpublished=Count("pk", filter=to_publish))
    summary = ProposalSummary(
        **served,
        in_conflict=len(conflicted),
        experts=experts,
        load=pairs["load"],
        capacity=capacity,
        over=over,
    )
    return summary, pairs["unpublished"]


def proposal_of_call(
    call: Call,
    *,
    filters: ProposalFilters | None = None,
    page: int | str | None = 1,
    loads_page: int | str | None = 1,
) -> CallProposal:
    """One page of the call's assignable applications with their experts (declined pairs left
    out; a pair whose expert is now in conflict with the application is marked and counts as
    missing), the worst served first (most reviewers missing, then lowest total affinity) or
    by reference; one page of the experts' loads against their capacity; the whole call's
    figures. Counts, sums and orders are the database's: a fixed number of queries, and only
    the rows shown are read."""
    filters = filters or ProposalFilters()
    run = latest_run(call)
    reviews = run.reviews if run is not None else DEFAULT_REVIEWS
    conflicted = _conflicted_pair_ids(call)
    served = _served_applications(call, reviews, conflicted)
    loads = _expert_loads(call)
    shown = served
    if filters.q:
        named = assignments_of_call(call).annotate(name=expert_name_sql("expert__"))
        by_expert = named.filter(experts_matching(filters.q, "expert__"))
        shown = shown.filter(
            Q(reference__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(pk__in=by_expert.values("application_id"))
        )
    if filters.missing_only:
        shown = shown.filter(missing__gt=0)
    if filters.order == ORDER_REFERENCE:
        shown = shown.order_by("reference")
    else:
        shown = shown.order_by("-missing", "total", "reference")
    # Only what the rows show: the database groups and sorts fewer columns.
    application_page = Paginator(shown.only("reference", "title"), PAGE_SIZE).get_page(page)
    expert_page = Paginator(
        loads.values_list("pk", "name", "load", "capacity"), PAGE_SIZE
    ).get_page(loads_page)
    summary, unpublished = _summary(call, served, expert_page.paginator.count, conflicted)
    return CallProposal(
        run=run,
        rows=_proposal_rows(list(application_page.object_list), conflicted),
        page=application_page,
        loads=[ExpertLoad(*values) for values in expert_page.object_list],
        loads_page=expert_page,
        reviews=reviews,
        unpublished=unpublished,
        summary=summary,
    )


def diagnosis_names(
    call: Call, diagnosis: list[dict[str, Any]]
) -> tuple[dict[str, str], dict[str, str]]:
    """The references of the applications and the names of the experts a run's diagnosis
    names by id (two queries, for those ids only)."""
    app_ids: set[str] = set()
    expert_ids: set[str] = set()
    for issue in diagnosis:
        app_ids.add(str(issue.get("proposal_id", "")))
        app_ids.update(str(p) for p in issue.get("proposals", []))
        expert_ids.add(str(issue.get("expert_id", "")))
    references = {
        str(pk): reference
        for pk, reference in Application.objects.filter(
            call=call, pk__in=[int(i) for i in app_ids if i.isdigit()]
        ).values_list("pk", "reference")
    }
    names = {
        str(e.pk): expert_name(e.user, e.email)
        for e in Expert.objects.filter(
            fund_id=call.fund_id, pk__in=[int(i) for i in expert_ids if i.isdigit()]
        ).select_related("user__person")
    }
    return references, names


def assignable_application(call: Call, pk: object) -> Application | None:
    """One of the call's assignable applications (the "add a pair" form's door), or None."""
    try:
        return Application.objects.filter(call=call, state__in=ASSIGNABLE, pk=int(str(pk))).first()
    except ValueError:
        return None


def expert_choices(call: Call) -> list[tuple[int, str]]:
    """The staff's "add a pair" form's experts: the active experts of the pool, (id, name)."""
    experts = Expert.objects.filter(fund_id=call.fund_id, status=ExpertStatus.ACTIVE)
    return list(
        experts.annotate(name=expert_name_sql()).order_by("email").values_list("pk", "name")
    )


def assignable_experts(call: Call, pk: object) -> list[Expert]:
    """The posted expert of the "add a pair" form, if an active expert of the pool."""
    try:
        chosen = int(str(pk))
    except ValueError:
        return []
    return list(
        Expert.objects.filter(
            fund_id=call.fund_id, status=ExpertStatus.ACTIVE, pk=chosen
        ).select_related("user__person")
    )


# --- The expert's inbox -------------------------------------------------------------------------


def my_assignments(user: User) -> list[Assignment]:
    """The published assignments of ``user`` in every pool they are active in, the ones to
    answer first, without those whose application they are now in conflict with (their page
    would be a 404; the staff see the gap on the proposal). A fixed number of queries for each
    call with assignments, whatever their number."""
    pairs = list(
        Assignment.objects.filter(
            expert__user=user,
            expert__status=ExpertStatus.ACTIVE,
            status=PairStatus.PUBLISHED,
        )
        .select_related("application__call__fund", "application__genre")
        .order_by("response", "application__call__closes_at", "application__reference")
    )
    calls: dict[int, Call] = {}
    per_call: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        calls[pair.application.call_id] = pair.application.call
        per_call[pair.application.call_id].add(pair.application_id)
    conflicted: set[int] = set()
    for call_id, application_ids in per_call.items():
        conflicted |= conflicted_applications(user, calls[call_id], application_ids)
    return [pair for pair in pairs if pair.application_id not in conflicted]
