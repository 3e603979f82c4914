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

from django.db.models import QuerySet

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


@dataclass(frozen=True)
class PairRow:
    pair: Assignment
    expert_name: str
    # A conflict appeared after the pair was made: it no longer counts, a replacement is needed.
    conflicted: bool = False


@dataclass
class ApplicationRow:
    application: Application
    pairs: list[PairRow]
    missing: int

    @property
    def total_affinity(self) -> float:
        return sum(p.pair.affinity for p in self.pairs if not p.conflicted)

    @property
    def conflicted(self) -> int:
        return sum(p.conflicted for p in self.pairs)


@dataclass(frozen=True)
class ExpertLoad:
    expert: Expert
    name: str
    load: int
    capacity: int | None

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.load > self.capacity


@dataclass
class CallProposal:
    """The call's current pairs: the worst-served applications first, and each expert's load."""

    run: AssignmentRun | None
    rows: list[ApplicationRow]
    loads: list[ExpertLoad]
    reviews: int
    unpublished: int
    names: dict[int, str]


def latest_run(call: Call) -> AssignmentRun | None:
    return AssignmentRun.objects.filter(call=call).first()


def assignments_of_call(call: Call) -> QuerySet[Assignment]:
    return Assignment.objects.filter(application__call=call).exclude(response=PairResponse.DECLINED)


def proposal_of_call(call: Call) -> CallProposal:
    """Every assignable application with its experts (declined pairs left out; a pair whose
    expert is now in conflict with the application is marked and counts as missing), the worst
    served first (most reviewers missing, then lowest total affinity); every available or
    assigned expert with their load against their capacity. A fixed number of queries."""
    run = latest_run(call)
    reviews = run.reviews if run is not None else DEFAULT_REVIEWS
    applications = list(
        Application.objects.filter(call=call, state__in=ASSIGNABLE).order_by("reference")
    )
    pairs: dict[int, list[Assignment]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    unpublished = 0
    for pair in assignments_of_call(call).order_by("-affinity", "pk"):
        pairs[pair.application_id].append(pair)
        load[pair.expert_id] += 1
    capacity = {
        a.expert_id: (a.max_load or DEFAULT_MAX_LOAD) if a.available else 0
        for a in Availability.objects.filter(call=call)
    }
    experts = Expert.objects.filter(fund_id=call.fund_id).select_related("user__person")
    wanted = [
        e
        for e in experts
        if e.pk in load or (e.status == ExpertStatus.ACTIVE and capacity.get(e.pk))
    ]
    names = {e.pk: expert_name(e.user, e.email) for e in wanted}
    conflicts = conflicted_pairs(call) if pairs else frozenset()
    rows = []
    for a in applications:
        items = [
            PairRow(p, names[p.expert_id], (a.pk, p.expert_id) in conflicts) for p in pairs[a.pk]
        ]
        counted = sum(not item.conflicted for item in items)
        unpublished += sum(i.pair.status == PairStatus.PROPOSED and not i.conflicted for i in items)
        rows.append(ApplicationRow(a, items, max(0, reviews - counted)))
    rows.sort(key=lambda r: (-r.missing, r.total_affinity, r.application.reference))
    loads = sorted(
        (ExpertLoad(e, names[e.pk], load.get(e.pk, 0), capacity.get(e.pk)) for e in wanted),
        key=lambda x: (x.name.lower(), x.expert.pk),
    )
    return CallProposal(run, rows, loads, reviews, unpublished, names)


def assignable_choices(call: Call) -> tuple[list[Application], list[Expert]]:
    """The choices of the staff's "add a pair" form."""
    applications = list(
        Application.objects.filter(call=call, state__in=ASSIGNABLE).order_by("reference")
    )
    experts = list(
        Expert.objects.filter(fund_id=call.fund_id, status=ExpertStatus.ACTIVE)
        .select_related("user__person")
        .order_by("email")
    )
    return applications, experts


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
