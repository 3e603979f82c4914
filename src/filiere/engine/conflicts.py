"""Conflicts of interest between experts and applications: hard exclusions computed from data.

Five reasons, each returned as a code with its parameters (translated at the edge):

* ``same_organisation``: the expert belongs to the applicant organisation;
* ``team_member``: the expert is a member of the application's team;
* ``partner_organisation``: the expert belongs to a partner organisation of the application;
* ``declared``: a conflict declared by the expert, requested by the applicant or added by the
  staff, typed (collaborator, family, institutional, competitor, other);
* ``past_collaboration``: the expert and a team member worked together on a funded project that
  was still running, or ended, within the last N years (``today`` is passed by the caller: the
  engine reads no clock).

The function never scans every (application, expert) pair: it follows indexes by organisation and
by person, so 20,000 applications × 20,000 experts cost only the conflicts actually found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "ApplicationParties",
    "Conflict",
    "ConflictKind",
    "ConflictReason",
    "Declarant",
    "DeclaredConflict",
    "ExpertParties",
    "FundedProject",
    "excluded_pairs",
    "find_conflicts",
]


class ConflictReason(StrEnum):
    SAME_ORGANISATION = "same_organisation"
    TEAM_MEMBER = "team_member"
    PARTNER_ORGANISATION = "partner_organisation"
    DECLARED = "declared"
    PAST_COLLABORATION = "past_collaboration"


class ConflictKind(StrEnum):
    """The type of a declared conflict."""

    COLLABORATOR = "collaborator"
    FAMILY = "family"
    INSTITUTIONAL = "institutional"
    COMPETITOR = "competitor"
    OTHER = "other"


class Declarant(StrEnum):
    """Who declared a conflict: the expert, the applicant (an exclusion request) or the staff
    (for one expert and one proposal)."""

    EXPERT = "expert"
    APPLICANT = "applicant"
    STAFF = "staff"


@dataclass(frozen=True)
class ExpertParties:
    """An expert, the person behind the expert account and the organisations they belong to."""

    expert_id: str
    person_id: str
    organisation_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ApplicationParties:
    """The parties of an application: applicant organisation, team members and partners."""

    proposal_id: str
    organisation_id: str | None = None
    team_person_ids: frozenset[str] = frozenset()
    partner_organisation_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DeclaredConflict:
    proposal_id: str
    expert_id: str
    kind: ConflictKind
    declared_by: Declarant


@dataclass(frozen=True)
class FundedProject:
    """A project funded in the past and the people who worked on it.

    ``ended_on`` is None while the project is still running (it then always counts as recent).
    """

    project_id: str
    person_ids: frozenset[str]
    ended_on: date | None = None


@dataclass(frozen=True, order=True)
class Conflict:
    """One reason why an expert may not review a proposal; several may hold for one pair."""

    proposal_id: str
    expert_id: str
    reason: ConflictReason
    params: tuple[tuple[str, str], ...] = field(default=())

    @property
    def parameters(self) -> dict[str, str]:
        return dict(self.params)


def _years_before(today: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def find_conflicts(
    applications: Iterable[ApplicationParties],
    experts: Iterable[ExpertParties],
    *,
    today: date,
    declarations: Iterable[DeclaredConflict] = (),
    funded_projects: Iterable[FundedProject] = (),
    collaboration_years: int = 3,
) -> tuple[Conflict, ...]:
    """Every conflict between the given applications and experts, sorted, with its reason.

    A past collaboration counts when a funded project that the expert's person and a team member
    of the application both worked on is still running or ended on or after the same day
    ``collaboration_years`` years before ``today``. Declared conflicts are returned as given
    (even for ids absent from the two lists: a declaration is data, not a lookup).
    """
    if collaboration_years < 0:
        raise ValueError("collaboration_years must be non-negative")
    expert_list = list(experts)
    by_organisation: dict[str, list[ExpertParties]] = defaultdict(list)
    by_person: dict[str, list[ExpertParties]] = defaultdict(list)
    for expert in expert_list:
        by_person[expert.person_id].append(expert)
        for organisation in expert.organisation_ids:
            by_organisation[organisation].append(expert)

    cutoff = _years_before(today, collaboration_years)
    # person -> [(co-worker, project)] on recent funded projects, only for persons who are experts.
    coworkers: Mapping[str, list[tuple[str, FundedProject]]] = _recent_coworkers(
        funded_projects, cutoff, set(by_person)
    )

    found: set[Conflict] = set()
    for application in applications:
        pid = application.proposal_id
        if application.organisation_id is not None:
            for expert in by_organisation.get(application.organisation_id, ()):
                found.add(
                    Conflict(
                        pid,
                        expert.expert_id,
                        ConflictReason.SAME_ORGANISATION,
                        (("organisation_id", application.organisation_id),),
                    )
                )
        for partner in application.partner_organisation_ids:
            for expert in by_organisation.get(partner, ()):
                found.add(
                    Conflict(
                        pid,
                        expert.expert_id,
                        ConflictReason.PARTNER_ORGANISATION,
                        (("organisation_id", partner),),
                    )
                )
        for person in application.team_person_ids:
            for expert in by_person.get(person, ()):
                found.add(
                    Conflict(
                        pid, expert.expert_id, ConflictReason.TEAM_MEMBER, (("person_id", person),)
                    )
                )
            for expert_person, project in coworkers.get(person, ()):
                for expert in by_person[expert_person]:
                    ended = project.ended_on.isoformat() if project.ended_on else "running"
                    found.add(
                        Conflict(
                            pid,
                            expert.expert_id,
                            ConflictReason.PAST_COLLABORATION,
                            (
                                ("ended_on", ended),
                                ("person_id", person),
                                ("project_id", project.project_id),
                                ("years", str(collaboration_years)),
                            ),
                        )
                    )
    for declared in declarations:
        found.add(
            Conflict(
                declared.proposal_id,
                declared.expert_id,
                ConflictReason.DECLARED,
                (("declared_by", str(declared.declared_by)), ("kind", str(declared.kind))),
            )
        )
    return tuple(sorted(found))


def _recent_coworkers(
    projects: Iterable[FundedProject], cutoff: date, expert_persons: set[str]
) -> dict[str, list[tuple[str, FundedProject]]]:
    """Map each person to the expert-persons they worked with on a recent funded project."""
    result: dict[str, list[tuple[str, FundedProject]]] = defaultdict(list)
    for project in projects:
        if project.ended_on is not None and project.ended_on < cutoff:
            continue
        experts_here = [person for person in project.person_ids if person in expert_persons]
        if not experts_here:
            continue
        for person in project.person_ids:
            for expert_person in experts_here:
                if expert_person != person:
                    result[person].append((expert_person, project))
    return result


def excluded_pairs(conflicts: Iterable[Conflict]) -> frozenset[tuple[str, str]]:
    """The (proposal_id, expert_id) pairs that may not be assigned, whatever the reason."""
    return frozenset((conflict.proposal_id, conflict.expert_id) for conflict in conflicts)
